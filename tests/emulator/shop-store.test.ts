// The emulated shop's catalog rules: stable ids across edits, unique handles, indexes kept in step,
// and invalid edits refused without changing anything.
import { describe, expect, it } from "vitest";
import { IdSequence, ShopStore } from "../../tools/emulator/store/shop-store";

const newStore = () => new ShopStore("rules.myshopify.com", "Rules", "USD", new IdSequence());
const shirt = {
  title: "Linen Shirt",
  options: ["Size"],
  variants: [
    { optionValues: ["S"], price: "40", sku: "LS-S", inventoryQuantity: 2 },
    { optionValues: ["M"], price: "40", sku: "LS-M", inventoryQuantity: 2 },
  ],
};

describe("ShopStore", () => {
  it("keeps variant ids by SKU across edits and forgets removed variants", () => {
    const store = newStore();
    const product = store.createProduct(shirt);
    const [small, medium] = product.variants;
    const updated = store.updateProduct(product.id, {
      variants: [
        { optionValues: ["M"], price: "45.00", sku: "LS-M" },
        { optionValues: ["L"], price: "45.00", sku: "LS-L" },
      ],
    });
    expect(updated.variants[0].id).toBe(medium.id);
    expect(store.findVariant(small.id)).toBeUndefined();
    expect(store.findVariant(updated.variants[1].id)?.sku).toBe("LS-L");
    store.deleteProduct(product.id);
    expect(store.findVariant(medium.id)).toBeUndefined();
    expect(store.productOrder).toEqual([]);
  });

  it("gives every product a unique handle", () => {
    const store = newStore();
    const a = store.createProduct({ title: "Linen Shirt" });
    const b = store.createProduct({ title: "Linen shirt!" });
    expect([a.handle, b.handle]).toEqual(["linen-shirt", "linen-shirt-1"]);
    expect(store.productByHandle("linen-shirt-1")?.id).toBe(b.id);
  });

  it("refuses invalid products and edits, changing nothing", () => {
    const store = newStore();
    const product = store.createProduct(shirt);
    const before = JSON.stringify(store.products.get(product.id));
    expect(() => store.updateProduct(product.id, { title: " " })).toThrow("Title can't be blank");
    expect(() => store.updateProduct(product.id, { variants: [{ optionValues: ["S"], price: "1,50" }] })).toThrow(
      /Invalid price/,
    );
    expect(() =>
      store.updateProduct(product.id, {
        variants: [
          { optionValues: ["S"], price: "1.00" },
          { optionValues: ["S"], price: "2.00" },
        ],
      }),
    ).toThrow(/already exists/);
    expect(() => store.updateVariant(product.variants[0].id, { price: "9.00", inventoryQuantity: 1.5 })).toThrow(
      /integer/,
    );
    expect(() => store.createProduct({ title: "Four options", options: ["A", "B", "C", "D"] })).toThrow(/at most 3/);
    expect(JSON.stringify(store.products.get(product.id))).toBe(before);
    expect(store.products.size).toBe(1);
  });
});
