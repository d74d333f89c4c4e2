// Aisle's demo catalog: an invented outdoor-gear shop ("Trailhead Supply Co."), generated
// deterministically from the templates below with a seeded random source — every brand, title and
// description here was written for this project. `npx tsx tools/emulator/catalog/generate-demo-catalog.ts` writes it as a Shopify product CSV
// (demo-catalog.csv, committed); tests check the file is exactly what this generator produces.
import { seededRandom } from "../webhooks/delivery";
import type { ProductInput, VariantInput } from "../store/model";
import { handleize } from "../store/shop-store";

export const DEMO_SEED = 20261124;
/** Image URLs in the CSV use this origin; the emulator serves them as generated SVGs (see demo-images.ts). */
export const DEMO_IMAGE_ORIGIN = "https://demo-images.aisle.invalid";

interface Category {
  type: string;
  taxonomy: string;
  code: string;
  nouns: string[];
  options: { name: string; values: string[]; pick: [number, number] }[];
  price: [number, number];
  grams: [number, number];
  features: string[];
  uses: string[];
  materials: string[];
  tags: string[];
}

const MODELS = [
  "Alder",
  "Basalt",
  "Cirrus",
  "Dune",
  "Ember",
  "Fennel",
  "Gale",
  "Heron",
  "Isle",
  "Juniper",
  "Kelp",
  "Lichen",
  "Moraine",
  "Nimbus",
  "Ochre",
  "Pika",
  "Quarry",
  "Rill",
  "Scree",
  "Tarn",
  "Umber",
  "Vale",
  "Wren",
  "Yarrow",
  "Zephyr",
  "Bracken",
  "Corrie",
  "Drumlin",
  "Esker",
  "Fjell",
  "Gully",
  "Hollow",
];

const VENDORS = [
  "Northpeak",
  "Fjordline",
  "Cairn & Co",
  "Ridgeway Supply",
  "Alder Works",
  "Tidewater Gear",
  "Summit Loom",
  "Granite Bay",
];

const COLORS = ["Slate", "Moss", "Ember Red", "Glacier Blue", "Sand", "Charcoal", "Forest", "Sunrise Orange", "Navy"];

