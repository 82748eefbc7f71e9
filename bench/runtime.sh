#!/usr/bin/env bash
# Cost of running a network list through jcni's runtime side (dev.jcni.runtime):
#  1. cold: the `jcni` CLI (one JVM per command, like cnitool) doing ADD then DEL of an IPAM-only list whose
#     plugin is Go's host-local (exec'd), against calling Go host-local ADD + DEL directly (the floor);
#  2. warm: a JVM that embeds CniRuntime (a Java container runtime) doing ADD+DEL of the same list with the
#     plugin exec'd (Go host-local; jcni plugins through dist/target/jcni/bin) and in-process (jcni plugins on the class path).
# Nothing touches a real network: host-local only writes its dataDir, debug only a log file.
#
#   mvn -q package -DskipTests -Djcni.dist.skipArchives=true && bash bench/runtime.sh     (N=50 for more runs)
set -euo pipefail
# the JVM-per-call path (dist/target/jcni/bin/<type> is the shim: never let a running jcni daemon serve these; see resident.sh)
export JCNI_DIRECT=1
N=${N:-20}
root=$(cd "$(dirname "$0")/.." && pwd)
# debug is an example plugin: the test tree (integration-tests/target/jcni) holds it beside the reference plugins
bin=$root/integration-tests/target/jcni/bin
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
# CPU seconds (user+sys) used so far by finished children of this shell, in microseconds
# (`times` must run in this shell, not in a pipe or $(...), which are subshells with their own children)
child_cpu() {
  times > "$tmp/times"
  tail -1 "$tmp/times" | awk '{ split($1, u, /[ms]/); split($2, s, /[ms]/); printf "%d", (u[1]*60 + u[2] + s[1]*60 + s[2]) * 1e6 }'
}
# measure LABEL FUNC -> "LABEL median max cpu" (ms per ADD+DEL pair; cpu = mean user+sys of the child
# processes, which a loaded machine inflates far less than wall time); median in $med
measure() {
  local label=$1 f=$2 t=() s e i c0 c1
  $f warm
  child_cpu > "$tmp/c0"
  for ((i = 0; i < N; i++)); do
    s=$(date +%s%N); $f "b$i"; e=$(date +%s%N)
    t+=($(( (e - s) / 1000 )))
  done
  child_cpu > "$tmp/c1"; c0=$(cat "$tmp/c0"); c1=$(cat "$tmp/c1")
  local sorted; sorted=($(printf '%s\n' "${t[@]}" | sort -n))
  med=${sorted[$(( N / 2 ))]}
  cpu=$(( (c1 - c0) / N ))
  printf '%-62s %9s %9s %9s\n' "$label" "$(ms "$med")" "$(ms "${sorted[$(( N - 1 ))]}")" "$(ms "$cpu")"
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
echo "load average: $(cut -d' ' -f1-3 /proc/loadavg)"
printf '%-62s %9s %9s %9s\n' "case (cold: new processes)" "median" "max" "cpu"
measure "Go host-local ADD + DEL, called directly (floor)" direct; floor=$med; floor_cpu=$cpu
measure "jcni add + jcni del (CLI JVM each, exec Go host-local)" cli; clim=$med; cli_cpu=$cpu
awk -v a="$clim" -v b="$floor" -v c="$cli_cpu" -v d="$floor_cpu" 'BEGIN { printf "ratio jcni CLI / direct Go plugin calls: %.1fx wall, %.1fx cpu (JVM start-up of two CLI runs dominates)\n", a / b, c / d }'
echo
java -cp "$root/integration-tests/target/jcni/lib/*" "$root/bench/RuntimeBench.java" "$N" "$bin" "$go"
