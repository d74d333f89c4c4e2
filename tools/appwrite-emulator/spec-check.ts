// Checks recorded HTTP exchanges with an Appwrite server against Appwrite's published OpenAPI
// specification (read from ../shared/data/appwrite/, never copied into the project): the request's
// method and path match an operation, its query and body parameters exist there with the right types,
// required ones are present; the answer's status is one the operation declares and its JSON matches
// the response model, or it is an error shaped as Appwrite sends errors. Used by
// tests/customers/appwrite-conformance.test.ts on traffic captured by recording-proxy.ts.
import { existsSync, readFileSync } from "node:fs";
import path from "node:path";

export const APPWRITE_SPEC_PATH = path.resolve("../shared/data/appwrite/open-api3-1.8.0-server.json");

/** One request and its answer, as a recording proxy saw them on the wire. */
export interface Exchange {
  method: string;
  /** Path as sent, including the API's base path (e.g. /v1/databases/aisle). */
  path: string;
  query: [string, string][];
  requestHeaders: Record<string, string>;
  /** Parsed JSON body, undefined when the request had none. */
  requestBody: unknown;
  status: number;
  responseHeaders: Record<string, string>;
  responseBody: string;
}

interface Schema {
  type?: string;
  format?: string;
  enum?: unknown[];
  nullable?: boolean;
  "x-nullable"?: boolean;
  "x-example"?: unknown;
  description?: string;
  properties?: Record<string, Schema>;
  required?: string[];
  additionalProperties?: boolean | Schema;
  items?: Schema;
  anyOf?: Schema[];
  $ref?: string;
}

interface Parameter {
  name: string;
  in: "path" | "query" | "header";
  required?: boolean;
  schema: Schema;
}

interface SdkMethod {
  name: string;
  parameters: string[];
  required: string[];
}

export interface Operation {
  operationId: string;
  tags?: string[];
  parameters?: Parameter[];
  requestBody?: { content: Record<string, { schema: Schema }> };
  responses: Record<string, { content?: Record<string, { schema: Schema }> }>;
  security?: Record<string, unknown>[];
  "x-appwrite"?: { method?: string; methods?: SdkMethod[] };
}

export interface AppwriteSpec {
  info: { version: string };
  servers: { url: string }[];
  paths: Record<string, Record<string, Operation>>;
  components: { schemas: Record<string, Schema> };
}

/** The published spec, or null when ../shared/data is absent (callers say what they skipped). */
export function loadAppwriteSpec(file = APPWRITE_SPEC_PATH): AppwriteSpec | null {
  return existsSync(file) ? (JSON.parse(readFileSync(file, "utf8")) as AppwriteSpec) : null;
}

// Appwrite's datetime format, as every ISO 8601 example in the spec writes it.
const DATETIME = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.\d{3}\+00:00$/;
// The id rule the spec states in words on every custom-id parameter.
const ID_RULE = "Valid chars are a-z, A-Z, 0-9, period, hyphen, and underscore";
const ID = /^[a-zA-Z0-9][a-zA-Z0-9._-]{0,35}$/;
// The statuses Appwrite's error handler lets through (any other becomes 500 "Server Error").
const ERROR_STATUSES = new Set([400, 401, 402, 403, 404, 408, 409, 412, 416, 429, 451, 500, 501, 503]);

/** -1, 0 or 1 for two dotted versions ("1.8.0" vs "1.9.5"). */
export function compareVersions(a: string, b: string): number {
  const left = a.split(".").map(Number);
  const right = b.split(".").map(Number);
  for (let i = 0; i < Math.max(left.length, right.length); i++) {
    const difference = (left[i] ?? 0) - (right[i] ?? 0);
    if (difference) return Math.sign(difference);
  }
  return 0;
}

export class AppwriteSpecChecker {
  private readonly basePath: string;
  private readonly routes: { method: string; template: string; pattern: RegExp; literals: number; op: Operation }[] =
    [];

