// The Admin GraphQL endpoint of one emulated shop: graphql-js over the schema cut from Shopify's real
// SDL, Shopify's error shapes, calculated cost in `extensions.cost` and the leaky-bucket throttle.
import { readFileSync } from "node:fs";
import path from "node:path";
import { fileURLToPath } from "node:url";
import {
  buildSchema,
  execute,
  type GraphQLError,
  isAbstractType,
  Kind,
  parse,
  validate,
  visit,
  type ASTNode,
  type FieldNode,
  type DocumentNode,
  type FragmentDefinitionNode,
  type GraphQLFieldResolver,
  type GraphQLSchema,
  type OperationDefinitionNode,
} from "graphql";
import { requestedQueryCost } from "./query-cost";
import { rootResolvers, type AdminContext } from "./resolvers";
import { SINGLE_QUERY_MAX_COST, type CostBucket } from "./throttle";

export const SUBSET_SDL_FILE = path.join(
  path.dirname(fileURLToPath(import.meta.url)),
  "..",
  "schema",
  "admin-2026-07.graphql",
);

let cachedSchema: GraphQLSchema | undefined;

/** The emulator's executable schema (built once per process). */
export function adminSchema(): GraphQLSchema {
  if (cachedSchema) return cachedSchema;
  const schema = buildSchema(readFileSync(SUBSET_SDL_FILE, "utf8"));
  for (const [typeName, resolvers] of Object.entries(rootResolvers)) {
    const type = schema.getType(typeName);
    if (!type || !("getFields" in type)) throw new Error(`The schema has no ${typeName}`);
    const fields = type.getFields();
    for (const [fieldName, resolve] of Object.entries(resolvers)) {
      if (!fields[fieldName]) throw new Error(`The schema has no ${typeName}.${fieldName}`);
      (fields[fieldName] as { resolve?: GraphQLFieldResolver<unknown, AdminContext> }).resolve = resolve as never;
    }
  }
  for (const type of Object.values(schema.getTypeMap())) {
    if (isAbstractType(type)) type.resolveType = (value) => (value as { __typename: string }).__typename;
  }
  cachedSchema = schema;
  return schema;
}

export interface GraphqlRequestBody {
  query?: unknown;
  variables?: unknown;
  operationName?: unknown;
}

export interface GraphqlReply {
  status: number;
  body: Record<string, unknown>;
}

/** The argument and field around a literal the validator refused (for Shopify's wording). */
function argumentOf(document: DocumentNode, value: ASTNode | undefined): { argument: string; field: string } | null {
  let found: { argument: string; field: string } | null = null;
  visit(document, {
    Argument(node, _key, _parent, _path, ancestors) {
      if (node.value !== value) return;
      const field = [...ancestors].reverse().find((a): a is FieldNode => "kind" in a && a.kind === Kind.FIELD);
      found = { argument: node.name.value, field: field?.name.value ?? "" };
    },
  });
  return found;
}

/**
 * graphql-js says `Cannot query field "x" on type "Y".` and `Value "X" does not exist in "E" enum.`;
 * Shopify says these (captured).
 */
function shopifyValidationError(error: GraphQLError, document: DocumentNode): Record<string, unknown> {
  const json = error.toJSON() as unknown as Record<string, unknown>;
  const badEnum = /^Value "(\w+)" does not exist in "(\w+)" enum/.exec(error.message);
  const at = badEnum ? argumentOf(document, error.nodes?.[0]) : null;
  if (badEnum && at) {
    return {
      ...json,
      message: `Argument '${at.argument}' on Field '${at.field}' has an invalid value (${badEnum[1]}). Expected type '${badEnum[2]}'.`,
      extensions: { code: "argumentLiteralsIncompatible", typeName: "Field", argumentName: at.argument },
    };
  }
  const match = /^Cannot query field "(\w+)" on type "(\w+)"/.exec(error.message);
  if (match) {
    return {
      ...json,
      message: `Field '${match[1]}' doesn't exist on type '${match[2]}'`,
      extensions: { code: "undefinedField", typeName: match[2], fieldName: match[1] },
    };
  }
  return json;
}

