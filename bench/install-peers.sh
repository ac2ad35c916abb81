#!/usr/bin/env bash
# Installs the peer tools the benchmark compares Tally with into bench/.peers (gitignored).
# Idempotent: does nothing when the pinned versions are already there.
# Prints the path of the native ccusage binary (what `tally-bench agree/speed --ccusage` wants) on stdout.
set -euo pipefail

here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
prefix="$here/.peers"
launcher_version="20.0.26"
native_version="20.0.24"
native="$prefix/node_modules/@ccusage/ccusage-linux-x64/bin/ccusage"

installed_version() {
  local pkg="$prefix/node_modules/$1/package.json"
  [[ -f "$pkg" ]] && node -p "require('$pkg').version" 2>/dev/null || true
}

if [[ "$(installed_version ccusage)" != "$launcher_version" \
   || "$(installed_version @ccusage/ccusage-linux-x64)" != "$native_version" ]]; then
  mkdir -p "$prefix"
  npm install --prefix "$prefix" --no-audit --no-fund --loglevel=error \
    "ccusage@$launcher_version" "@ccusage/ccusage-linux-x64@$native_version" >&2
fi

# The native package may arrive without its run bit.
chmod +x "$native"
"$native" --version >/dev/null
echo "$native"