  constructor(readonly spec: AppwriteSpec) {
    this.basePath = new URL(spec.servers[0].url.replace("<REGION>", "region")).pathname.replace(/\/$/, "");
    for (const [template, methods] of Object.entries(spec.paths)) {
      const segments = template.split("/").filter(Boolean);
      const pattern = new RegExp(
        "^/" +
          segments.map((s) => (s.startsWith("{") ? "([^/]+)" : s.replace(/[.*+?^$()|[\]\\]/g, "\\$&"))).join("/") +
          "$",
      );
      const literals = segments.filter((s) => !s.startsWith("{")).length;
      for (const [method, op] of Object.entries(methods)) {
        this.routes.push({ method: method.toUpperCase(), template, pattern, literals, op });
      }
    }
    // A literal segment wins over a parameter (/databases/transactions is not database "transactions").
    this.routes.sort((a, b) => b.literals - a.literals);
  }

  get version() {
    return this.spec.info.version;
  }

  /** The operation a request goes to, as Appwrite's router would pick it. */
  findOperation(method: string, requestPath: string): { template: string; op: Operation; pathParams: string[] } | null {
    if (!requestPath.startsWith(this.basePath + "/")) return null;
    const relative = requestPath.slice(this.basePath.length);
    for (const route of this.routes) {
      if (route.method !== method) continue;
      const match = route.pattern.exec(relative);
      if (match) return { template: route.template, op: route.op, pathParams: match.slice(1).map(decodeURIComponent) };
    }
    return null;
  }

  /** The operation node-appwrite's `<namespace>.<method>()` calls (e.g. databases.listDocuments). */
  operationForSdkMethod(namespace: string, method: string): string | null {
    for (const methods of Object.values(this.spec.paths)) {
      for (const op of Object.values(methods)) {
        if (op.tags?.[0] !== namespace) continue;
        const extension = op["x-appwrite"];
        if (extension?.method === method || extension?.methods?.some((m) => m.name === method)) return op.operationId;
      }
    }
    return null;
  }

  private resolve(schema: Schema): Schema {
    if (!schema.$ref) return schema;
    const name = schema.$ref.replace("#/components/schemas/", "");
    const found = this.spec.components.schemas[name];
    if (!found) throw new Error(`The spec has no schema ${schema.$ref}`);
    return found;
  }

  /** Problems with `value` against `schema` (empty when it conforms). Unknown properties count as problems. */
  validate(value: unknown, schema: Schema, where: string): string[] {
    const resolved = this.resolve(schema);
    if (value === null) {
      return resolved.nullable || resolved["x-nullable"] ? [] : [`${where}: null where the spec does not allow it`];
    }
    if (resolved.anyOf) {
      const attempts = resolved.anyOf.map((option) => this.validate(value, option, where));
      if (attempts.some((problems) => !problems.length)) return [];
      const closest = attempts.reduce((a, b) => (b.length < a.length ? b : a));
      return [`${where}: matches none of the ${resolved.anyOf.length} allowed models; closest: ${closest.join("; ")}`];
    }
    const problems: string[] = [];
    const wrongType = () => [`${where}: expected ${resolved.type}, got ${JSON.stringify(value)?.slice(0, 80)}`];
    switch (resolved.type) {
      case "string": {
        if (typeof value !== "string") return wrongType();
        const example = resolved["x-example"];
        if (typeof example === "string" && DATETIME.test(example) && !DATETIME.test(value)) {
          problems.push(`${where}: "${value}" is not in Appwrite's datetime format (like ${example})`);
        }
        if (resolved.description?.includes(ID_RULE) && value !== "unique()" && !ID.test(value)) {
          problems.push(`${where}: "${value}" breaks the id rule (${ID_RULE}, at most 36 chars)`);
        }
        break;
      }
      case "integer":
        // Every integer in the spec is labelled int32, attribute bounds included, which Appwrite fills with
        // 64-bit limits; so only integrality is checked.
        if (typeof value !== "number" || !Number.isInteger(value)) return wrongType();
        break;
      case "number":
        if (typeof value !== "number") return wrongType();
        break;
      case "boolean":
        if (typeof value !== "boolean") return wrongType();
        break;
      case "array":
        if (!Array.isArray(value)) return wrongType();
        if (resolved.items)
          value.forEach((item, i) => problems.push(...this.validate(item, resolved.items!, `${where}[${i}]`)));
        break;
      case "object": {
        if (typeof value !== "object" || Array.isArray(value)) return wrongType();
        const record = value as Record<string, unknown>;
        for (const name of resolved.required ?? []) {
          if (!(name in record)) problems.push(`${where}: required property "${name}" is missing`);
        }
        for (const [name, item] of Object.entries(record)) {
          const property = resolved.properties?.[name];
          if (property) problems.push(...this.validate(item, property, `${where}.${name}`));
          else if (resolved.properties && resolved.additionalProperties !== true) {
            problems.push(`${where}: property "${name}" is not in the model`);
          }
        }
        break;
      }
    }
    if (resolved.enum && !resolved.enum.includes(value)) {
      problems.push(`${where}: ${JSON.stringify(value)} is not one of ${JSON.stringify(resolved.enum)}`);
    }
    return problems;
  }

