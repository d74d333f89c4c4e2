// The SQL catalog store on real databases: one suite, run on SQLite (FTS5) and on Postgres
// (tsvector; needs TEST_POSTGRES_URL, e.g. from `bash tools/ensure-postgres.sh`).
import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { buildProductDocument, type ProductDocument } from "../../app/lib/catalog/product-document";
import type { CatalogStore } from "../../app/lib/search/catalog-store";
import { matchesFilters, type SearchFilters } from "../../app/lib/search/query-parser";
import { createCatalogStoreFor } from "../../app/lib/search/search-stores.server";
import { createCatalogStore, type CatalogDialect } from "../../app/lib/search/sql-catalog-store.server";
import { createTestDatabase } from "../helpers/database";
import { createPostgresTestDatabase, postgresAvailable, type PostgresTestDatabase } from "../helpers/postgres-database";
import { makeProduct, type ProductSpec } from "./products";

type Prisma = PostgresTestDatabase["prisma"];

const SHOP = "catalog-a.myshopify.com";
const OTHER = "catalog-b.myshopify.com";

const doc = (spec: ProductSpec) => buildProductDocument(makeProduct(spec));

function catalogSpecs(): ProductSpec[] {
  return [
    {
      id: "gid://shopify/Product/1",
      title: "Storm Tent",
      vendor: "NorthPeak",
      productType: "Tent",
      tags: ["camping", "3-season"],
      description: "A waterproof shelter for two.",
      variants: [
        { price: "100", sku: "NP-TEMPEST-M", barcode: "0123456789", options: { Size: "M", Color: "Blue" } },
        { price: "200", sku: "NP-TEMPEST-L", options: { Size: "L", Color: "Green" } },
      ],
    },
    {
      id: "gid://shopify/Product/2",
      title: "Trail Chair",
      vendor: "Acme",
      productType: "Chair",
      description: "Folds flat. Pairs well with a lantern and a tent.",
      variants: [{ price: "40", available: false, options: { Color: "Blue", Material: "100%_Wool" } }],
    },
    {
      id: "gid://shopify/Product/3",
      title: "Lantern",
      vendor: "Lumo",
      productType: "Lighting",
      description: "Bright light for the campsite.",
      variants: [{ price: "25", options: { Material: "A|B" } }],
    },
    {
      id: "gid://shopify/Product/4",
      title: "Café Mug",
      vendor: "Acme",
      productType: "Kitchen",
      handle: "cafe-mug",
      variants: [{ price: "12.5", barcode: "MUG-BARCODE-1", options: { Color: "Red", Size: "M" } }],
    },
  ];
}

function catalog(): ProductDocument[] {
  return catalogSpecs().map(doc);
}

