#!/usr/bin/env bash
# Per-call latency of jcni host-local vs Go's host-local (/usr/lib/cni/host-local) on one shared data directory.
# Each iteration runs ADD then DEL with each implementation (interleaved, so both see the same machine load and the
# same directory state); the median wall time and the mean CPU time of N runs (default 25, at least 20) are printed
# with the ratios jcni/Go.
#
#   bench/host-local.sh            # uses dist/target/jcni/bin/host-local (built first when missing)
#   N=50 JCNI_HOST_LOCAL=/opt/cni/bin/host-local bench/host-local.sh
#
# host-local never enters CNI_NETNS, so an empty file stands in for it (our own netns would be refused with code 8,
# as Go's newer skel does); nothing on the machine's network changes.
set -euo pipefail
# the JVM-per-call path (dist/target/jcni/bin/<type> is the shim: never let a running jcni daemon serve these; see resident.sh)
export JCNI_DIRECT=1
cd "$(dirname "$0")/.."
N=${N:-25}
[ "$N" -ge 20 ] || { echo "N must be at least 20" >&2; exit 2; }
GO=${GO_HOST_LOCAL:-/usr/lib/cni/host-local}

if [ -n "${JCNI_HOST_LOCAL:-}" ]; then
  OURS=("$JCNI_HOST_LOCAL")
else
  if [ ! -x dist/target/jcni/bin/host-local ]; then
    echo "building dist/target/jcni/bin/host-local (mvn -q -o package -pl dist -am -DskipTests)" >&2
    mvn -q -o package -pl dist -am -DskipTests >&2
  fi
  OURS=(dist/target/jcni/bin/host-local)
fi

DATA=$(mktemp -d /tmp/jcni-bench-hl.XXXXXX)
NETNS=$(mktemp /tmp/jcni-bench-hl-netns.XXXXXX)
trap 'rm -rf "$DATA" "$NETNS"' EXIT
CONF="{\"cniVersion\":\"1.0.0\",\"name\":\"bench\",\"type\":\"bridge\",\"ipam\":{\"type\":\"host-local\",\"dataDir\":\"$DATA\",\"ranges\":[[{\"subnet\":\"10.250.0.0/16\"}],[{\"subnet\":\"fd00:250::/64\"}]],\"routes\":[{\"dst\":\"0.0.0.0/0\"}]}}"

# call <cmd...> with CMD and ID set: prints "<wall microseconds> <cpu seconds user+sys>"; fails loudly on a CNI error.
# CPU time (getrusage of the child, via bash's time) is what the call itself costs, whatever the machine's load.
call() {
  local t0 t1 rc=0 TIMEFORMAT='%3U %3S'
  t0=$(date +%s%N)
  { time printf '%s' "$CONF" | CNI_COMMAND=$CMD CNI_CONTAINERID=$ID CNI_NETNS=$NETNS CNI_IFNAME=eth0 \
      CNI_PATH=/usr/lib/cni "$@" >"$DATA/out" 2>&1 || rc=$?; } 2>"$DATA/cpu"
  t1=$(date +%s%N)
  if [ $rc != 0 ]; then
    echo "FAILED: $CMD $ID: $(cat "$DATA/out")" >&2
    exit 1
  fi
  echo "$(( (t1 - t0) / 1000 )) $(awk '{printf "%.4f", $1 + $2}' "$DATA/cpu")"
}

median() { cut -d' ' -f1 | sort -n | awk '{a[NR]=$1} END {m = (NR % 2) ? a[(NR+1)/2] : (a[NR/2] + a[NR/2+1]) / 2; printf "%.1f", m/1000}'; }
cpumean() { awk '{s += $2} END {printf "%.1f", 1000 * s / NR}'; }
ratio() { awk -v a="$1" -v b="$2" 'BEGIN{ if (b > 0) printf "%.1fx", a/b; else print "-" }'; }

have_go=1
[ -x "$GO" ] || { have_go=0; echo "Go host-local not found at $GO: printing jcni figures only" >&2; }

: >"$DATA/j_add"; : >"$DATA/j_del"; : >"$DATA/g_add"; : >"$DATA/g_del"; : >"$DATA/j_del2"; : >"$DATA/g_del2"
# one warm-up call each (page cache, JIT-free start-up is what we measure)
CMD=ADD ID=warm call "${OURS[@]}" >/dev/null; CMD=DEL ID=warm call "${OURS[@]}" >/dev/null
for i in $(seq 1 "$N"); do
  CMD=ADD ID=j$i call "${OURS[@]}" >>"$DATA/j_add"
  if [ $have_go = 1 ]; then CMD=ADD ID=g$i call "$GO" >>"$DATA/g_add"; fi
  CMD=DEL ID=j$i call "${OURS[@]}" >>"$DATA/j_del"
  if [ $have_go = 1 ]; then CMD=DEL ID=g$i call "$GO" >>"$DATA/g_del"; fi
  # containerd's second DEL for the same container: nothing left to release
  CMD=DEL ID=j$i call "${OURS[@]}" >>"$DATA/j_del2"
  if [ $have_go = 1 ]; then CMD=DEL ID=g$i call "$GO" >>"$DATA/g_del2"; fi
done
left=$(ls "$DATA/bench" | grep -v -e '^lock$' -e '^last_reserved_ip\.' || true)
[ -z "$left" ] || { echo "stray reservations left: $left" >&2; exit 1; }

ja=$(median <"$DATA/j_add"); jd=$(median <"$DATA/j_del"); jca=$(cpumean <"$DATA/j_add"); jcd=$(cpumean <"$DATA/j_del")
jd2=$(median <"$DATA/j_del2"); jcd2=$(cpumean <"$DATA/j_del2")
echo "host-local, $N calls each, dual-stack config, one shared data directory; load average: $(cut -d' ' -f1-3 /proc/loadavg)"
printf '%-6s %12s %12s %8s   %12s %12s %8s\n' verb "jcni wall" "go wall" ratio "jcni cpu" "go cpu" ratio
if [ $have_go = 1 ]; then
  ga=$(median <"$DATA/g_add"); gd=$(median <"$DATA/g_del"); gca=$(cpumean <"$DATA/g_add"); gcd=$(cpumean <"$DATA/g_del")
  gd2=$(median <"$DATA/g_del2"); gcd2=$(cpumean <"$DATA/g_del2")
  printf '%-6s %12s %12s %8s   %12s %12s %8s\n' ADD "$ja" "$ga" "$(ratio "$ja" "$ga")" "$jca" "$gca" "$(ratio "$jca" "$gca")"
  printf '%-6s %12s %12s %8s   %12s %12s %8s\n' DEL "$jd" "$gd" "$(ratio "$jd" "$gd")" "$jcd" "$gcd" "$(ratio "$jcd" "$gcd")"
  printf '%-6s %12s %12s %8s   %12s %12s %8s\n' DEL2 "$jd2" "$gd2" "$(ratio "$jd2" "$gd2")" "$jcd2" "$gcd2" "$(ratio "$jcd2" "$gcd2")"
else
  printf '%-6s %12s %12s %8s   %12s %12s %8s\n' ADD "$ja" - - "$jca" - - DEL "$jd" - - "$jcd" - - DEL2 "$jd2" - - "$jcd2" - -
fi
echo "(wall: median ms per call; cpu: mean ms of user+sys per call; DEL2: a repeated DEL with nothing to release)"
