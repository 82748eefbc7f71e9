#!/usr/bin/env bash
# static (IPAM) and tuning (chained) ADD and DEL per call: jcni's (dist/target/jcni/bin/static, dist/target/jcni/bin/tuning, a fresh JVM
# per call) vs Go's v1.1.1 (/usr/lib/cni/static, /usr/lib/cni/tuning) in the same run, interleaved call by call so
# both see the same machine load.
# - static: a dual-stack config with routes and DNS; it never enters CNI_NETNS, so an empty file stands in for it.
# - tuning: every call runs inside a throwaway NODE namespace (`ip netns exec`, included in every figure) against
#   a veth pair the script creates in a throwaway POD namespace; ADD sets a sysctl, the MAC, MTU, promisc and
#   allmulti (Go v1.1.1's keys) and saves the originals; DEL restores them. The machine's own namespace is never
#   touched.
# Reported: median and max wall time, median CPU time (user+sys), and the ratio ours/Go of the wall medians.
# When a JDK 25 is present, ours is also measured on it (the launcher then uses the per-plugin AOT cache).
#
#   mvn -q -pl dist -am package -DskipTests && sudo bash bench/tuning-static.sh     (N=50 for more runs)
set -euo pipefail
. "$(dirname "$0")/lib.sh"
N=${N:-20}
root=$(cd "$(dirname "$0")/.." && pwd)
bin=$root/dist/target/jcni/bin
godir=${GO_CNI:-/usr/lib/cni}
jdk25=${JDK25:-/usr/lib/jvm/temurin-25-jdk-amd64}
[ "$(id -u)" = 0 ] || { echo "needs root (creates network namespaces)" >&2; exit 1; }
for t in static tuning; do
  [ -x "$bin/$t" ] || { echo "no $bin/$t: run 'mvn -q -pl dist -am package -DskipTests' first" >&2; exit 1; }
done
have_go=0; [ -x "$godir/static" ] && [ -x "$godir/tuning" ] && have_go=1
have_25=0; [ -x "$jdk25/bin/java" ] && have_25=1
javas=(default); [ $have_25 = 1 ] && javas+=(jdk25)

r=$RANDOM
node=jtu-bn-$r pod=jtu-bp-$r
tmp=$(mktemp -d /tmp/jtu-bench.XXXXXX)
cleanup() {
  for ns in "$node" "$pod"; do ip netns del "$ns" 2>/dev/null || true; done
  rm -rf "$tmp"
}
trap cleanup EXIT
ip netns add "$node"; ip netns add "$pod"
ip -n "$node" link set lo up; ip -n "$pod" link set lo up
ip -n "$pod" link add eth0 type veth peer name jtupeer
ip -n "$pod" link set eth0 up; ip -n "$pod" link set jtupeer up
: > "$tmp/netns"   # static's CNI_NETNS stand-in
mkdir -p "$tmp/data"

printf '%s' '{"cniVersion":"1.0.0","name":"bench","type":"bridge","ipam":{"type":"static","addresses":[{"address":"10.250.0.5/24","gateway":"10.250.0.1"},{"address":"fd00:250::5/64","gateway":"fd00:250::1"}],"routes":[{"dst":"0.0.0.0/0"},{"dst":"192.168.250.0/24","gw":"10.250.0.254"}],"dns":{"nameservers":["10.250.0.53"],"search":["bench.example"]}}}' > "$tmp/static.json"
prev='{"cniVersion":"1.0.0","interfaces":[{"name":"eth0","sandbox":"/run/netns/'$pod'"}],"ips":[{"interface":0,"address":"10.250.0.5/24"}]}'
printf '{"cniVersion":"1.0.0","name":"bench","type":"tuning","dataDir":"%s","sysctl":{"net.ipv4.conf.eth0.arp_notify":"1"},"mac":"02:42:0a:fa:00:05","mtu":1400,"promisc":true,"allmulti":true,"prevResult":%s}' \
  "$tmp/data" "$prev" > "$tmp/tuning.json"

