// `npm run theme-check`: Shopify's theme-check (the checks for theme app extensions) on
// extensions/chat-widget. Prints each offense and exits non-zero when there is any error or warning.
import path from "node:path";
import { Severity, themeCheckRun } from "@shopify/theme-check-node";

const root = path.resolve(process.argv[2] ?? "extensions/chat-widget");
const { offenses, theme } = await themeCheckRun(root, path.resolve("tools/theme-check.yml"), () => {});
const label = { [Severity.ERROR]: "error", [Severity.WARNING]: "warning", [Severity.INFO]: "info" };
for (const offense of offenses) {
  const file = path.relative(process.cwd(), new URL(offense.uri).pathname);
  console.log(`${file}:${offense.start.line + 1}  ${label[offense.severity]}  ${offense.check}: ${offense.message}`);
}
const failing = offenses.filter((offense) => offense.severity !== Severity.INFO);
console.log(
  `theme-check: ${theme.length} files, ${failing.length} errors/warnings, ${offenses.length - failing.length} info`,
);
process.exit(failing.length ? 1 : 0);
