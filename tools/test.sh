#!/usr/bin/env bash
# `npm test`: everything — lint, types, route security, build, unit + integration (Vitest), end-to-end
# (Playwright in Chromium). Ends with one "Summary: N passed, N failed" line.
set -euo pipefail
cd "$(dirname "$0")/.."
reports="$(mktemp -d)"
trap 'rm -rf "$reports"' EXIT

echo "▶ Node $(node --version)"
# better-sqlite3 must be built for the Node running the tests (after switching Node: a cached copy or a rebuild).
node tools/native-addons.mjs
bash tools/ensure-chromium.sh
TEST_POSTGRES_URL="$(bash tools/ensure-postgres.sh)"
export TEST_POSTGRES_URL
[ -n "$TEST_POSTGRES_URL" ] || echo "No Postgres available: the Postgres tests will be skipped (see tools/ensure-postgres.sh)."
echo "▶ lint" && npm run --silent lint
echo "▶ typecheck" && npm run --silent typecheck
# Every route authenticates or is on tools/security/public-routes.json with a reason (tools/security/route-auth.ts).
echo "▶ security" && npm run --silent security > "$reports/security.log" 2>&1 || { cat "$reports/security.log"; exit 1; }
tail -n 1 "$reports/security.log"
echo "▶ build" && npm run --silent build > "$reports/build.log" 2>&1 || { cat "$reports/build.log"; exit 1; }

status=0
echo "▶ unit + integration (vitest)"
npx vitest run --reporter=default --reporter=json --outputFile.json="$reports/vitest.json" || status=1
echo "▶ end-to-end (playwright)"
PLAYWRIGHT_JSON_OUTPUT_NAME="$reports/playwright.json" npx playwright test --reporter=list,json || status=1

node tools/test-summary.mjs "$reports/vitest.json" "$reports/playwright.json"
exit "$status"