export async function executeAdminGraphql(
  body: GraphqlRequestBody,
  context: AdminContext,
  bucket: CostBucket,
): Promise<GraphqlReply> {
  const schema = adminSchema();
  if (typeof body.query !== "string" || !body.query.trim()) {
    return { status: 400, body: { errors: { query: "Required parameter missing or invalid" } } };
  }
  let document: DocumentNode;
  try {
    document = parse(body.query);
  } catch (error) {
    const syntax = error as GraphQLError;
    return { status: 200, body: { errors: [{ message: syntax.message, locations: syntax.locations }] } };
  }
  const validationErrors = validate(schema, document);
  if (validationErrors.length)
    return { status: 200, body: { errors: validationErrors.map((error) => shopifyValidationError(error, document)) } };

  const variables = (body.variables && typeof body.variables === "object" ? body.variables : {}) as Record<
    string,
    unknown
  >;
  const operationName = typeof body.operationName === "string" ? body.operationName : undefined;
  const operations = document.definitions.filter(
    (d): d is OperationDefinitionNode => d.kind === Kind.OPERATION_DEFINITION,
  );
  const operation = operationName ? operations.find((op) => op.name?.value === operationName) : operations[0];
  if (!operation) return { status: 200, body: { errors: [{ message: `No operation named "${operationName}"` }] } };
  const fragments = Object.fromEntries(
    document.definitions
      .filter((d): d is FragmentDefinitionNode => d.kind === Kind.FRAGMENT_DEFINITION)
      .map((fragment) => [fragment.name.value, fragment]),
  );

  const cost = requestedQueryCost({ schema, operation, fragments, variables });
  if (cost > SINGLE_QUERY_MAX_COST) {
    return {
      status: 200,
      body: {
        errors: [
          {
            message: `Query cost is ${cost}, which exceeds the single query max cost limit (${SINGLE_QUERY_MAX_COST}).\n\nSee https://shopify.dev/concepts/about-apis/rate-limits for more information on how the\ncost of a query is calculated.\n\nTo query larger amounts of data with fewer limits, bulk operations should be used instead.\nSee https://shopify.dev/tutorials/perform-bulk-operations-with-admin-api for usage details.\n`,
            extensions: { code: "MAX_COST_EXCEEDED", cost, maxCost: SINGLE_QUERY_MAX_COST },
          },
        ],
        extensions: { cost: { requestedQueryCost: cost, actualQueryCost: null, throttleStatus: bucket.status() } },
      },
    };
  }
  if (!bucket.take(cost)) {
    return {
      status: 200,
      body: {
        errors: [
          {
            message: "Throttled",
            extensions: { code: "THROTTLED", documentation: "https://shopify.dev/api/usage/rate-limits" },
          },
        ],
        extensions: { cost: { requestedQueryCost: cost, actualQueryCost: null, throttleStatus: bucket.status() } },
      },
    };
  }
  const result = await execute({
    schema,
    document,
    variableValues: variables,
    operationName,
    contextValue: context,
  });
  const reply: Record<string, unknown> = {};
  if (result.errors?.length) reply.errors = result.errors.map((error) => error.toJSON());
  reply.data = result.data ?? null;
  reply.extensions = { cost: { requestedQueryCost: cost, actualQueryCost: cost, throttleStatus: bucket.status() } };
  return { status: 200, body: reply };
}

/** Runs a validated bulk query over root items [start, end) and returns the root connection's nodes. */
export async function executeBulkWindow(
  document: DocumentNode,
  context: AdminContext,
  start: number,
  end: number,
): Promise<Record<string, unknown>[]> {
  context.bulk = true;
  context.bulkWindow = { start, end };
  const result = await execute({ schema: adminSchema(), document, contextValue: context });
  if (result.errors?.length) throw new Error(result.errors.map((error) => error.message).join("; "));
  const root = Object.values(result.data ?? {})[0] as { edges: { node: Record<string, unknown> }[] };
  return root.edges.map((edge) => edge.node);
}