  /** Problems with what the client sent. */
  checkRequest(exchange: Exchange): string[] {
    const label = `${exchange.method} ${exchange.path}`;
    const found = this.findOperation(exchange.method, exchange.path);
    if (!found) return [`${label}: no operation in Appwrite ${this.version} has this method and path`];
    const { op, pathParams } = found;
    const problems: string[] = [];
    const where = (what: string) => `${op.operationId} ${what}`;
    const parameters = op.parameters ?? [];

    const pathNames = parameters.filter((p) => p.in === "path");
    pathParams.forEach((value, i) => {
      if (!value) problems.push(where(`path parameter ${pathNames[i]?.name} is empty`));
    });

    // Query parameters: node-appwrite flattens arrays as name[0]=…, name[1]=…
    const sent = new Map<string, { indexed: boolean; values: string[] }>();
    for (const [key, value] of exchange.query) {
      const match = /^([^[\]]+)((?:\[\d*\])*)$/.exec(key);
      const name = match?.[1] ?? key;
      const entry = sent.get(name) ?? { indexed: Boolean(match?.[2]), values: [] };
      entry.values.push(value);
      sent.set(name, entry);
    }
    for (const [name, { indexed, values }] of sent) {
      const parameter = parameters.find((p) => p.in === "query" && p.name === name);
      if (!parameter) {
        problems.push(where(`query parameter "${name}" is not in the spec`));
        continue;
      }
      const schema = this.resolve(parameter.schema);
      if ((schema.type === "array") !== indexed) {
        problems.push(
          where(
            `query parameter "${name}" is ${indexed ? "an array" : "a single value"}; the spec says ${schema.type}`,
          ),
        );
      }
      const itemType = schema.type === "array" ? this.resolve(schema.items ?? {}).type : schema.type;
      for (const value of values) {
        const ok =
          itemType === "integer"
            ? /^-?\d+$/.test(value)
            : itemType === "boolean"
              ? ["true", "false", "1", "0"].includes(value)
              : itemType === "number"
                ? !Number.isNaN(Number(value))
                : true;
        if (!ok) problems.push(where(`query parameter "${name}"=${value} is not a ${itemType}`));
      }
    }
    for (const parameter of parameters) {
      if (parameter.in === "query" && parameter.required && !sent.has(parameter.name)) {
        problems.push(where(`required query parameter "${parameter.name}" is missing`));
      }
    }

    // Body parameters.
    const body = exchange.requestBody;
    const bodySchema = op.requestBody?.content["application/json"]?.schema;
    if (body !== undefined && (typeof body !== "object" || body === null || Array.isArray(body))) {
      problems.push(where("body is not a JSON object"));
    } else if (body !== undefined || bodySchema) {
      const fields = (body ?? {}) as Record<string, unknown>;
      const schema = bodySchema ? this.resolve(bodySchema) : { type: "object", properties: {} };
      for (const [name, value] of Object.entries(fields)) {
        const property = schema.properties?.[name];
        if (!property) problems.push(where(`body parameter "${name}" is not in the spec`));
        else problems.push(...this.validate(value, property, where(`body.${name}`)));
      }
      problems.push(
        ...this.checkRequired(
          op,
          schema,
          Object.keys(fields),
          pathNames.map((p) => p.name),
        ),
      );
      if (body !== undefined && !/^application\/json/.test(exchange.requestHeaders["content-type"] ?? "")) {
        problems.push(where("body sent without content-type application/json"));
      }
    }

    // Authentication and response format.
    if (!exchange.requestHeaders["x-appwrite-project"]) problems.push(where("no X-Appwrite-Project header"));
    const keyAllowed = op.security?.some((s) => "Key" in s) ?? false;
    if (exchange.requestHeaders["x-appwrite-key"] && !keyAllowed)
      problems.push(where("API keys are not accepted here"));
    if (!exchange.requestHeaders["x-appwrite-key"]) problems.push(where("no X-Appwrite-Key header"));
    const format = exchange.requestHeaders["x-appwrite-response-format"];
    if (format && compareVersions(format, this.version) > 0) {
      problems.push(where(`asks for response format ${format}, newer than the ${this.version} models checked here`));
    }
    return problems;
  }