const CATEGORIES: Category[] = [
  {
    type: "Rain Jackets",
    taxonomy: "Apparel & Accessories > Clothing > Outerwear > Coats & Jackets",
    code: "JKT",
    nouns: ["Rain Jacket", "Storm Shell", "Waterproof Anorak", "Packable Rain Jacket"],
    options: [
      { name: "Size", values: ["XS", "S", "M", "L", "XL", "XXL"], pick: [4, 6] },
      { name: "Color", values: COLORS, pick: [1, 3] },
    ],
    price: [89, 329],
    grams: [280, 620],
    features: [
      "fully taped seams",
      "a helmet-compatible hood",
      "pit zips for venting",
      "a 20,000 mm waterproof rating",
      "a packable chest pocket",
      "adjustable cuffs",
    ],
    uses: ["all-day hikes in steady rain", "city commutes", "alpine scrambles", "travel where the weather turns fast"],
    materials: ["3-layer recycled nylon", "2.5-layer ripstop polyester", "a breathable PFC-free membrane"],
    tags: ["waterproof", "rain", "outerwear"],
  },
  {
    type: "Insulated Jackets",
    taxonomy: "Apparel & Accessories > Clothing > Outerwear > Coats & Jackets",
    code: "INS",
    nouns: ["Down Jacket", "Synthetic Puffer", "Insulated Hoodie", "Belay Parka"],
    options: [
      { name: "Size", values: ["XS", "S", "M", "L", "XL"], pick: [4, 5] },
      { name: "Color", values: COLORS, pick: [1, 3] },
    ],
    price: [119, 399],
    grams: [300, 780],
    features: [
      "800-fill responsibly sourced down",
      "water-resistant synthetic fill",
      "a stuff sack pocket",
      "a two-way front zip",
      "a draft collar",
    ],
    uses: ["cold belays", "winter camp evenings", "shoulder-season layering", "frosty morning walks"],
    materials: ["20D ripstop nylon", "recycled polyester shell", "a windproof face fabric"],
    tags: ["warm", "insulated", "winter"],
  },
  {
    type: "Hiking Boots",
    taxonomy: "Apparel & Accessories > Shoes > Boots",
    code: "BOT",
    nouns: ["Hiking Boot", "Mid Trek Boot", "Waterproof Hiker", "Backpacking Boot"],
    options: [
      { name: "Size", values: ["6", "7", "8", "9", "10", "11", "12", "13"], pick: [5, 8] },
      { name: "Width", values: ["Regular", "Wide"], pick: [1, 2] },
    ],
    price: [119, 289],
    grams: [850, 1400],
    features: [
      "a waterproof breathable lining",
      "a grippy lugged outsole",
      "a rubber toe cap",
      "a cushioned EVA midsole",
      "gusseted tongues",
    ],
    uses: ["first hikes", "multi-day treks", "muddy forest trails", "rocky mountain paths"],
    materials: ["full-grain leather", "suede and mesh", "recycled nylon uppers"],
    tags: ["footwear", "hiking", "boots"],
  },
  {
    type: "Trail Running Shoes",
    taxonomy: "Apparel & Accessories > Shoes > Athletic Shoes",
    code: "TRS",
    nouns: ["Trail Runner", "Trail Shoe", "Mountain Racer", "Ultra Trail Shoe"],
    options: [
      { name: "Size", values: ["6", "7", "8", "9", "10", "11", "12"], pick: [5, 7] },
      { name: "Color", values: COLORS, pick: [1, 2] },
    ],
    price: [99, 189],
    grams: [240, 340],
    features: ["a 6 mm drop", "a rock plate", "5 mm lugs", "a quick-lace system", "a breathable engineered mesh upper"],
    uses: ["fast days in the hills", "ultra distances", "technical descents", "daily trail miles"],
    materials: ["engineered mesh", "recycled polyester", "a responsive foam midsole"],
    tags: ["footwear", "running", "trail"],
  },
  {
    type: "Backpacks",
    taxonomy: "Luggage & Bags > Backpacks",
    code: "PCK",
    nouns: ["Daypack", "Trekking Pack", "Travel Pack", "Summit Pack"],
    options: [
      { name: "Capacity", values: ["18 L", "24 L", "32 L", "45 L", "60 L"], pick: [1, 3] },
      { name: "Color", values: COLORS, pick: [1, 3] },
    ],
    price: [59, 279],
    grams: [450, 1900],
    features: [
      "a ventilated back panel",
      "a hydration sleeve",
      "hip-belt pockets",
      "a rain cover",
      "an adjustable torso length",
    ],
    uses: ["day hikes", "hut-to-hut trips", "weekend backpacking", "travel with carry-on limits"],
    materials: ["robic nylon", "recycled 210D ripstop", "waxed canvas"],
    tags: ["packs", "hiking", "travel"],
  },
  {
    type: "Tents",
    taxonomy: "Sporting Goods > Outdoor Recreation > Camping & Hiking > Tents",
    code: "TNT",
    nouns: ["Backpacking Tent", "Dome Tent", "Ultralight Shelter", "Family Tent"],
    options: [{ name: "Capacity", values: ["1 person", "2 person", "3 person", "4 person"], pick: [1, 3] }],
    price: [149, 649],
    grams: [900, 4200],
    features: [
      "two doors and two vestibules",
      "colour-coded poles",
      "a full-coverage fly",
      "a bathtub floor",
      "interior gear lofts",
    ],
    uses: ["summer backpacking", "windy ridge camps", "family car camping", "festival weekends"],
    materials: ["silnylon", "aluminium poles", "polyester fly with a 3,000 mm coating"],
    tags: ["camping", "shelter", "tents"],
  },
  {
    type: "Sleeping Bags",
    taxonomy: "Sporting Goods > Outdoor Recreation > Camping & Hiking > Sleeping Bags",
    code: "SLB",
    nouns: ["Sleeping Bag", "Down Quilt", "Mummy Bag", "Camp Blanket"],
    options: [
      { name: "Length", values: ["Regular", "Long"], pick: [1, 2] },
      { name: "Zip", values: ["Left", "Right"], pick: [1, 2] },
    ],
    price: [79, 459],
    grams: [500, 1800],
    features: [
      "a comfort rating of -2 °C",
      "a draft tube along the zip",
      "a roomy footbox",
      "a compression sack",
      "a hood with a cinch cord",
    ],
    uses: ["three-season camping", "cold alpine nights", "bikepacking", "sleepovers in the garden"],
    materials: ["650-fill down", "synthetic insulation", "brushed polyester lining"],
    tags: ["camping", "sleep"],
  },
  {
    type: "Camp Kitchen",
    taxonomy: "Sporting Goods > Outdoor Recreation > Camping & Hiking > Camp Cookware",
    code: "CKN",
    nouns: ["Cook Set", "Camp Stove", "Titanium Mug", "Insulated Bottle", "Spork Set", "Pour-Over Coffee Kit"],
    options: [],
    price: [12, 149],
    grams: [60, 900],
    features: ["a nesting design", "a folding handle", "a wind shield", "dishwasher-safe parts", "a 750 ml capacity"],
    uses: ["brewing coffee at camp", "quick trail lunches", "group dinners", "lightweight overnighters"],
    materials: ["titanium", "hard-anodised aluminium", "stainless steel"],
    tags: ["camping", "cooking"],
  },
  {
    type: "Headlamps & Lights",
    taxonomy: "Hardware > Tools > Flashlights & Headlamps > Headlamps",
    code: "LMP",
    nouns: ["Headlamp", "Camp Lantern", "Rechargeable Headlamp", "Clip Light"],
    options: [{ name: "Color", values: COLORS, pick: [1, 3] }],
    price: [19, 119],
    grams: [40, 320],
    features: [
      "a 400-lumen boost mode",
      "USB-C charging",
      "a red night-vision mode",
      "an IPX7 waterproof rating",
      "a lock mode for your pack",
    ],
    uses: ["pre-dawn starts", "tent reading", "night runs", "power cuts at home"],
    materials: ["impact-resistant polycarbonate", "anodised aluminium", "a silicone strap"],
    tags: ["lighting", "camping"],
  },
  {
    type: "Accessories",
    taxonomy: "Apparel & Accessories > Clothing Accessories",
    code: "ACC",
    nouns: ["Merino Beanie", "Hiking Socks", "Softshell Gloves", "Neck Gaiter", "Sun Hat", "Trekking Poles"],
    options: [{ name: "Size", values: ["S", "M", "L"], pick: [1, 3] }],
    price: [14, 89],
    grams: [30, 480],
    features: [
      "merino wool blend",
      "flat-lock seams",
      "touchscreen fingertips",
      "UPF 50 sun protection",
      "quick-lock adjustment",
    ],
    uses: ["chilly summits", "long days on the trail", "gifts for hikers", "sunny desert walks"],
    materials: ["merino wool", "recycled polyester", "carbon fibre"],
    tags: ["accessories", "gift"],
  },
];

