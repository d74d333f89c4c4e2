// Server-issued visitor ids (issue 15, decision 105): 128 random bits and a MAC over them and the
// shop, so the ids the limits key on cannot be chosen by a client, and an id issued for one shop is
// worthless on another. Stateless: any app instance with the app secret checks any id.
import { createHmac, hkdfSync, randomBytes, timingSafeEqual } from "node:crypto";

const VERSION = "v1";
const RANDOM_BYTES = 16; // 22 base64url characters
const MAC_BYTES = 16; // 22 base64url characters: 128 bits are plenty for an id that grants nothing but a quota
const ID_LENGTH = VERSION.length + 22 + 22;

export class VisitorIds {
  private readonly key: Buffer;

  /** `secret`: the app's client secret; a key of its own is derived from it (domain separation). */
  constructor(secret: string) {
    this.key = Buffer.from(hkdfSync("sha256", secret, "", "aisle.visitor-id.v1", 32));
  }

  /** A new id for a visitor of `shop`. */
  issue(shop: string): string {
    const random = randomBytes(RANDOM_BYTES).toString("base64url");
    return `${VERSION}${random}${this.mac(shop, random)}`;
  }

  /** Whether `id` was issued by this app for `shop` (anything else — a client's own id, another shop's — is not). */
  verify(shop: string, id: string | null | undefined): boolean {
    if (typeof id !== "string" || id.length !== ID_LENGTH || !id.startsWith(VERSION)) return false;
    const random = id.slice(VERSION.length, VERSION.length + 22);
    const given = Buffer.from(id.slice(VERSION.length + 22));
    const expected = Buffer.from(this.mac(shop, random));
    return given.length === expected.length && timingSafeEqual(given, expected);
  }

  /** `id` when it verifies for `shop`, else a newly issued one (never the client's own). */
  verifiedOrNew(shop: string, id: string | null | undefined): { visitorId: string; issued: boolean } {
    return this.verify(shop, id)
      ? { visitorId: id as string, issued: false }
      : { visitorId: this.issue(shop), issued: true };
  }

  /**
   * The key per-IP limits count a shopper's address under: a keyed hash, so the database holds no
   * addresses (personal data) and the rows cannot be matched to one without the app secret.
   */
  addressKey(address: string | null): string {
    if (!address) return "unknown";
    return createHmac("sha256", this.key).update(`address\n${address}`).digest().subarray(0, 12).toString("base64url");
  }

  private mac(shop: string, random: string): string {
    return createHmac("sha256", this.key)
      .update(`${shop}\n${random}`)
      .digest()
      .subarray(0, MAC_BYTES)
      .toString("base64url");
  }
}
