#!/bin/sh
# Builds the shim: build.sh SOURCE OUTPUT. Static (one binary runs in any container image), small, warnings are
# errors. musl-gcc when installed (~50 KB), else the system cc (glibc static, ~700 KB); JCNI_SHIM_CC overrides.
set -eu
src=$1 out=$2
cc=${JCNI_SHIM_CC:-}
if [ -z "$cc" ]; then
  if command -v musl-gcc >/dev/null 2>&1; then cc=musl-gcc; else cc=cc; fi
fi
mkdir -p "$(dirname "$out")"
$cc -std=gnu11 -static -Os -s -Wall -Wextra -Werror -Wshadow -Wconversion -o "$out.tmp" "$src"
mv -f "$out.tmp" "$out"
echo "jcni-shim: built $out with $cc ($(wc -c < "$out") bytes)"
