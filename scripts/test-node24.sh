#!/usr/bin/env bash
# The test suite on Node 24, in a copy of the checkout with a node_modules of its own:
#   scripts/test-node24.sh                                   # npm test
#   scripts/test-node24.sh npx vitest run tests/storage      # any command, run in the copy
#
# better-sqlite3 is a native addon built for one Node ABI at a time, so Node 24 cannot share the
# checkout's node_modules (built for Node 20). The copy is the working tree without node_modules,
# dist, data and test artefacts, at $AETHER_NODE24_TREE (default: a folder in $TMPDIR named after
# this checkout); there `npm ci` runs under Node 24 (scripts/with-node24.sh), which compiles
# better-sqlite3 for it and builds dist/ with the prepare step. The copy's node_modules is kept
# for the next run while package-lock.json and the Node version stay the same (then only dist/
# is rebuilt). Environment variables such as CI=true pass through.
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
with_node24="${root}/scripts/with-node24.sh"
tree="${AETHER_NODE24_TREE:-${TMPDIR:-/tmp}/aethercdn-node24-$(printf %s "${root}" | sha256sum | cut -c1-12)}"

now_ms() { echo $(($(date +%s%N) / 1000000)); }
t0=$(now_ms)

node_version=$("${with_node24}" node --version)
stamp="${node_version} $(sha256sum "${root}/package-lock.json" | cut -d' ' -f1)"
mkdir -p "${tree}"
keep_modules=false
if [ -d "${tree}/node_modules" ] && [ "$(cat "${tree}/.node24-stamp" 2>/dev/null)" = "${stamp}" ]; then
  keep_modules=true
fi

# Refresh the copy: everything but node_modules goes, then the working tree comes over again.
find "${tree}" -mindepth 1 -maxdepth 1 ! -name node_modules ! -name .node24-stamp -exec rm -rf {} +
tar -C "${root}" \
  --exclude=./node_modules --exclude=./dist --exclude=./data --exclude=./.tmp --exclude=./test-artifacts \
  -cf - . | tar -C "${tree}" -xf -
echo "==> node24: copied the checkout to ${tree} ($(( $(now_ms) - t0 )) ms)"

cd "${tree}"
t1=$(now_ms)
if ${keep_modules}; then
  "${with_node24}" npm run build --silent
  echo "==> node24: node_modules kept (same lock, ${node_version}); npm run build in $(( $(now_ms) - t1 )) ms"
else
  rm -f .node24-stamp
  "${with_node24}" npm ci --no-audit --no-fund
  echo "${stamp}" >.node24-stamp
  echo "==> node24: npm ci on ${node_version} in $(( $(now_ms) - t1 )) ms"
fi
# The addon must load under Node 24 (an addon built for Node 20's ABI fails here, not mid-suite).
"${with_node24}" node -e 'const D = require("better-sqlite3"); new D(":memory:").prepare("select 1").get(); console.log(`==> node24: better-sqlite3 loads on ${process.version} (ABI ${process.versions.modules})`)'

if [ $# -eq 0 ]; then set -- npm test; fi
"${with_node24}" "$@"
