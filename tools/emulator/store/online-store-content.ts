// A shop's Online Store content besides products: its legal policies (Settings → Policies) and pages.
// Shopify sends no webhooks for either, so nothing here emits events: apps read them by query.
import { handleize, nowIso, type IdSequence } from "./shop-store";

/** The ShopPolicyType enum values of the 2026-07 schema, with the storefront handle each is served at. */
export const POLICY_HANDLES = {
  REFUND_POLICY: "refund-policy",
  SHIPPING_POLICY: "shipping-policy",
  PRIVACY_POLICY: "privacy-policy",
  TERMS_OF_SERVICE: "terms-of-service",
  TERMS_OF_SALE: "terms-of-sale",
  LEGAL_NOTICE: "legal-notice",
  SUBSCRIPTION_POLICY: "subscription-policy",
  CONTACT_INFORMATION: "contact-information",
} as const;
export type PolicyType = keyof typeof POLICY_HANDLES;
export const POLICY_TYPES = Object.keys(POLICY_HANDLES) as PolicyType[];

export interface EmulatedPolicy {
  id: number;
  type: PolicyType;
  title: string;
  bodyHtml: string;
  createdAt: string;
  updatedAt: string;
}

export interface EmulatedPage {
  id: number;
  handle: string;
  title: string;
  bodyHtml: string;
  /** null = hidden from the online store. */
  publishedAt: string | null;
  createdAt: string;
  updatedAt: string;
}

export interface PageInput {
  title: string;
  handle?: string;
  bodyHtml: string;
  published?: boolean;
}

export class OnlineStoreContent {
  private readonly policiesByType = new Map<PolicyType, EmulatedPolicy>();
  /** Pages in id order (ids only grow). */
  readonly pages = new Map<number, EmulatedPage>();

  constructor(private readonly ids: IdSequence) {}

  /** Policies with a body, in the enum's order (Shopify lists only the ones the merchant filled in). */
  get policies(): EmulatedPolicy[] {
    return POLICY_TYPES.flatMap((type) => this.policiesByType.get(type) ?? []);
  }

  policyByHandle(handle: string): EmulatedPolicy | undefined {
    return this.policies.find((policy) => POLICY_HANDLES[policy.type] === handle);
  }

  /** Creates or replaces a policy; an empty body removes it (as clearing it in the admin does). */
  setPolicy(type: PolicyType, input: { title?: string; bodyHtml: string }): EmulatedPolicy | undefined {
    const existing = this.policiesByType.get(type);
    if (!input.bodyHtml.trim()) {
      this.policiesByType.delete(type);
      return undefined;
    }
    const now = nowIso();
    const policy: EmulatedPolicy = {
      id: existing?.id ?? this.ids.take(),
      type,
      title: input.title ?? existing?.title ?? defaultPolicyTitle(type),
      bodyHtml: input.bodyHtml,
      createdAt: existing?.createdAt ?? now,
      updatedAt: now,
    };
    this.policiesByType.set(type, policy);
    return policy;
  }

  pageByHandle(handle: string): EmulatedPage | undefined {
    return [...this.pages.values()].find((page) => page.handle === handle);
  }

  /** Creates a page, or replaces the one with the same handle. */
  savePage(input: PageInput): EmulatedPage {
    const handle = input.handle ?? handleize(input.title);
    const existing = this.pageByHandle(handle);
    const now = nowIso();
    const published = input.published ?? true;
    const page: EmulatedPage = {
      id: existing?.id ?? this.ids.take(),
      handle,
      title: input.title,
      bodyHtml: input.bodyHtml,
      publishedAt: published ? (existing?.publishedAt ?? now) : null,
      createdAt: existing?.createdAt ?? now,
      updatedAt: now,
    };
    this.pages.set(page.id, page);
    return page;
  }

  deletePage(handle: string): boolean {
    const page = this.pageByHandle(handle);
    return page ? this.pages.delete(page.id) : false;
  }
}

function defaultPolicyTitle(type: PolicyType): string {
  return type
    .toLowerCase()
    .split("_")
    .map((word) => word[0].toUpperCase() + word.slice(1))
    .join(" ");
}