# static_call CMD ID PLUGIN [JAVA] / tuning_call CMD ID PLUGIN [JAVA]: one call with the config on stdin
static_call() {
  local jh=; [ "${4:-default}" = jdk25 ] && jh=$jdk25
  CNI_COMMAND=$1 CNI_CONTAINERID=$2 CNI_NETNS=$tmp/netns CNI_IFNAME=eth0 CNI_PATH=$godir \
    JCNI_JAVA_HOME=${jh:-${JAVA_HOME:-}} "$3" < "$tmp/static.json"
}
tuning_call() {
  local jh=; [ "${4:-default}" = jdk25 ] && jh=$jdk25
  CNI_COMMAND=$1 CNI_CONTAINERID=$2 CNI_NETNS=/run/netns/$pod CNI_IFNAME=eth0 CNI_PATH=$godir \
    JCNI_JAVA_HOME=${jh:-${JAVA_HOME:-}} ip netns exec "$node" "$3" < "$tmp/tuning.json"
}
orig=$(ip -n "$pod" -o link show eth0 | grep -o 'link/ether [^ ]*')

# warm-up (page cache, class-data archives)
for j in "${javas[@]}"; do
  static_call ADD warm "$bin/static" "$j" > /dev/null; static_call DEL warm "$bin/static" "$j" > /dev/null
  tuning_call ADD warm "$bin/tuning" "$j" > /dev/null; tuning_call DEL warm "$bin/tuning" "$j" > /dev/null
done
if [ $have_go = 1 ]; then
  static_call ADD warm "$godir/static" > /dev/null; tuning_call ADD warm "$godir/tuning" > /dev/null
  tuning_call DEL warm "$godir/tuning" > /dev/null
fi

for ((i = 0; i < N; i++)); do
  for j in "${javas[@]}"; do
    timed "$tmp/static-$j-add" static_call ADD "b$i" "$bin/static" "$j"
    timed "$tmp/static-$j-del" static_call DEL "b$i" "$bin/static" "$j"
    timed "$tmp/tuning-$j-add" tuning_call ADD "b$i" "$bin/tuning" "$j"
    timed "$tmp/tuning-$j-del" tuning_call DEL "b$i" "$bin/tuning" "$j"
  done
  if [ $have_go = 1 ]; then
    timed "$tmp/static-go-add" static_call ADD "g$i" "$godir/static"
    timed "$tmp/static-go-del" static_call DEL "g$i" "$godir/static"
    timed "$tmp/tuning-go-add" tuning_call ADD "g$i" "$godir/tuning"
    timed "$tmp/tuning-go-del" tuning_call DEL "g$i" "$godir/tuning"
  fi
done
# every DEL restored the interface and removed its file
[ "$(ip -n "$pod" -o link show eth0 | grep -o 'link/ether [^ ]*')" = "$orig" ] || { echo "MAC not restored" >&2; exit 1; }
[ -z "$(ls "$tmp/data")" ] || { echo "saved files left: $(ls "$tmp/data")" >&2; exit 1; }

echo "static/tuning benchmark: $N calls each, per call, ms ($(nproc) cores, $(uname -r), load average$(uptime | sed 's/.*load average//'))"
printf '%-40s %8s %8s %8s %8s\n' "case" "median" "max" "cpu" "ours/Go"
for p in static tuning; do
  if [ $have_go = 1 ]; then
    row "Go $p v1.1.1 ADD" "$tmp/$p-go-add"
    row "Go $p v1.1.1 DEL" "$tmp/$p-go-del"
  fi
  for j in "${javas[@]}"; do
    jl=JDK17; [ "$j" = jdk25 ] && jl="JDK25+AOT"
    row "jcni $p ADD ($jl)" "$tmp/$p-$j-add" "$tmp/$p-go-add"
    row "jcni $p DEL ($jl)" "$tmp/$p-$j-del" "$tmp/$p-go-del"
  done
done
echo "(tuning calls include 'ip netns exec'; static calls run in the caller's namespace; cpu: median user+sys)"
