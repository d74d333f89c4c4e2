// Builders for catalog products used by the search and chat tests (real Product shapes).
import type { Product, ProductVariant } from "../../app/lib/catalog/product";

let sequence = 0;

export interface VariantSpec {
  price: string;
  sku?: string;
  barcode?: string;
  available?: boolean;
  options?: Record<string, string>;
}

export interface ProductSpec {
  id?: string;
  title: string;
  description?: string;
  vendor?: string;
  productType?: string;
  tags?: string[];
  handle?: string;
  variants?: VariantSpec[];
  collections?: { handle: string; title: string }[];
}

export function makeProduct(spec: ProductSpec): Product {
  const n = ++sequence;
  const id = spec.id ?? `gid://shopify/Product/${9000 + n}`;
  const legacy = id.slice(id.lastIndexOf("/") + 1);
  const variantSpecs = spec.variants ?? [{ price: "25.00" }];
  const optionNames = [...new Set(variantSpecs.flatMap((v) => Object.keys(v.options ?? {})))];
  const variants: ProductVariant[] = variantSpecs.map((v, i) => {
    const selectedOptions = optionNames.length
      ? optionNames.map((name) => ({ name, value: v.options?.[name] ?? "" }))
      : [{ name: "Title", value: "Default Title" }];
    return {
      id: `gid://shopify/ProductVariant/${legacy}${i + 1}`,
      title: optionNames.length ? selectedOptions.map((o) => o.value).join(" / ") : "Default Title",
      sku: v.sku ?? null,
      barcode: v.barcode ?? null,
      price: v.price,
      compareAtPrice: null,
      availableForSale: v.available ?? true,
      inventoryQuantity: v.available === false ? 0 : 5,
      selectedOptions,
      imageUrl: null,
    };
  });
  const handle =
    spec.handle ??
    spec.title
      .toLowerCase()
      .replace(/[^a-z0-9]+/g, "-")
      .replace(/^-|-$/g, "");
  return {
    id,
    handle,
    title: spec.title,
    descriptionHtml: spec.description ? `<p>${spec.description}</p>` : "",
    vendor: spec.vendor ?? "Acme",
    productType: spec.productType ?? "",
    tags: spec.tags ?? [],
    status: "ACTIVE",
    publishedOnline: true,
    onlineStoreUrl: `https://shop.example/products/${handle}`,
    options: optionNames.length
      ? optionNames.map((name) => ({
          name,
          values: [...new Set(variantSpecs.map((v) => v.options?.[name] ?? ""))],
        }))
      : [{ name: "Title", values: ["Default Title"] }],
    collections: spec.collections ?? [],
    featuredImage: null,
    metafields: [],
    variants,
    createdAt: "2026-01-01T00:00:00Z",
    updatedAt: "2026-01-02T00:00:00Z",
  };
}

/** A small outdoor-gear catalog with SKUs, brands, options and a spread of prices. */
export function outdoorCatalog(): Product[] {
  return [
    makeProduct({
      title: "Stormline Waterproof Hiking Jacket",
      description: "A breathable waterproof shell for hiking in heavy rain, with taped seams and a hood.",
      vendor: "Northpeak",
      productType: "Jacket",
      tags: ["waterproof", "hiking"],
      variants: [
        { price: "129.00", sku: "NP-STORM-M-BLU", options: { Size: "M", Color: "Blue" } },
        { price: "129.00", sku: "NP-STORM-L-RED", options: { Size: "L", Color: "Red" } },
      ],
    }),
    makeProduct({
      title: "Featherlite Down Jacket",
      description: "A warm, packable down jacket for cold winter days and alpine evenings.",
      vendor: "Northpeak",
      productType: "Jacket",
      tags: ["insulated", "winter"],
      variants: [{ price: "189.00", sku: "NP-FEATHER-M", options: { Size: "M", Color: "Black" } }],
    }),
    makeProduct({
      title: "Trailrunner 3 Running Shoes",
      description: "Lightweight trail running shoes with grippy lugs for muddy paths.",
      vendor: "Stridewell",
      productType: "Shoes",
      tags: ["running", "trail"],
      variants: [
        { price: "89.99", sku: "SW-TR3-42", barcode: "4006381333931", options: { Size: "42", Color: "Green" } },
        { price: "89.99", sku: "SW-TR3-44", options: { Size: "44", Color: "Blue" }, available: false },
      ],
    }),
    makeProduct({
      title: "Summit 45L Backpack",
      description: "A 45 litre trekking backpack with a ventilated back panel and rain cover.",
      vendor: "Ridgeway",
      productType: "Backpack",
      tags: ["trekking"],
      variants: [{ price: "149.00", sku: "RW-SUMMIT-45" }],
    }),
    makeProduct({
      title: "Insulated Steel Water Bottle",
      description: "Keeps drinks cold for 24 hours; stainless steel, 750 ml, leak-proof lid.",
      vendor: "Ridgeway",
      productType: "Bottle",
      tags: ["hydration"],
      variants: [
        { price: "24.00", sku: "RW-BOTTLE-750-BLU", options: { Color: "Blue" } },
        { price: "24.00", sku: "RW-BOTTLE-750-GRN", options: { Color: "Green" } },
      ],
    }),
    makeProduct({
      title: "Merino Wool Hiking Socks",
      description: "Cushioned merino socks that keep feet dry and blister-free on long hikes.",
      vendor: "Stridewell",
      productType: "Socks",
      tags: ["hiking", "wool"],
      variants: [{ price: "18.50", sku: "SW-MERINO-SOCK", options: { Size: "M" } }],
    }),
    makeProduct({
      title: "Two-Person Dome Tent",
      description: "A freestanding two person tent for backpacking, quick to pitch, weighs 2 kg.",
      vendor: "Ridgeway",
      productType: "Tent",
      tags: ["camping"],
      variants: [{ price: "219.00", sku: "RW-DOME-2P", available: false }],
    }),
    makeProduct({
      title: "Headlamp 400",
      description: "A rechargeable 400 lumen headlamp for night hikes and camping.",
      vendor: "Lumo",
      productType: "Lighting",
      tags: ["camping"],
      variants: [{ price: "39.00", sku: "LU-HL400" }],
    }),
  ];
}