  // A route shared by several SDK methods (createDocument / createDocuments) lists each method's
  // parameters and required ones; the request must fit one of them.
  private checkRequired(op: Operation, schema: Schema, sentNames: string[], pathNames: string[]): string[] {
    const variants = op["x-appwrite"]?.methods;
    if (!variants?.length) {
      return (schema.required ?? [])
        .filter((name) => !sentNames.includes(name))
        .map((name) => `${op.operationId} required body parameter "${name}" is missing`);
    }
    const fits = variants.some(
      (variant) =>
        sentNames.every((name) => variant.parameters.includes(name)) &&
        variant.required.every((name) => pathNames.includes(name) || sentNames.includes(name)),
    );
    return fits
      ? []
      : [
          `${op.operationId} body (${sentNames.join(", ")}) fits none of ${variants.map((v) => `${v.name}(${v.required.join(", ")})`).join(" / ")}`,
        ];
  }

  /** Problems with what the server answered. */
  checkResponse(exchange: Exchange): string[] {
    const label = `${exchange.method} ${exchange.path} → ${exchange.status}`;
    const found = this.findOperation(exchange.method, exchange.path);
    const problems: string[] = [];
    if (exchange.responseHeaders["x-appwrite-warning"]) {
      problems.push(`${label}: server warned "${exchange.responseHeaders["x-appwrite-warning"]}"`);
    }
    const isJson = /^application\/json/.test(exchange.responseHeaders["content-type"] ?? "");
    let json: unknown;
    if (exchange.responseBody) {
      if (!isJson) return [...problems, `${label}: body without content-type application/json`];
      try {
        json = JSON.parse(exchange.responseBody);
      } catch {
        return [...problems, `${label}: body is not JSON`];
      }
    }
    if (exchange.status >= 400) return [...problems, ...this.checkError(json, exchange.status, label)];
    if (!found) return [...problems, `${label}: no operation has this method and path`];
    const declared = found.op.responses[String(exchange.status)];
    if (!declared) {
      return [
        ...problems,
        `${label}: ${found.op.operationId} declares ${Object.keys(found.op.responses).join(", ")}, not ${exchange.status}`,
      ];
    }
    const schema = declared.content?.["application/json"]?.schema;
    if (!schema) return exchange.responseBody ? [...problems, `${label}: a body where the spec has none`] : problems;
    if (json === undefined) return [...problems, `${label}: no body where the spec has ${schema.$ref ?? "one"}`];
    return [...problems, ...this.validate(json, schema, `${found.op.operationId} response`)];
  }

  // Appwrite's error model, with one known divergence: the spec types `code` as a string, but the
  // server's error handler writes the HTTP status as a JSON integer, and that is what SDKs read.
  private checkError(json: unknown, status: number, label: string): string[] {
    const problems: string[] = [];
    if (!ERROR_STATUSES.has(status)) problems.push(`${label}: ${status} is not a status Appwrite answers with`);
    if (typeof json !== "object" || json === null) return [...problems, `${label}: error without a JSON body`];
    const { code, ...rest } = json as Record<string, unknown>;
    if (code !== status) problems.push(`${label}: error code ${JSON.stringify(code)} differs from the status`);
    const model = { ...this.resolve({ $ref: "#/components/schemas/error" }) };
    model.required = model.required?.filter((name) => name !== "code");
    return [...problems, ...this.validate(rest, model, `${label} error`)];
  }
}
