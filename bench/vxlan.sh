#!/usr/bin/env bash
# vxlan overlay benchmark, in throwaway network namespaces (never the machine's own):
#  1. the node agent's reconcile (VxlanNode.sync: dump VTEP entries, diff, apply) for 1, 100 and 1000 simulated
#     remote nodes, in a warmed-up JVM as the long-running agent is: entries programmed per second;
#  2. the vxlan plugin's added ADD latency: one `vxlan` process call in a node namespace with 0/100/1000 peers in
#     the peers file, VTEP already in sync (the steady state of every pod ADD), median wall and CPU time; next to
#     it the floor of a chained plugin that does nothing (portmap without port mappings), jcni's and Go's.
# There is no Go vxlan CNI plugin to compare with (the reference plugins have none; flannel's lives in a daemon).
# Usage: bench/vxlan.sh [calls]   (root; build first: mvn -q -pl dist -am package -DskipTests)
set -euo pipefail
# the JVM-per-call path (dist/target/jcni/bin/<type> is the shim: never let a running jcni daemon serve these; see resident.sh)
export JCNI_DIRECT=1
cd "$(dirname "$0")/.."
N=${1:-10}
GO_DIR=${GO_CNI_DIR:-/usr/lib/cni}
JBIN=${JCNI_BIN:-dist/target/jcni/bin}
[ "$(id -u)" = 0 ] || { echo "needs root (creates network namespaces)"; exit 1; }
[ -x "$JBIN/vxlan" ] || { echo "no $JBIN/vxlan: run mvn -q -pl dist -am package -DskipTests"; exit 1; }

echo "== vxlan: $(nproc) cores, load average $(cut -d' ' -f1-3 /proc/loadavg), $(java -version 2>&1 | head -1)"
echo
echo "-- 1. agent reconcile (in-process, warmed up; median of 5)"
java -cp "dist/target/jcni/lib/*" bench/VxlanBench.java 1 100 1000

tag=$(printf '%04x' $((RANDOM)))
node="jvx-bn-$tag"; pod="jvx-bp-$tag"
work=$(mktemp -d /tmp/jvx-bench-XXXX)
cleanup() { ip netns del "$pod" 2>/dev/null || true; ip netns del "$node" 2>/dev/null || true; rm -rf "$work"; }
trap cleanup EXIT
ip netns add "$node"; ip netns add "$pod"
ip -n "$node" link set lo up
ip -n "$node" link add eth0 type veth peer name ul1
ip -n "$node" addr add 192.168.250.1/16 dev eth0
ip -n "$node" link set eth0 up; ip -n "$node" link set ul1 up

prev='{"cniVersion":"1.0.0","interfaces":[{"name":"cni0","mac":"02:00:00:00:00:01"},{"name":"eth0","mac":"02:00:00:00:00:02","sandbox":"/run/netns/'$pod'"}],"ips":[{"interface":1,"address":"10.255.0.2/24","gateway":"10.255.0.1"}]}'
cat > "$work/vxlan.json" <<JSON
{"cniVersion":"1.0.0","name":"benchnet","type":"vxlan","underlayInterface":"eth0","nodeSubnet":"10.255.0.0/24",
 "peersFile":"$work/peers.json","prevResult":$prev}
JSON
cat > "$work/loopback.json" <<JSON
{"cniVersion":"1.0.0","name":"benchnet","type":"loopback"}
JSON
cat > "$work/portmap.json" <<JSON
{"cniVersion":"1.0.0","name":"benchnet","type":"portmap","capabilities":{"portMappings":true},"prevResult":$prev}
JSON

peers() { # $1 = count -> peers file
  awk -v n="$1" 'BEGIN { printf "["; for (i = 0; i < n; i++) printf "%s{\"underlayIP\":\"172.16.%d.%d\",\"podSubnet\":\"10.%d.%d.0/24\"}", (i ? "," : ""), int(i/250), i%250+1, 1+int(i/256), i%256; print "]" }' > "$work/peers.json"
}

