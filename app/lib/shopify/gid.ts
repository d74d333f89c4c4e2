// Shopify's global ids (gid://shopify/Product/123) and the numeric ids that REST webhooks,
// storefront links, /cart/add.js and chat records use. Pure; every conversion between the two goes
// through here so they cannot drift apart.

/** "gid://shopify/Product/": what every GID of that resource type starts with. */
export function gidPrefix(type: string): string {
  return `gid://shopify/${type}/`;
}

export function shopifyGid(type: string, id: string | number): string {
  return `${gidPrefix(type)}${id}`;
}

/** "Product" for gid://shopify/Product/123; undefined for anything that is not a GID. */
export function gidType(value: unknown): string | undefined {
  return typeof value === "string" ? /^gid:\/\/shopify\/(\w+)\//.exec(value)?.[1] : undefined;
}

/** A product's GID from its numeric id; a GID is returned as it is (ids are stored either way). */
export function productGid(idOrGid: string | number): string {
  return /^\d+$/.test(String(idOrGid)) ? shopifyGid("Product", idOrGid) : String(idOrGid);
}

/** gid://shopify/Product/123 → "123"; a numeric id is returned as it is. */
export function legacyId(gidOrId: string): string {
  return gidOrId.slice(gidOrId.lastIndexOf("/") + 1);
}
