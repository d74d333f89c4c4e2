import js from "@eslint/js";
import prettier from "eslint-config-prettier";
import react from "eslint-plugin-react";
import reactHooks from "eslint-plugin-react-hooks";
import globals from "globals";
import tseslint from "typescript-eslint";
import layering from "./tools/eslint/layering.js";

export default tseslint.config(
  { ignores: ["build/", ".data/", "node_modules/", "test-results/", "playwright-report/", "tools/bench/out/"] },
  js.configs.recommended,
  ...tseslint.configs.recommended,
  {
    languageOptions: { globals: { ...globals.node } },
    rules: {
      "@typescript-eslint/no-unused-vars": ["error", { argsIgnorePattern: "^_", varsIgnorePattern: "^_" }],
      "@typescript-eslint/consistent-type-imports": ["error", { fixStyle: "inline-type-imports" }],
    },
  },
  {
    files: ["**/*.tsx"],
    plugins: { react, "react-hooks": reactHooks },
    settings: { react: { version: "detect" } },
    rules: {
      ...react.configs.recommended.rules,
      ...react.configs["jsx-runtime"].rules,
      ...reactHooks.configs.recommended.rules,
    },
  },
  {
    files: ["**/*.cjs"],
    languageOptions: { sourceType: "commonjs" },
    rules: { "@typescript-eslint/no-require-imports": "off" },
  },
  {
    files: ["extensions/**/*.js"],
    languageOptions: { globals: { ...globals.browser }, sourceType: "script" },
  },
  {
    // app/ must never depend on the dev tools (emulator, demo, benchmarks).
    files: ["app/**"],
    rules: { "no-restricted-imports": ["error", { patterns: ["**/tools/**"] }] },
  },
  {
    // app/lib never reaches up into the app shell (app/*.server.ts, routes, components).
    files: ["app/lib/**"],
    plugins: { aisle: layering },
    rules: { "aisle/lib-stays-in-lib": "error" },
  },
  prettier,
);
