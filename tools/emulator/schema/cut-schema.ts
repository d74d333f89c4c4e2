// Cuts the emulator's Admin GraphQL schema out of Shopify's real SDL (printed from live introspection):
//   tsx tools/emulator/schema/cut-schema.ts [path/to/2026-07/schema.graphql]
// Keeps the types/fields listed in kept-fields.ts with their real arguments, types and deprecations, and
// drops Shopify's descriptions (their text is Shopify's). The output is committed so the emulator runs
// without ../shared/data; schema-subset.test.ts proves it still matches the real SDL.
import { readFileSync, writeFileSync } from "node:fs";
import path from "node:path";
import {
  assertValidSchema,
  buildSchema,
  getNamedType,
  isEnumType,
  isInputObjectType,
  isInterfaceType,
  isObjectType,
  isScalarType,
  isSpecifiedScalarType,
  isUnionType,
  Kind,
  print,
  type DefinitionNode,
  type GraphQLNamedType,
  type GraphQLSchema,
} from "graphql";
import { format } from "prettier";
import { KEPT_FIELDS } from "./kept-fields";

export const REAL_SDL_PATH =
  "../shared/data/shopify-fixtures/shopify-draft-proxy/config/admin-graphql/2026-07/schema.graphql";
export const SUBSET_SDL_PATH = path.join("tools", "emulator", "schema", "admin-2026-07.graphql");

function stripDescriptions<T>(node: T): T {
  return JSON.parse(JSON.stringify(node, (key, value) => (key === "description" || key === "loc" ? undefined : value)));
}

export async function cutSchema(real: GraphQLSchema, kept: Record<string, readonly string[]>): Promise<string> {
  const out = new Map<string, DefinitionNode>();
  const pending: GraphQLNamedType[] = [];
  const problems: string[] = [];

  const require = (type: GraphQLNamedType, from: string) => {
    if (out.has(type.name) || isSpecifiedScalarType(type)) return;
    if ((isObjectType(type) || isInterfaceType(type)) && !kept[type.name]) {
      problems.push(`${from} returns ${type.name}, which kept-fields.ts does not list`);
      return;
    }
    pending.push(type);
    out.set(type.name, { kind: Kind.SCALAR_TYPE_DEFINITION, name: { kind: Kind.NAME, value: type.name } });
  };

  for (const name of Object.keys(kept)) {
    const type = real.getType(name);
    if (!type) problems.push(`kept-fields.ts lists ${name}, which the real schema does not have`);
    else require(type, "kept-fields.ts");
  }

  while (pending.length) {
    const type = pending.pop()!;
    const ast = stripDescriptions(type.astNode!) as unknown as Record<string, unknown> & DefinitionNode;
    if (isObjectType(type) || isInterfaceType(type)) {
      // An implementer must keep every field of the kept interfaces it implements.
      const fieldNames = new Set([
        ...kept[type.name],
        ...type.getInterfaces().flatMap((iface) => (kept[iface.name] ? kept[iface.name] : [])),
      ]);
      const realFields = type.getFields();
      for (const name of fieldNames) if (!realFields[name]) problems.push(`${type.name}.${name} does not exist`);
      const fields = (ast.fields as { name: { value: string } }[]).filter((field) => fieldNames.has(field.name.value));
      for (const field of fields) {
        const realField = realFields[field.name.value];
        require(getNamedType(realField.type), `${type.name}.${field.name.value}`);
        for (const arg of realField.args)
          require(getNamedType(arg.type), `${type.name}.${field.name.value}(${arg.name})`);
      }
      const interfaces = (ast.interfaces as { name: { value: string } }[] | undefined)?.filter(
        (node) => kept[node.name.value],
      );
      out.set(type.name, { ...ast, fields, interfaces } as unknown as DefinitionNode);
    } else if (isUnionType(type)) {
      const types = (ast.types as { name: { value: string } }[]).filter((node) => kept[node.name.value]);
      out.set(type.name, { ...ast, types } as unknown as DefinitionNode);
    } else if (isInputObjectType(type)) {
      for (const field of Object.values(type.getFields()))
        require(getNamedType(field.type), `${type.name}.${field.name}`);
      out.set(type.name, ast);
    } else if (isEnumType(type) || isScalarType(type)) {
      out.set(type.name, ast);
    }
  }
  if (problems.length) throw new Error(`Cannot cut the schema:\n  ${problems.join("\n  ")}`);

  const body = [...out.keys()]
    .sort()
    .map((name) => print(out.get(name)!))
    .join("\n\n");
  const text = `# Subset of Shopify's Admin GraphQL API 2026-07, cut by tools/emulator/schema/cut-schema.ts from the SDL
# printed from a live introspection (descriptions dropped). Do not hand-edit: change kept-fields.ts and re-run.

schema {
  query: QueryRoot
  mutation: Mutation
}

${body}
`;
  assertValidSchema(buildSchema(text));
  // Formatted as the repository's Prettier check expects, so the committed file and a fresh cut compare equal.
  return format(text, { parser: "graphql", printWidth: 120 });
}

if (import.meta.url === `file://${process.argv[1]}`) {
  const source = process.argv[2] ?? REAL_SDL_PATH;
  const real = buildSchema(readFileSync(source, "utf8"), { assumeValidSDL: true });
  writeFileSync(SUBSET_SDL_PATH, await cutSchema(real, KEPT_FIELDS));
  console.log(`Wrote ${SUBSET_SDL_PATH}`);
}
