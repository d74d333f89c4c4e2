// Deterministic outdoor-store products for sync tests and benchmarks (store emulator input).
import type { ProductInput } from "../emulator/index";

/** Products like a small outdoor store's: varied text, 1–3 variants each. */
export function sampleCatalog(count: number, offset = 0): ProductInput[] {
  const kinds = ["rain jacket", "hiking boot", "fleece", "tent", "backpack", "headlamp", "water bottle", "trail shoe"];
  const colors = ["red", "blue", "black", "olive", "orange", "grey"];
  return Array.from({ length: count }, (_, i) => {
    const n = i + offset;
    const kind = kinds[n % kinds.length];
    const variants = 1 + (n % 3);
    return {
      title: `${colors[n % colors.length]} ${kind} ${n}`,
      bodyHtml: `<p>A ${kind} for ${n % 2 ? "wet" : "cold"} days. Model ${n}, ${colors[(n + 1) % colors.length]} trim.</p>`,
      vendor: ["Northpeak", "Riverline", "Summit & Co"][n % 3],
      productType: kind,
      tags: [kind.split(" ")[0], n % 2 ? "waterproof" : "warm"],
      options: variants > 1 ? ["Size"] : undefined,
      variants: Array.from({ length: variants }, (_, v) => ({
        optionValues: variants > 1 ? [["S", "M", "L"][v]] : undefined,
        sku: `SKU-${n}-${v}`,
        price: `${(20 + (n % 80)).toFixed(2)}`,
        inventoryQuantity: 3 + (n % 5),
      })),
      images: [{ src: `https://cdn.example/${n}.jpg`, alt: null }],
    };
  });
}
