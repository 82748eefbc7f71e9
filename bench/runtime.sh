#!/usr/bin/env bash
# Cost of running a network list through jcni's runtime side (dev.jcni.api.runtime):
#  1. cold: the `jcni` CLI (one JVM per command, like cnitool) doing ADD then DEL of an IPAM-only list whose
#     plugin is Go's host-local (exec'd), against calling Go host-local ADD + DEL directly (the floor);
#  2. warm: a JVM that embeds CniRuntime (a Java container runtime) doing ADD+DEL of the same list with the
#     plugin exec'd (Go host-local; jcni plugins through dist/bin) and in-process (jcni plugins on the class path).
# Nothing touches a real network: host-local only writes its dataDir, debug only a log file.
#
#   mvn -q package -DskipTests -Djcni.dist.skipArchives=true && bash bench/runtime.sh     (N=50 for more runs)
set -euo pipefail
N=${N:-20}
root=$(cd "$(dirname "$0")/.." && pwd)
bin=$root/dist/bin
go=${GO_CNI:-/usr/lib/cni}
[ -x "$bin/jcni" ] || { echo "no $bin/jcni: run 'mvn -q package -DskipTests' first" >&2; exit 1; }
[ -x "$go/host-local" ] || { echo "needs Go host-local in $go (GO_CNI=...)" >&2; exit 1; }

tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
mkdir -p "$tmp/net.d"
printf '{"cniVersion":"1.0.0","name":"rtbench","plugins":[{"type":"host-local","ipam":{"type":"host-local","subnet":"10.254.0.0/16","dataDir":"%s/ipam"}}]}' \
  "$tmp" > "$tmp/net.d/10-rtbench.conflist"
printf '{"cniVersion":"1.0.0","name":"rtbench","type":"host-local","ipam":{"type":"host-local","subnet":"10.254.0.0/16","dataDir":"%s/ipam-direct"}}' \
  "$tmp" > "$tmp/direct.json"

ms() { awk -v a="$1" 'BEGIN { printf "%.1f", a / 1000 }'; }
# measure LABEL FUNC -> "LABEL median max" (ms of one ADD+DEL pair); median in $med
measure() {
  local label=$1 f=$2 t=() s e i
  $f warm
  for ((i = 0; i < N; i++)); do
    s=$(date +%s%N); $f "b$i"; e=$(date +%s%N)
    t+=($(( (e - s) / 1000 )))
  done
  local sorted; sorted=($(printf '%s\n' "${t[@]}" | sort -n))
  med=${sorted[$(( N / 2 ))]}
  printf '%-62s %9s %9s\n' "$label" "$(ms "$med")" "$(ms "${sorted[$(( N - 1 ))]}")"
}
direct() {
  CNI_COMMAND=ADD CNI_CONTAINERID=$1 CNI_NETNS=/run/netns/none CNI_IFNAME=eth0 CNI_PATH=$go \
    "$go/host-local" < "$tmp/direct.json" > /dev/null
  CNI_COMMAND=DEL CNI_CONTAINERID=$1 CNI_NETNS=/run/netns/none CNI_IFNAME=eth0 CNI_PATH=$go \
    "$go/host-local" < "$tmp/direct.json" > /dev/null
}
cli() {
  local o=(--conf-dir "$tmp/net.d" --cache-dir "$tmp/cache" --cni-path "$go" --exec-only --container-id "$1")
  "$bin/jcni" add rtbench none "${o[@]}" > /dev/null
  "$bin/jcni" del rtbench none "${o[@]}" > /dev/null
}

echo "jcni runtime benchmark: $N runs each, wall ms per ADD+DEL pair ($(nproc) cores, $(uname -r), $(java -version 2>&1 | head -1))"
printf '%-62s %9s %9s\n' "case (cold: new processes)" "median" "max"
measure "Go host-local ADD + DEL, called directly (floor)" direct; floor=$med
measure "jcni add + jcni del (CLI JVM each, exec Go host-local)" cli; clim=$med
awk -v a="$clim" -v b="$floor" 'BEGIN { printf "ratio jcni CLI / direct Go plugin calls: %.1fx (JVM start-up of two CLI runs dominates)\n", a / b }'
echo
java -cp "$root/dist/lib/*" "$root/bench/RuntimeBench.java" "$N" "$bin" "$go"