function catalogStoreSuite(
  dialect: CatalogDialect,
  open: () => Promise<{ prisma: Prisma; store?: CatalogStore; close: () => Promise<void> }>,
) {
  let prisma: Prisma;
  let close: () => Promise<void>;
  let store: CatalogStore;
  const documents = catalog();

  beforeAll(async () => {
    let opened: CatalogStore | undefined;
    ({ prisma, close, store: opened } = await open());
    store = opened ?? createCatalogStore(prisma, dialect);
  });
  afterAll(async () => {
    await store?.close();
    await close?.();
  });

  beforeEach(async () => {
    await store.dropShop(SHOP);
    await store.dropShop(OTHER);
    await prisma.searchIndex.deleteMany();
    for (const shop of [SHOP, OTHER]) {
      await prisma.searchIndex.create({ data: { shop, activeCollection: "c", provider: "p", model: "m" } });
    }
    await store.write(SHOP, documents);
  });

  const versions = async (shop = SHOP) => {
    const row = await prisma.searchIndex.findUniqueOrThrow({ where: { shop } });
    return { version: row.version, vocabularyVersion: row.vocabularyVersion };
  };

  it("reads back what was written, by id and in keyset pages", async () => {
    expect(await store.count(SHOP)).toBe(4);
    expect(await store.listProductIds(SHOP)).toEqual(documents.map((d) => d.id).sort());
    const [tent] = await store.read(SHOP, ["gid://shopify/Product/1", "gid://shopify/Product/404"]);
    expect(tent).toEqual({
      id: documents[0].id,
      text: documents[0].text,
      keywords: documents[0].keywords,
      metadata: documents[0].metadata,
    });
    const first = await store.page(SHOP, null, 3);
    const rest = await store.page(SHOP, first.at(-1)!.id, 3);
    expect([...first, ...rest].map((p) => p.id)).toEqual(documents.map((d) => d.id).sort());
    expect(await store.existingIds(SHOP, ["gid://shopify/Product/2", "nope"])).toEqual(
      new Set(["gid://shopify/Product/2"]),
    );
  });

  it("filters exactly as matchesFilters does", async () => {
    const cases: SearchFilters[] = [
      {},
      { maxPrice: 100 },
      { maxPrice: 99.99 },
      { minPrice: 150 },
      { minPrice: 200.01 },
      { minPrice: 20, maxPrice: 30 },
      { inStock: true },
      { productTypes: ["Tent", "Chair"] },
      { productTypes: ["tent"] },
      { vendors: ["Acme"] },
      { options: [{ name: "Color", value: "Blue" }] },
      { options: [{ name: "Color", value: "blue" }] },
      {
        options: [
          { name: "Color", value: "Blue" },
          { name: "Color", value: "Red" },
        ],
      },
      {
        options: [
          { name: "Color", value: "Blue" },
          { name: "Size", value: "M" },
        ],
      },
      {
        options: [
          { name: "Color", value: "Red" },
          { name: "Size", value: "L" },
        ],
      },
      { options: [{ name: "Material", value: "100%_Wool" }] },
      { options: [{ name: "Material", value: "100%" }] },
      { options: [{ name: "Material", value: "1__%_Wool" }] },
      { options: [{ name: "Material", value: "A|B" }] },
      { options: [{ name: "Material", value: "A" }] },
      { options: [{ name: "Material", value: "B" }] },
      // A value reaching into the next pair is not a value the product has.
      { options: [{ name: "Color", value: "Blue|Material:100%_Wool" }] },
      { options: [{ name: "Size", value: "M|Color:Blue" }] },
      { vendors: ["Acme"], inStock: true, maxPrice: 50 },
      // One value under several option names: alternatives (optionGroups); other groups must hold too.
      {
        options: [
          { name: "Size", value: "M" },
          { name: "Material", value: "m" },
        ],
      },
      {
        options: [
          { name: "Size", value: "M" },
          { name: "Color", value: "Red" },
          { name: "Material", value: "Red" },
        ],
      },
      {
        options: [
          { name: "Color", value: "Blue" },
          { name: "Material", value: "blue" },
          { name: "Material", value: "100%_Wool" },
        ],
      },
    ];
    for (const filters of cases) {
      const expected = documents.filter((d) => matchesFilters(d.metadata, filters)).map((d) => d.id);
      expect(await store.filtered(SHOP, filters, 100), JSON.stringify(filters)).toEqual(expected.sort());
      // The same set, in whatever order the database finds it.
      expect((await store.passing(SHOP, filters, 100)).sort(), JSON.stringify(filters)).toEqual(expected.sort());
    }
    // At most `limit` of the passing products; a price order asked for does not change which pass.
    const all = await store.filtered(SHOP, {}, 100);
    const two = await store.passing(SHOP, { sort: "price_desc" }, 2);
    expect(two).toHaveLength(2);
    expect(all).toEqual(expect.arrayContaining(two));
    expect(
      (
        await store.passing(SHOP, { vendors: ["Acme"] }, 10, ["gid://shopify/Product/2", "gid://shopify/Product/1"])
      ).sort(),
    ).toEqual(["gid://shopify/Product/2"]);
    expect(await store.passing(SHOP, {}, 10, [])).toEqual([]);
    expect(await store.filtered(SHOP, { sort: "price_asc" }, 2)).toEqual([
      "gid://shopify/Product/4",
      "gid://shopify/Product/3",
    ]);
    expect(await store.filtered(SHOP, { sort: "price_desc" }, 1)).toEqual(["gid://shopify/Product/1"]);
    expect(
      await store.filtered(SHOP, { vendors: ["Acme"] }, 10, ["gid://shopify/Product/2", "gid://shopify/Product/1"]),
    ).toEqual(["gid://shopify/Product/2"]);
    expect(await store.filtered(SHOP, {}, 10, [])).toEqual([]);
  });

  it("ranks by field weight, stems, prefixes and code parts", async () => {
    const ids = async (text: string, filters: SearchFilters = {}) =>
      (await store.lexical(SHOP, text, filters, 10)).map((h) => h.id);
    // The lantern's title beats the chair's body mention.
    expect((await ids("lantern"))[0]).toBe("gid://shopify/Product/3");
    expect(await ids("lantern")).toContain("gid://shopify/Product/2");
    expect((await ids("tents"))[0]).toBe("gid://shopify/Product/1");
    expect(await ids("waterp")).toEqual(["gid://shopify/Product/1"]);
    expect(await ids("tempest")).toEqual(["gid://shopify/Product/1"]);
    // Whole code: every part matches (terms are OR-ed, so "m" alone also finds the size-M mug).
    expect((await ids("NP-TEMPEST-M"))[0]).toBe("gid://shopify/Product/1");
    expect(await ids("cafe")).toEqual(["gid://shopify/Product/4"]);
    expect(await ids("café")).toEqual(["gid://shopify/Product/4"]);
    expect(await ids("northpeak")).toEqual(["gid://shopify/Product/1"]);
    expect(await ids("the with and")).toEqual([]);
    // Filters apply in the same query.
    expect(await ids("lantern tent", { maxPrice: 30 })).toEqual(["gid://shopify/Product/3"]);
    const hits = await store.lexical(SHOP, "lantern", {}, 10);
    expect(hits[0].score).toBeGreaterThan(hits[1].score);
    expect(await store.lexical(SHOP, "lantern", {}, 1)).toHaveLength(1);
  });

  it("expands only the last word as a prefix, and only from four letters", async () => {
    const ids = async (text: string) => (await store.lexical(SHOP, text, {}, 10)).map((h) => h.id).sort();
    // The last word may still be being typed: "waterp" finds the waterproof tent.
    expect(await ids("waterp")).toEqual(["gid://shopify/Product/1"]);
    expect(await ids("lantern waterp")).toEqual([
      "gid://shopify/Product/1",
      "gid://shopify/Product/2",
      "gid://shopify/Product/3",
    ]);
    // A word with another after it, or a space, is finished: it matches whole words only.
    expect(await ids("waterp lantern")).toEqual(["gid://shopify/Product/2", "gid://shopify/Product/3"]);
    expect(await ids("waterp ")).toEqual([]);
    // Short words are never prefixes.
    expect(await ids("lant")).toEqual(["gid://shopify/Product/2", "gid://shopify/Product/3"]);
    expect(await ids("lan")).toEqual([]);
  });

  it("ranks the kind of product a query names in several fields above a rarer word in one", async () => {
    // "grey" is rarer than "wardrobe", but the wardrobes name their kind in title, type, tags and
    // text: the fields add up (per-field BM25 on SQLite, weighted ts_rank on Postgres) instead of
    // one saturated count over all fields letting the rarer word win.
    let n = 0;
    const product = (title: string, productType: string, tags: string[] = []) =>
      doc({ id: `gid://shopify/Product/9${String(++n).padStart(3, "0")}`, title, productType, tags });
    const wardrobes = ["Oak", "Pine", "Birch", "Teak"].map((wood) =>
      product(`${wood} Wardrobe`, "Wardrobes", ["wardrobe"]),
    );
    const fillers = Array.from({ length: 40 }, (_, i) => product(`Plain Item ${i}`, "Misc"));
    await store.write(OTHER, [
      ...wardrobes,
      product("Grey Rug", "Rugs"),
      product("Grey Throw", "Blankets"),
      ...fillers,
    ]);
    const hits = (await store.lexical(OTHER, "grey wardrobe", {}, 10)).map((hit) => hit.id);
    expect(hits.slice(0, 4).sort()).toEqual(wardrobes.map((w) => w.id).sort());
    expect(hits).toHaveLength(6);
  });

  it.runIf(dialect === "sqlite")(
    "SQLite: a product where the query's words stand together outranks one with them apart (term dependence)",
    async () => {
      let n = 0;
      const product = (title: string, productType: string, tags: string[], description: string) =>
        doc({ id: `gid://shopify/Product/7${String(++n).padStart(3, "0")}`, title, productType, tags, description });
      // A long text weighs a title match down (BM25 normalises by the whole entry's length).
      const together = product(
        "Rain Jacket",
        "Outerwear",
        [],
        "Made with care and tested in every weather. ".repeat(6),
      );
      // More fields name each word, but none has them within eight words of each other.
      const apart = product(
        "Jacket",
        "Jackets",
        ["rain"],
        "The long cut, deep pockets and hood keep you dry in the rain.",
      );
      const fillers = Array.from({ length: 20 }, (_, i) => product(`Plain Item ${i}`, "Misc", [], "Nothing else."));
      await store.write(OTHER, [apart, together, ...fillers]);
      const hits = await store.lexical(OTHER, "rain jacket", {}, 10);
      expect(hits.map((hit) => hit.id)).toEqual([together.id, apart.id]);
      // Asked for "jacket" alone, the product naming it in more fields leads: the pair turns the order.
      const alone = async (word: string) => (await store.lexical(OTHER, word, {}, 10)).map((hit) => hit.id);
      expect(await alone("jacket")).toEqual([apart.id, together.id]);
    },
  );

  it("ranks a shop's products by its own catalog, whatever other shops hold", async () => {
    // bm25() weighs a word by how few products hold it: this shop's products, not every shop's in
    // the database (decision 145). Postgres' ts_rank has no such weight.
    const before = await store.lexical(SHOP, "blue tent lantern", {}, 10);
    expect(before.length).toBeGreaterThan(1);
    const neighbours = Array.from({ length: 60 }, (_, i) =>
      doc({
        id: `gid://shopify/Product/8${String(i).padStart(3, "0")}`,
        title: `Blue Tent ${i}`,
        productType: "Tent",
        description: "A tent.",
      }),
    );
    await store.write(OTHER, neighbours);
    expect(await store.lexical(SHOP, "blue tent lantern", {}, 10)).toEqual(before);
  });

  it("ranks a catalog whose products were rewritten and removed as one written once as it now is", async () => {
    // bm25() counts products and their lengths: entries rewritten or removed must leave no trace in
    // those counts (on SQLite a rowid delete of a contentless entry did).
    const rewritten = (i: number) =>
      doc({ ...catalogSpecs()[1], description: `Folds flat. Revision ${i} of a long text about tents and lanterns.` });
    for (let i = 0; i < 5; i++) await store.write(SHOP, [rewritten(i)]);
    await store.write(SHOP, [doc({ ...catalogSpecs()[2], title: "Camp Lantern" })]);
    await store.remove(SHOP, [documents[3].id]);
    const current = [documents[0], rewritten(4), doc({ ...catalogSpecs()[2], title: "Camp Lantern" })];
    await store.write(OTHER, current);
    for (const query of ["tent lantern", "blue tent", "camp", "folds flat tents"]) {
      expect(await store.lexical(SHOP, query, {}, 10), query).toEqual(await store.lexical(OTHER, query, {}, 10));
    }
  });

  it.runIf(dialect === "sqlite")(
    "SQLite: a shop's full-text table is built again from its rows when missing (a database from before decision 145)",
    async () => {
      const tables = async () =>
        (
          await prisma.$queryRawUnsafe<{ name: string }[]>(
            `SELECT name FROM sqlite_master WHERE type = 'table' AND sql LIKE 'CREATE VIRTUAL TABLE%'`,
          )
        ).map((row) => row.name);
      const [table] = await tables();
      expect(await tables()).toEqual([table]);
      const before = await store.lexical(SHOP, "tent", {}, 10);
      expect(before.length).toBe(2);

      // The upgrade's migration drops the shared table: searches find nothing lexically, and fail not.
      await prisma.$executeRawUnsafe(`DROP TABLE "${table}"`);
      expect(await store.lexical(SHOP, "tent", {}, 10)).toEqual([]);
      // A table of entries made another way (an earlier LEXICAL_VERSION) is dropped, not reused.
      await prisma.$executeRawUnsafe(`CREATE VIRTUAL TABLE "SearchProductFts_v0_old" USING fts5(title, content='')`);
      await store.ready();
      expect(await store.lexical(SHOP, "tent", {}, 10)).toEqual(before);
      expect(await tables()).toEqual([table]);

      // A write that changes an entry brings back every row's entries, not only those it writes; a
      // price change touches no entry and leaves the table to ready().
      await prisma.$executeRawUnsafe(`DROP TABLE "${table}"`);
      await store.write(SHOP, [
        doc({ ...catalogSpecs()[3], variants: [{ ...catalogSpecs()[3].variants![0], price: "14" }] }),
      ]);
      expect(await tables()).toEqual([]);
      const mug = doc({ ...catalogSpecs()[3], description: "A sturdy mug." });
      await store.write(SHOP, [mug]);
      // The same as a shop written once as it now is.
      await store.write(OTHER, [...documents.slice(0, 3), mug]);
      for (const query of ["tent", "sturdy mug"]) {
        expect(await store.lexical(SHOP, query, {}, 10), query).toEqual(await store.lexical(OTHER, query, {}, 10));
      }
      expect((await store.lexical(SHOP, "sturdy", {}, 10)).map((hit) => hit.id)).toEqual([documents[3].id]);

      await store.dropShop(SHOP);
      const left = await tables();
      expect(left).toHaveLength(1);
      expect(left).not.toContain(table);
    },
  );

  it("scores each word a product holds, whichever the query names first, when the ranking takes any word", async () => {
    // One product holds both words, far apart; fewer than the ten wanted do, so any word counts.
    const far = doc({
      id: "gid://shopify/Product/7100",
      title: "Jacket",
      productType: "Outerwear",
      description: "Made with care and tested in every weather, it keeps you dry in the rain.",
    });
    const fillers = Array.from({ length: 20 }, (_, i) =>
      doc({ id: `gid://shopify/Product/71${String(i + 1).padStart(2, "0")}`, title: `Plain Item ${i}` }),
    );
    await store.write(OTHER, [far, ...fillers, doc({ id: "gid://shopify/Product/7199", title: "Rain Cover" })]);
    const scoreOf = async (text: string) =>
      (await store.lexical(OTHER, text, {}, 10)).find((hit) => hit.id === far.id)?.score;
    const forward = await scoreOf("rain jacket");
    expect(forward).toBeGreaterThan(0);
    expect(await scoreOf("jacket rain")).toBeCloseTo(forward!, 9);
  });

  it("returns products with every word first when enough have them all, else any word", async () => {
    let n = 0;
    const product = (title: string, productType = "Gear", tags: string[] = [], description = "") =>
      doc({ id: `gid://shopify/Product/8${String(++n).padStart(3, "0")}`, title, productType, tags, description });
    // Long texts: both back ends weigh matches down in long documents.
    const long = "Made for the outdoors with care and tested over many seasons in every weather. ".repeat(8);
    const both = [product("Camp Stove", "Gear", [], long), product("Camp Stove Mini", "Gear", [], long)];
    // One word each, but named in every field of a short document, and "camp" is common.
    const single = [
      product("Stove", "Stoves", ["stove"], "A stove."),
      product("Big Stove", "Stoves", ["stove"], "A big stove."),
      product("Small Stove", "Stoves", ["stove"], "A small stove."),
    ];
    const common = Array.from({ length: 20 }, (_, i) => product(`Camp Item ${i}`, "Misc", [], "For the camp."));
    await store.write(OTHER, common);
    await store.write(OTHER, [...both, ...single]);
    const ids = async (limit: number) => (await store.lexical(OTHER, "camp stove", {}, limit)).map((hit) => hit.id);
    const anyWord = await ids(5);
    expect(anyWord).toHaveLength(5);
    // The premise on SQLite: single-word products rank above both-word ones when all compete
    // (BM25 sums per word). Postgres' ts_rank averages over the query's words, so there every-word
    // products lead already and the first step only saves work.
    if (dialect === "sqlite") expect(anyWord.slice(0, 3).sort()).toEqual(single.map((p) => p.id).sort());
    // Two products have both words: asked for two, those are the answer, best first as above.
    expect((await ids(2)).sort()).toEqual(both.map((p) => p.id).sort());
    // Asked for three, "every word" is not enough: ranked over any word, as before.
    expect(await ids(3)).toEqual(anyWord.slice(0, 3));
  });

  it("with filters, finds the passing matches however far below the best of every match they rank", async () => {
    const lanterns = Array.from({ length: 40 }, (_, i) =>
      doc({
        id: `gid://shopify/Product/7${String(i).padStart(3, "0")}`,
        title: `Lantern ${i}`,
        vendor: "Acme",
        productType: "Lantern",
        tags: ["lantern"],
      }),
    );
    const long = "A light for the porch, the shed and the long winter evenings, built to last for years. ".repeat(6);
    const lumo = ["a", "b", "c"].map((suffix) =>
      doc({
        id: `gid://shopify/Product/79${suffix}`,
        title: "Porch Light",
        vendor: "Lumo",
        description: `Lantern. ${long}`,
      }),
    );
    await store.write(OTHER, [...lanterns, ...lumo]);
    const unfiltered = (await store.lexical(OTHER, "lantern", {}, 50)).map((hit) => hit.id);
    // The premise: every Acme lantern outranks the Lumo ones, far beyond a few times the 2 asked for.
    expect(unfiltered.slice(0, 40).sort()).toEqual(lanterns.map((p) => p.id).sort());
    const hits = await store.lexical(OTHER, "lantern", { vendors: ["Lumo"] }, 2);
    expect(hits.map((hit) => hit.id)).toEqual(
      unfiltered.filter((id) => id.startsWith("gid://shopify/Product/79")).slice(0, 2),
    );
  });

  it("says which hits hold every word in their name (title, brand, type, codes), not only in tags or text", async () => {
    const named = async (text: string) =>
      Object.fromEntries((await store.lexical(SHOP, text, {}, 10)).map((hit) => [hit.id, hit.named]));
    // Title and type; a word only in the tent's text or tags does not name it.
    expect(await named("trail chair")).toMatchObject({ "gid://shopify/Product/2": true });
    expect(await named("lantern tent")).toEqual({
      "gid://shopify/Product/1": false,
      "gid://shopify/Product/2": false,
      "gid://shopify/Product/3": false,
    });
    expect(await named("waterproof tent")).toMatchObject({ "gid://shopify/Product/1": false });
    expect(await named("camping tent")).toMatchObject({ "gid://shopify/Product/1": false });
    // Brand and type are name fields; stems and prefixes as in ranking; the code's parts too.
    expect(await named("northpeak tents")).toMatchObject({ "gid://shopify/Product/1": true });
    expect(await named("acme kitch")).toEqual({ "gid://shopify/Product/4": true, "gid://shopify/Product/2": false });
    expect(await named("tempest storm")).toMatchObject({ "gid://shopify/Product/1": true });
  });

  it("never throws on hostile query text", async () => {
    const hostile = [
      '"',
      '"tent',
      "tent*",
      "*",
      "NEAR(tent lantern)",
      "tent OR",
      "OR",
      "AND NOT",
      "title:tent",
      ":",
      "!",
      "'",
      "'tent':*",
      "tent & | !",
      "\\",
      "(",
      ")",
      "^tent",
      "-tent",
      "{title}: x",
      "²",
      "🏕️ tent",
      "%_",
      "NEAR",
      "tent NOT lantern",
    ];
    for (const text of hostile) {
      await expect(store.lexical(SHOP, text, {}, 10), text).resolves.toBeInstanceOf(Array);
    }
    expect((await store.lexical(SHOP, 'NEAR("tent"', {}, 10)).map((h) => h.id)).toContain("gid://shopify/Product/1");
  });

  it("bumps version on every write and vocabularyVersion only when the vocabulary may change", async () => {
    expect(await versions()).toEqual({ version: 1, vocabularyVersion: 1 });
    const tent = documents[0];
    const cheaper = { ...tent, metadata: { ...tent.metadata, minPrice: 90 } };
    await store.write(SHOP, [cheaper]);
    expect(await versions()).toEqual({ version: 2, vocabularyVersion: 1 });
    expect(await store.filtered(SHOP, { maxPrice: 95 }, 10)).toContain(tent.id);
    await store.write(SHOP, [{ ...cheaper, metadata: { ...cheaper.metadata, vendor: "SouthPeak" } }]);
    expect(await versions()).toEqual({ version: 3, vocabularyVersion: 2 });
    expect((await store.lexical(SHOP, "southpeak", {}, 10)).map((h) => h.id)).toEqual([tent.id]);
    expect((await store.vocabularySource(SHOP)).vendors).toEqual(["Acme", "Lumo", "SouthPeak"]);
    const sizeM = { options: [{ name: "Size", value: "M" }] };
    expect(await store.filtered(SHOP, sizeM, 10)).toContain(tent.id);
    await store.write(SHOP, [{ ...cheaper, metadata: { ...cheaper.metadata, optionValues: "|Size:XL|" } }]);
    expect(await versions()).toEqual({ version: 4, vocabularyVersion: 3 });
    // The option rows follow the product's options.
    expect(await store.filtered(SHOP, sizeM, 10)).not.toContain(tent.id);
    expect(await store.filtered(SHOP, { options: [{ name: "Size", value: "XL" }] }, 10)).toEqual([tent.id]);
    expect(await store.lexical(SHOP, "tent", sizeM, 10)).not.toContainEqual(expect.objectContaining({ id: tent.id }));
    await store.remove(SHOP, ["gid://shopify/Product/404"]);
    expect(await versions()).toEqual({ version: 4, vocabularyVersion: 3 });
    await store.remove(SHOP, [tent.id]);
    expect(await versions()).toEqual({ version: 5, vocabularyVersion: 4 });
    expect(await prisma.searchProductOption.count({ where: { shop: SHOP, productId: tent.id } })).toBe(0);
    // A shop without a registry row can still be written.
    await prisma.searchIndex.delete({ where: { shop: SHOP } });
    await store.write(SHOP, [tent]);
    expect(await store.count(SHOP)).toBe(4);
  });

  it("replaces a rewritten product's codes and lexical entries, also under concurrent writes", async () => {
    const tent = documents[0];
    const renamed = (title: string, sku: string) => ({
      ...tent,
      metadata: { ...tent.metadata, title, skus: `|${sku}|`, barcodes: "" },
      keywords: [tent.metadata.handle, sku],
    });
    await Promise.all([
      store.write(SHOP, [renamed("Gale Shelter", "GALE-1")]),
      store.write(SHOP, [renamed("Squall Shelter", "SQUALL-1")]),
    ]);
    expect(await store.count(SHOP)).toBe(4);
    const [title] = (await store.read(SHOP, [tent.id])).map((p) => p.metadata.title);
    const winner = title === "Gale Shelter" ? "gale" : "squall";
    const loser = winner === "gale" ? "squall" : "gale";
    expect((await store.lexical(SHOP, winner, {}, 10)).map((h) => h.id)).toEqual([tent.id]);
    expect(await store.lexical(SHOP, loser, {}, 10)).toEqual([]);
    expect(await store.exactCodes(SHOP, [`${winner}-1`, `${loser}-1`, "np-tempest-m", "0123456789"])).toEqual([
      { code: `${winner}-1`, id: tent.id, sku: `${winner.toUpperCase()}-1` },
    ]);
    // Both writes renamed the product: the kind vocabulary (title head nouns) may have changed.
    expect(await versions()).toEqual({ version: 3, vocabularyVersion: 3 });
    expect(await store.kindSource(SHOP)).toContainEqual({ productType: "Tent", title: title });

    // A price change keeps the codes and full-text entries; a title change alone (same text) replaces them.
    const [current] = await store.read(SHOP, [tent.id]);
    const stored = { ...tent, keywords: current.keywords, metadata: current.metadata };
    await store.write(SHOP, [{ ...stored, metadata: { ...stored.metadata, minPrice: 55 } }]);
    expect(await versions()).toEqual({ version: 4, vocabularyVersion: 3 });
    expect((await store.lexical(SHOP, winner, { maxPrice: 60 }, 10)).map((h) => h.id)).toEqual([tent.id]);
    expect(await store.exactCodes(SHOP, [`${winner}-1`])).toEqual([
      { code: `${winner}-1`, id: tent.id, sku: `${winner.toUpperCase()}-1` },
    ]);
    await store.write(SHOP, [{ ...stored, metadata: { ...stored.metadata, title: "Breeze Shelter" } }]);
    expect((await store.lexical(SHOP, "breeze", {}, 10)).map((h) => h.id)).toEqual([tent.id]);
  });

  it("keeps shops apart and removes a product's rows, codes and lexical entries", async () => {
    const other = doc({
      id: documents[0].id,
      title: "Harbour Kayak",
      vendor: "Seaway",
      productType: "Kayak",
      variants: [{ price: "900", sku: "NP-TEMPEST-M", options: { Size: "M" } }],
    });
    await store.write(OTHER, [other]);
    expect(await versions(OTHER)).toEqual({ version: 1, vocabularyVersion: 1 });
    expect(await versions(SHOP)).toEqual({ version: 1, vocabularyVersion: 1 });
    expect(await store.count(OTHER)).toBe(1);
    expect(await store.lexical(OTHER, "tent", {}, 10)).toEqual([]);
    expect((await store.lexical(OTHER, "kayak", {}, 10)).map((h) => h.id)).toEqual([other.id]);
    expect(await store.lexical(SHOP, "kayak", {}, 10)).toEqual([]);
    expect(await store.filtered(OTHER, { minPrice: 500 }, 10)).toEqual([other.id]);
    expect(await store.filtered(SHOP, { minPrice: 500 }, 10)).toEqual([]);
    expect((await store.vocabularySource(OTHER)).vendors).toEqual(["Seaway"]);

    await store.remove(SHOP, [documents[0].id]);
    expect(await store.lexical(SHOP, "tent", {}, 10).then((hits) => hits.map((h) => h.id))).toEqual([
      "gid://shopify/Product/2",
    ]);
    expect(await store.exactCodes(SHOP, ["np-tempest-m"])).toEqual([]);
    expect(await store.exactCodes(OTHER, ["np-tempest-m"])).toEqual([
      { code: "np-tempest-m", id: other.id, sku: "NP-TEMPEST-M" },
    ]);

    await store.dropShop(SHOP);
    expect(await store.count(SHOP)).toBe(0);
    expect(await store.lexical(SHOP, "lantern", {}, 10)).toEqual([]);
    expect(await store.exactCodes(SHOP, ["cafe-mug"])).toEqual([]);
    expect(await prisma.searchProductOption.count({ where: { shop: SHOP } })).toBe(0);
    expect(await store.filtered(OTHER, { options: [{ name: "Size", value: "M" }] }, 10)).toEqual([other.id]);
    expect(await store.count(OTHER)).toBe(1);
    // Written again after a drop: no stale lexical entries collide.
    await store.write(SHOP, documents);
    expect((await store.lexical(SHOP, "lantern", {}, 10))[0].id).toBe("gid://shopify/Product/3");
  });

  it("matches codes exactly: SKU (with the variant), barcode and handle", async () => {
    expect(
      await store.exactCodes(SHOP, ["NP-TEMPEST-L", " 0123456789 ", "Cafe-Mug", "mug-barcode-1", "np-tempest", ""]),
    ).toEqual(
      expect.arrayContaining([
        { code: "np-tempest-l", id: "gid://shopify/Product/1", sku: "NP-TEMPEST-L" },
        { code: "0123456789", id: "gid://shopify/Product/1" },
        { code: "cafe-mug", id: "gid://shopify/Product/4" },
        { code: "mug-barcode-1", id: "gid://shopify/Product/4" },
      ]),
    );
    expect(await store.exactCodes(SHOP, ["np-tempest"])).toEqual([]);
  });

  it("lists the vocabulary sources", async () => {
    const source = await store.vocabularySource(SHOP);
    expect(source.productTypes).toEqual(["Chair", "Kitchen", "Lighting", "Tent"]);
    expect(source.vendors).toEqual(["Acme", "Lumo", "NorthPeak"]);
    expect(source.optionValues).toEqual(expect.arrayContaining(documents.map((d) => d.metadata.optionValues)));
  });
}

