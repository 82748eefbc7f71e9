#!/usr/bin/env bash
# firewall ADD and DEL per pod (one IPv4 and one IPv6 address): jcni's firewall (dist/target/jcni/bin/firewall, a fresh JVM per
# call) with its iptables and nftables backends vs Go's firewall v1.1.1 (/usr/lib/cni/firewall, iptables only) in
# the same run, interleaved call by call so both see the same machine load. Every plugin runs inside a throwaway
# NODE namespace (`ip netns exec`, included in every figure) with a pod namespace; the machine's own namespace is
# never touched. Each pod gets its own container ID, so CNI-FORWARD grows by two rules per family per live pod
# (the DEL of pod i follows its ADD: the chain stays short, as on a quiet node).
# Reported: median and max wall time, median CPU time (user+sys of the plugin and the tools it runs), and the
# ratio ours/Go of the wall medians. Go v1.1.1 has no nftables backend: the nftables rows compare with Go's
# iptables backend. When a JDK 25 is present, ours is also measured on it (the launcher then uses the per-plugin
# AOT cache made at package time).
#
#   mvn -q -pl dist -am package -DskipTests && sudo bash bench/firewall.sh     (N=50 for more runs)
set -euo pipefail
. "$(dirname "$0")/lib.sh"
N=${N:-20}
root=$(cd "$(dirname "$0")/.." && pwd)
bin=$root/dist/target/jcni/bin
ours=$bin/firewall
godir=${GO_CNI:-/usr/lib/cni}
go=$godir/firewall
jdk25=${JDK25:-/usr/lib/jvm/temurin-25-jdk-amd64}
[ "$(id -u)" = 0 ] || { echo "needs root (creates network namespaces)" >&2; exit 1; }
[ -x "$ours" ] || { echo "no $ours: run 'mvn -q -pl dist -am package -DskipTests' first" >&2; exit 1; }
have_go=0; [ -x "$go" ] && have_go=1
have_25=0; [ -x "$jdk25/bin/java" ] && have_25=1
javas=(default); [ $have_25 = 1 ] && javas+=(jdk25)

r=$RANDOM
node=jfw-bn-$r pod=jfw-bp-$r
tmp=$(mktemp -d)
cleanup() {
  for ns in "$node" "$pod"; do ip netns del "$ns" 2>/dev/null || true; done
  rm -rf "$tmp"
}
trap cleanup EXIT
ip netns add "$node"; ip netns add "$pod"
ip -n "$node" link set lo up; ip -n "$pod" link set lo up
ip link add jfwh0 netns "$node" type veth peer name eth0 netns "$pod"
ip -n "$node" addr add 10.98.0.1/24 dev jfwh0; ip -n "$node" link set jfwh0 up
ip -n "$pod" addr add 10.98.0.2/24 dev eth0; ip -n "$pod" link set eth0 up

prev='{"cniVersion":"1.0.0","interfaces":[{"name":"jfwh0"},{"name":"eth0","sandbox":"/run/netns/'$pod'"}],"ips":[{"interface":1,"address":"10.98.0.2/24","gateway":"10.98.0.1"},{"interface":1,"address":"fd03::2/64","gateway":"fd03::1"}]}'
fwconf() { # extra-keys -> a firewall config (containerd's first DEL carries prevResult too)
  printf '{"cniVersion":"1.0.0","name":"bench","type":"firewall"%s,"prevResult":%s}' "$1" "$prev"
}
fwconf "" > "$tmp/go.json"
fwconf ',"backend":"iptables"' > "$tmp/iptables.json"
fwconf ',"backend":"nftables"' > "$tmp/nftables.json"

# call CMD ID PLUGIN CONF [JAVA]: one plugin call in the node with conf on stdin
call() {
  local jh=; [ "${5:-default}" = jdk25 ] && jh=$jdk25
  CNI_COMMAND=$1 CNI_CONTAINERID=$2 CNI_NETNS=/run/netns/$pod CNI_IFNAME=eth0 CNI_PATH=$godir \
    JCNI_JAVA_HOME=${jh:-${JAVA_HOME:-}} ip netns exec "$node" "$3" < "$4"
}

# warm-up (page cache, class-data archives, the shared chains / table created once)
for j in "${javas[@]}"; do for b in iptables nftables; do
  call ADD warm "$ours" "$tmp/$b.json" "$j" > /dev/null; call DEL warm "$ours" "$tmp/$b.json" "$j" > /dev/null
done; done
[ $have_go = 1 ] && { call ADD warm "$go" "$tmp/go.json" > /dev/null; call DEL warm "$go" "$tmp/go.json" > /dev/null; }

for ((i = 0; i < N; i++)); do
  for j in "${javas[@]}"; do for b in iptables nftables; do
    timed "$tmp/ours-$j-$b-add" call ADD "b$i" "$ours" "$tmp/$b.json" "$j"
    timed "$tmp/ours-$j-$b-del" call DEL "b$i" "$ours" "$tmp/$b.json" "$j"
  done; done
  if [ $have_go = 1 ]; then
    timed "$tmp/go-add" call ADD "g$i" "$go" "$tmp/go.json"
    timed "$tmp/go-del" call DEL "g$i" "$go" "$tmp/go.json"
  fi
done
# every DEL left nothing of its pod behind
left=$(ip netns exec "$node" iptables-save -t filter; ip netns exec "$node" ip6tables-save -t filter; ip netns exec "$node" nft list ruleset 2>/dev/null)
if grep -q 'jcni-fw\|10.98.0.2/32 -j\|fd03::2/128 -j' <<< "$left"; then echo "rules left behind after DEL:" >&2; grep 'jcni-fw\|10.98.0.2' <<< "$left" >&2; exit 1; fi

echo "firewall benchmark: $N pods, v4+v6, per call incl. 'ip netns exec', ms ($(nproc) cores, $(uname -r), load average$(uptime | sed 's/.*load average//'))"
printf '%-40s %8s %8s %8s %8s\n' "case" "median" "max" "cpu" "ours/Go"
if [ $have_go = 1 ]; then
  row "Go firewall v1.1.1 ADD (iptables)" "$tmp/go-add"
  row "Go firewall v1.1.1 DEL (iptables)" "$tmp/go-del"
fi
for j in "${javas[@]}"; do for b in iptables nftables; do
  jl=JDK17; [ "$j" = jdk25 ] && jl="JDK25+AOT"
  row "jcni firewall ADD ($b, $jl)" "$tmp/ours-$j-$b-add" "$tmp/go-add"
  row "jcni firewall DEL ($b, $jl)" "$tmp/ours-$j-$b-del" "$tmp/go-del"
done; done
