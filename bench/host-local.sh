#!/usr/bin/env bash
# Per-call latency of jcni host-local vs Go's host-local (/usr/lib/cni/host-local) on one shared data directory.
# Each iteration runs ADD then DEL with each implementation (interleaved, so both see the same machine load and the
# same directory state); the medians of N runs (default 25, at least 20) are printed with the ratio jcni/Go.
#
#   bench/host-local.sh            # uses dist/bin/host-local (built first when missing)
#   N=50 JCNI_HOST_LOCAL=/opt/cni/bin/host-local bench/host-local.sh
#
# host-local never enters CNI_NETNS, so an empty file stands in for it (our own netns would be refused with code 8,
# as Go's newer skel does); nothing on the machine's network changes.
set -euo pipefail
cd "$(dirname "$0")/.."
N=${N:-25}
[ "$N" -ge 20 ] || { echo "N must be at least 20" >&2; exit 2; }
GO=${GO_HOST_LOCAL:-/usr/lib/cni/host-local}

if [ -n "${JCNI_HOST_LOCAL:-}" ]; then
  OURS=("$JCNI_HOST_LOCAL")
else
  if [ ! -x dist/bin/host-local ]; then
    echo "building dist/bin/host-local (mvn -q -o package -pl dist -am -DskipTests)" >&2
    mvn -q -o package -pl dist -am -DskipTests >&2
  fi
  OURS=(dist/bin/host-local)
fi

DATA=$(mktemp -d /tmp/jcni-bench-hl.XXXXXX)
NETNS=$(mktemp /tmp/jcni-bench-hl-netns.XXXXXX)
trap 'rm -rf "$DATA" "$NETNS"' EXIT
CONF="{\"cniVersion\":\"1.0.0\",\"name\":\"bench\",\"type\":\"bridge\",\"ipam\":{\"type\":\"host-local\",\"dataDir\":\"$DATA\",\"ranges\":[[{\"subnet\":\"10.250.0.0/16\"}],[{\"subnet\":\"fd00:250::/64\"}]],\"routes\":[{\"dst\":\"0.0.0.0/0\"}]}}"

# call <cmd...> with CMD and ID set: prints the elapsed microseconds; fails loudly on a CNI error
call() {
  local t0 t1 out
  t0=$(date +%s%N)
  if ! out=$(printf '%s' "$CONF" | CNI_COMMAND=$CMD CNI_CONTAINERID=$ID CNI_NETNS=$NETNS CNI_IFNAME=eth0 \
      CNI_PATH=/usr/lib/cni "$@" 2>&1); then
    echo "FAILED: $CMD $ID: $out" >&2
    exit 1
  fi
  t1=$(date +%s%N)
  echo $(( (t1 - t0) / 1000 ))
}

median() { sort -n | awk '{a[NR]=$1} END {m = (NR % 2) ? a[(NR+1)/2] : (a[NR/2] + a[NR/2+1]) / 2; printf "%.1f", m/1000}'; }

have_go=1
[ -x "$GO" ] || { have_go=0; echo "Go host-local not found at $GO: printing jcni figures only" >&2; }

: >"$DATA/j_add"; : >"$DATA/j_del"; : >"$DATA/g_add"; : >"$DATA/g_del"
# one warm-up call each (page cache, JIT-free start-up is what we measure)
CMD=ADD ID=warm call "${OURS[@]}" >/dev/null; CMD=DEL ID=warm call "${OURS[@]}" >/dev/null
for i in $(seq 1 "$N"); do
  CMD=ADD ID=j$i call "${OURS[@]}" >>"$DATA/j_add"
  if [ $have_go = 1 ]; then CMD=ADD ID=g$i call "$GO" >>"$DATA/g_add"; fi
  CMD=DEL ID=j$i call "${OURS[@]}" >>"$DATA/j_del"
  if [ $have_go = 1 ]; then CMD=DEL ID=g$i call "$GO" >>"$DATA/g_del"; fi
done
left=$(ls "$DATA/bench" | grep -v -e '^lock$' -e '^last_reserved_ip\.' || true)
[ -z "$left" ] || { echo "stray reservations left: $left" >&2; exit 1; }

ja=$(median <"$DATA/j_add"); jd=$(median <"$DATA/j_del")
echo "host-local, median of $N calls (ms), dual-stack config, shared data directory"
printf '%-6s %10s %10s %8s\n' verb jcni go ratio
if [ $have_go = 1 ]; then
  ga=$(median <"$DATA/g_add"); gd=$(median <"$DATA/g_del")
  printf '%-6s %10s %10s %8s\n' ADD "$ja" "$ga" "$(awk -v a="$ja" -v b="$ga" 'BEGIN{printf "%.1fx", a/b}')"
  printf '%-6s %10s %10s %8s\n' DEL "$jd" "$gd" "$(awk -v a="$jd" -v b="$gd" 'BEGIN{printf "%.1fx", a/b}')"
else
  printf '%-6s %10s %10s %8s\n' ADD "$ja" - - DEL "$jd" - -
fi