describe("SQL catalog store on SQLite, ranking in its read thread (as the app runs it)", () => {
  catalogStoreSuite("sqlite", async () => {
    const { prisma, url } = createTestDatabase();
    return { prisma, store: createCatalogStoreFor(prisma, url), close: () => prisma.$disconnect() };
  });
});

describe("SQL catalog store on SQLite with an in-memory URL: ranking on the app's connection", () => {
  // An in-memory database exists only on the client's own connection (and migrations cannot reach
  // one), so a migrated file stands in for it: a read thread would open an empty in-memory database
  // of its own and find nothing.
  catalogStoreSuite("sqlite", async () => {
    const { prisma } = createTestDatabase();
    return { prisma, store: createCatalogStoreFor(prisma, "file::memory:"), close: () => prisma.$disconnect() };
  });
});

describe("SQL catalog store on SQLite, ranking on the app's connection", () => {
  catalogStoreSuite("sqlite", async () => {
    const { prisma } = createTestDatabase();
    return { prisma, close: () => prisma.$disconnect() };
  });
});

describe.skipIf(!postgresAvailable())("SQL catalog store on Postgres", () => {
  catalogStoreSuite("postgresql", async () => {
    const database = await createPostgresTestDatabase("aisle_catalog");
    return { prisma: database.prisma, close: database.drop };
  });
});