# call BIN CONF PATH [IFNAME] -> "wall_ms cpu_ms" (plugin ADD inside the node namespace). Wall time from
# nanosecond clocks around the call; CPU (user+sys) from /usr/bin/time, which counts in 10 ms steps.
call() {
  local t0 t1
  t0=$(date +%s%N)
  if ! ip netns exec "$node" env CNI_COMMAND=ADD CNI_CONTAINERID=bench CNI_NETNS="/run/netns/$pod" \
      CNI_IFNAME="${4:-eth0}" CNI_PATH="$3" /usr/bin/time -f "%U %S" -o "$work/time" "$1" <"$2" >"$work/out" \
      2>"$work/err"; then
    echo "$1 ADD failed: $(cat "$work/out" "$work/err")" >&2; exit 1
  fi
  t1=$(date +%s%N)
  awk -v w=$(( (t1 - t0) / 1000 )) '{printf "%.1f %d\n", w/1000, ($1+$2)*1000}' "$work/time"
}
med() { printf '%s\n' "$@" | sort -n | awk '{a[NR]=$1} END {print (NR%2)?a[(NR+1)/2]:(a[NR/2]+a[NR/2+1])/2}'; }
ratio() { awk -v a="$1" -v b="$2" 'BEGIN{ if (b > 0) printf "%.1fx", a/b; else print "n/a" }'; }
measure() { # LABEL BIN CONF PATH [IFNAME] -> prints a row, sets M_WALL
  local w=() c=() ms cpu
  call "$2" "$3" "$4" "${5:-}" >/dev/null   # the first call programs what is missing; then the steady state
  for i in $(seq 1 "$N"); do read -r ms cpu <<<"$(call "$2" "$3" "$4" "${5:-}")"; w+=("$ms"); c+=("$cpu"); done
  M_WALL=$(med "${w[@]}")
  printf '%-40s %8sms %8sms\n' "$1" "$M_WALL" "$(med "${c[@]}")"
}

echo
echo "-- 2. plugin ADD latency, one process per call, in sync ($N calls each, median)"
printf '%-40s %10s %10s\n' "call" "wall" "cpu"
peers 0;    measure "jcni vxlan, 0 peers" "$JBIN/vxlan" "$work/vxlan.json" "$JBIN"; v0=$M_WALL
peers 100;  measure "jcni vxlan, 100 peers" "$JBIN/vxlan" "$work/vxlan.json" "$JBIN"; v100=$M_WALL
peers 1000; measure "jcni vxlan, 1000 peers" "$JBIN/vxlan" "$work/vxlan.json" "$JBIN"; v1000=$M_WALL
measure "jcni portmap, no mappings (chain floor)" "$JBIN/portmap" "$work/portmap.json" "$JBIN"; jp=$M_WALL
measure "jcni loopback (JVM + netlink floor)" "$JBIN/loopback" "$work/loopback.json" "$JBIN" lo; jl=$M_WALL
if [ -x "$GO_DIR/portmap" ]; then
  measure "Go portmap v1.1.1, no mappings" "$GO_DIR/portmap" "$work/portmap.json" "$GO_DIR"; gp=$M_WALL
  measure "Go loopback v1.1.1" "$GO_DIR/loopback" "$work/loopback.json" "$GO_DIR" lo; gl=$M_WALL
fi
echo "ratios (wall): vxlan/jcni-portmap $(ratio "$v100" "$jp"), vxlan/jcni-loopback $(ratio "$v100" "$jl")${gp:+, vxlan/Go-portmap $(ratio "$v100" "$gp"), jcni-loopback/Go-loopback $(ratio "$jl" "$gl")}"
echo "the vxlan plugin adds about $(awk -v a="$v100" -v b="$jp" 'BEGIN{printf "%.0f", a-b}') ms to a pod ADD over a chained no-op (100 peers)"
echo "VTEP after the run: $(ip -n "$node" -d link show jcni.vxlan1 | grep -o 'vxlan id [0-9]* local [0-9.]*'), $(ip -n "$node" route show dev jcni.vxlan1 | wc -l) routes"
