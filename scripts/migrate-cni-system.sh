#!/bin/sh
# Rewrites Java/Markdown/shell sources from the cni-netlink layout (0.1 before the cni-system split) to the
# cni-system one. Idempotent; run from a repository root (or pass directories). Fully qualified names and
# imports first, then the one simple-name rename (NetlinkException -> ErrnoException), then the import that
# rename leaves in the old package. Skips itself (its patterns would rewrite this comment).
set -eu
[ $# -gt 0 ] || set -- .
find "$@" -path '*/target' -prune -o -path '*/.git' -prune -o -name CHANGELOG.md -prune -o -name migrate-cni-system.sh -prune -o \
  \( -name '*.java' -o -name '*.md' -o -name '*.sh' \) -type f -print |
  xargs grep -lE 'dev\.jcni\.netlink\.(Flock|Sysctl|NetNs|ErrnoException|NativeUnavailableException|internal\.nativ)\b|\bNetlinkException\b' |
  xargs -r sed -i -E \
    -e 's/\bdev\.jcni\.netlink\.internal\.nativ\b/dev.jcni.system.internal.nativ/g' \
    -e 's/\bdev\.jcni\.netlink\.(Flock|Sysctl|NetNs|NativeUnavailableException)\b/dev.jcni.system.\1/g' \
    -e 's/\bNetlinkException\b/ErrnoException/g' \
    -e 's/\bdev\.jcni\.netlink\.ErrnoException\b/dev.jcni.system.ErrnoException/g'
