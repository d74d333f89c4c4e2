// The layering rule flags app/lib modules that import the app shell, and nothing else.
import path from "node:path";
import { RuleTester } from "eslint";
import { describe, it } from "vitest";
import layering from "./layering.js";

RuleTester.describe = describe;
RuleTester.it = it;
const tester = new RuleTester({ languageOptions: { ecmaVersion: 2022, sourceType: "module" } });
const lib = (file: string) => path.resolve("app/lib", file);

tester.run("lib-stays-in-lib", layering.rules["lib-stays-in-lib"], {
  valid: [
    { filename: lib("sync/a.server.ts"), code: 'import { x } from "../logger.server";' },
    { filename: lib("sync/a.server.ts"), code: 'import { x } from "./b";' },
    { filename: lib("sync/a.server.ts"), code: 'import { z } from "zod";' },
    { filename: path.resolve("app/routes/x.ts"), code: 'import { x } from "../services.server";' },
  ],
  invalid: [
    { filename: lib("sync/a.server.ts"), code: 'import { x } from "../../services.server";', errors: 1 },
    { filename: lib("health.server.ts"), code: 'import { x } from "../shopify.server";', errors: 1 },
    { filename: lib("chat/a.ts"), code: 'export { x } from "../../routes/proxy.chat";', errors: 1 },
    { filename: lib("chat/a.ts"), code: 'const m = import("../../db.server");', errors: 1 },
  ],
});
