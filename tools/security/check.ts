// `npm run security` (also run by `npm test`, so CI runs it): see route-auth.ts.
// Usage: tsx tools/security/check.ts [routesDir] [publicList]
import path from "node:path";
import { fileURLToPath } from "node:url";
import { checkRouteAuthentication, readPublicRoutes } from "./route-auth";

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "../..");
const routesDir = path.resolve(process.argv[2] ?? path.join(root, "app/routes"));
const listFile = path.resolve(process.argv[3] ?? path.join(root, "tools/security/public-routes.json"));

const report = checkRouteAuthentication(routesDir, readPublicRoutes(listFile));
for (const finding of report.findings) {
  console.log(`${finding.ok ? "ok  " : "FAIL"} ${finding.route} ${finding.handler}: ${finding.detail}`);
}
for (const problem of report.listProblems) console.log(`FAIL ${problem}`);
const failed = report.findings.filter((finding) => !finding.ok).length + report.listProblems.length;
console.log(
  failed === 0
    ? `security: ${report.findings.length} route handlers authenticate or are public with a reason`
    : `security: ${failed} problem(s); public list: ${path.relative(process.cwd(), listFile)}`,
);
process.exit(failed === 0 ? 0 : 1);
