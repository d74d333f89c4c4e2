// What the sync engine needs from Shopify's Admin GraphQL API, independent of how requests travel
// (the app's `unauthenticated.admin` client in production, any fetch-backed transport elsewhere).

export interface ThrottleStatus {
  maximumAvailable: number;
  currentlyAvailable: number;
  restoreRate: number;
}

export interface QueryCost {
  requestedQueryCost: number;
  actualQueryCost: number | null;
  throttleStatus: ThrottleStatus;
}

export interface GraphqlError {
  message: string;
  extensions?: { code?: string; [key: string]: unknown };
  path?: (string | number)[];
}

export interface GraphqlResponse<T = unknown> {
  data?: T | null;
  errors?: GraphqlError[];
  extensions?: { cost?: QueryCost; [key: string]: unknown };
}

/** Sends one GraphQL document and returns the parsed body, errors included (it does not throw on them). */
export type GraphqlTransport = (query: string, variables?: Record<string, unknown>) => Promise<GraphqlResponse>;

/** A client bound to one shop: resolves with `data`, throws ShopifyGraphqlError on GraphQL errors. */
export interface AdminGraphql {
  query<T>(document: string, variables?: Record<string, unknown>): Promise<T>;
}

export class ShopifyGraphqlError extends Error {
  constructor(
    readonly errors: GraphqlError[],
    readonly operation: string,
  ) {
    super(`Shopify GraphQL ${operation} failed: ${errors.map((e) => e.message).join("; ")}`);
    this.name = "ShopifyGraphqlError";
  }
}

/** `mutation { x }` / `query Name(...)` → a short name for logs and errors. */
export function operationName(document: string): string {
  const match = /\b(query|mutation)\s+(\w+)/.exec(document);
  return match ? match[2] : (/\{\s*(\w+)/.exec(document)?.[1] ?? "operation");
}

export interface UserError {
  field?: string[] | null;
  message: string;
  code?: string | null;
}

export class ShopifyUserError extends Error {
  constructor(
    readonly userErrors: UserError[],
    readonly operation: string,
  ) {
    super(`Shopify ${operation} refused: ${userErrors.map((e) => `${e.code ?? ""} ${e.message}`.trim()).join("; ")}`);
    this.name = "ShopifyUserError";
  }
}
