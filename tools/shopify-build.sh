#!/usr/bin/env bash
# The real Shopify CLI's `shopify app build`, offline (it needs no login): it must build the Remix app
# (shopify.web.toml's build command) and bundle the theme app extension, after Shopify's theme check.
# Run by .ci/run on its fresh clone. Exits non-zero, with the CLI's output, when either is missing.
set -euo pipefail
cd "$(dirname "$0")/.."
log="$(mktemp)"
trap 'rm -f "$log"' EXIT
rm -rf build
status=0
SHOPIFY_CLI_NO_ANALYTICS=1 npx --no-install shopify app build --skip-dependencies-installation >"$log" 2>&1 || status=$?
# The CLI draws boxes and colours even into a file: plain text for the checks and the log.
sed -i 's/\x1b\[[0-9;]*[A-Za-z]//g' "$log"
missing=()
grep -q "Web successfully built" "$log" || missing+=("the app (shopify.web.toml build)")
[ -f build/server/index.js ] || missing+=("build/server/index.js")
grep -q "Bundling theme extension aisle-chat-widget" "$log" || missing+=("the theme extension aisle-chat-widget")
if [ "$status" -ne 0 ] || [ "${#missing[@]}" -gt 0 ]; then
  cat "$log"
  echo "shopify app build: FAILED (exit $status; not built: ${missing[*]:-none})"
  exit 1
fi
echo "shopify app build: app and theme extension aisle-chat-widget built"