/** EAN-13 with a correct check digit. */
function ean13(body12: string): string {
  const sum = [...body12].reduce((acc, digit, index) => acc + Number(digit) * (index % 2 ? 3 : 1), 0);
  return body12 + ((10 - (sum % 10)) % 10);
}

export interface DemoProduct extends ProductInput {
  handle: string;
  category: string;
}

/** The demo catalog (deterministic: the same seed gives the same products). */
export function demoProducts(count = 320, seed = DEMO_SEED): DemoProduct[] {
  return [...demoProductStream(count, seed)];
}

/** The same products one at a time (a 100,000-product store never sits in an array twice). */
export function* demoProductStream(count = 320, seed = DEMO_SEED): Generator<DemoProduct> {
  const random = seededRandom(seed);
  const pick = <T>(items: readonly T[]) => items[Math.floor(random() * items.length)];
  const between = (low: number, high: number) => low + Math.floor(random() * (high - low + 1));
  const sample = <T>(items: readonly T[], n: number) => {
    const copy = [...items];
    for (let i = copy.length - 1; i > 0; i--) {
      const j = Math.floor(random() * (i + 1));
      [copy[i], copy[j]] = [copy[j], copy[i]];
    }
    return copy.slice(0, n);
  };
  const handles = new Set<string>();
  let barcode = 400638100000;
  for (let index = 0; index < count; index++) {
    const category = CATEGORIES[index % CATEGORIES.length];
    const model = MODELS[Math.floor(index / CATEGORIES.length) % MODELS.length];
    const noun = pick(category.nouns);
    const generation = Math.floor(index / (CATEGORIES.length * MODELS.length));
    const title = `${model} ${noun}${generation ? ` ${generation + 1}` : ""}`;
    let handle = handleize(title);
    for (let n = 2; handles.has(handle); n++) handle = `${handleize(title)}-${n}`;
    handles.add(handle);
    const vendor = pick(VENDORS);
    const base = between(category.price[0], category.price[1]);
    const price = `${base}.${pick(["00", "95", "99", "50"])}`;
    const onSale = random() < 0.18;
    const compareAt = onSale ? `${Math.round(base * (1.15 + random() * 0.35))}.00` : null;

    const options = category.options.map((option) => ({
      name: option.name,
      values:
        option.name === "Size" ||
        option.name === "Width" ||
        option.name === "Length" ||
        option.name === "Zip" ||
        option.name === "Capacity"
          ? option.values.slice(0, between(option.pick[0], option.pick[1]))
          : sample(option.values, between(option.pick[0], option.pick[1])),
    }));
    const combinations = options.reduce<string[][]>(
      (acc, option) => acc.flatMap((prefix) => option.values.map((value) => [...prefix, value])),
      [[]],
    );
    const imageCount = options.find((o) => o.name === "Color")?.values.length ?? 1;
    const images = Array.from({ length: Math.max(1, imageCount) }, (_, i) => {
      const color = options.find((o) => o.name === "Color")?.values[i];
      return {
        src: `${DEMO_IMAGE_ORIGIN}/${handleize(category.type)}/${handle}${color ? `-${handleize(color)}` : ""}.svg`,
        alt: color ? `${title} in ${color}` : title,
      };
    });
    const soldOutProduct = random() < 0.05;
    const variants: VariantInput[] = combinations.map((values, v) => {
      const colorIndex = options.findIndex((o) => o.name === "Color");
      const imageIndex = colorIndex >= 0 ? options[colorIndex].values.indexOf(values[colorIndex]) : undefined;
      // Bigger capacities cost more.
      const capacityIndex = options.findIndex((o) => o.name === "Capacity" || o.name === "Length");
      const step = capacityIndex >= 0 ? options[capacityIndex].values.indexOf(values[capacityIndex]) : 0;
      const variantPrice = step
        ? `${base + step * Math.max(10, Math.round(base * 0.12))}.${price.split(".")[1]}`
        : price;
      return {
        optionValues: options.length ? values : undefined,
        sku: `${vendor.slice(0, 2).toUpperCase()}-${category.code}-${String(index + 1).padStart(4, "0")}${values.length ? `-${values.map((value) => handleize(value).slice(0, 3).toUpperCase()).join("-")}` : ""}`,
        barcode: ean13(String(barcode++)),
        price: variantPrice,
        compareAtPrice:
          onSale && compareAt ? `${Number(compareAt.split(".")[0]) + (Number(variantPrice) - Number(price))}.00` : null,
        inventoryQuantity: soldOutProduct || random() < 0.1 ? 0 : between(1, 60),
        inventoryPolicy: random() < 0.05 ? "continue" : "deny",
        inventoryTracked: true,
        taxable: true,
        grams: between(category.grams[0], category.grams[1]),
        imageIndex: imageIndex !== undefined && imageIndex >= 0 ? imageIndex : v === 0 ? 0 : undefined,
      };
    });

    const features = sample(category.features, 3);
    const use = pick(category.uses);
    const material = pick(category.materials);
    const weight = variants[0].grams!;
    const bodyHtml =
      `<p>The ${title} is built for ${use}. ${vendor} makes it from ${material}, with ${features[0]} and ${features[1]}.</p>` +
      `<ul><li>${features.map((f) => f[0].toUpperCase() + f.slice(1)).join("</li><li>")}</li><li>Weight: ${weight >= 1000 ? `${(weight / 1000).toFixed(2)} kg` : `${weight} g`}</li></ul>` +
      `<p>${pick([
        "Backed by our two-year warranty and free repairs for the first season.",
        "Tested by our staff on the local hills before it reached the shelf.",
        "Made in a Fair Trade certified factory.",
        "Ships in plastic-free packaging.",
      ])}</p>`;
    const statusRoll = random();
    const status = statusRoll < 0.03 ? "draft" : statusRoll < 0.04 ? "archived" : "active";
    const published = status === "active" && random() > 0.025;
    const tags = [
      ...category.tags,
      ...(onSale ? ["sale"] : []),
      ...(base < 50 ? ["under-50"] : []),
      ...(random() < 0.15 ? ["new-arrival"] : []),
    ];
    yield {
      title,
      handle,
      category: category.taxonomy,
      bodyHtml,
      vendor,
      productType: category.type,
      tags,
      status,
      published,
      seoTitle: `${title} | ${vendor}`,
      seoDescription: `${title} by ${vendor}: ${features[0]}, ${features[1]}. Ideal for ${use}.`,
      options: options.length ? options.map((o) => o.name) : undefined,
      variants,
      images,
    };
  }
}
