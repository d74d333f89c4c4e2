// GraphQL config (editors, `npm run graphql:codegen`): the types of every `#graphql` Admin document in
// app/, committed in app/lib/shopify/generated. The schema is Shopify's real Admin SDL of the pinned version, cut to
// what the app and the emulator use (tools/emulator/schema; tests/emulator/schema.test.ts proves the
// cut equals the SDL in ../shared/data), so generation needs no network and no data. Decision 118.
import path from "node:path";
import { ApiType, pluckConfig, preset } from "@shopify/api-codegen-preset";
import { ADMIN_API_VERSION } from "./app/lib/shopify/api-version";

const ADMIN_SCHEMA = path.join("tools", "emulator", "schema", `admin-${ADMIN_API_VERSION}.graphql`);
// GRAPHQL_CODEGEN_DOCUMENTS / _OUT: tests/shopify/graphql-codegen.test.ts generates elsewhere, from other files.
const documents = process.env.GRAPHQL_CODEGEN_DOCUMENTS
  ? [process.env.GRAPHQL_CODEGEN_DOCUMENTS]
  : ["./app/**/*.{ts,tsx}", "!./app/lib/shopify/generated/**"];
const outputDir = process.env.GRAPHQL_CODEGEN_OUT ?? "./app/lib/shopify/generated";

export default {
  schema: ADMIN_SCHEMA,
  documents,
  projects: {
    default: {
      schema: ADMIN_SCHEMA,
      documents,
      extensions: {
        codegen: {
          pluckConfig,
          generates: {
            [`${outputDir}/admin.types.d.ts`]: {
              plugins: ["typescript"],
              // The preset's settings (scalars as strings, JSON as unknown); enums as string unions, as Shopify sends them.
              config: { defaultScalarType: "string", scalars: { JSON: "unknown" }, enumsAsTypes: true },
            },
            [`${outputDir}/admin.generated.d.ts`]: { preset, presetConfig: { apiType: ApiType.Admin } },
          },
        },
      },
    },
  },
};
