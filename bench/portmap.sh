#!/usr/bin/env bash
# portmap ADD and DEL per pod with one port mapping: jcni's portmap (dist/target/jcni/bin/portmap, a fresh JVM per call) vs
# Go's portmap v1.1.1 (/usr/lib/cni/portmap, iptables only) in the same run, interleaved call by call so both see
# the same machine load. Then the whole chain a pod with a host port gets: bridge + host-local + portmap, Go's vs
# jcni's. Every plugin runs inside a throwaway NODE namespace (`ip netns exec`, included in every figure) with a
# pod namespace; the machine's own namespace is never touched.
# Reported: median and max wall time, median CPU time (user+sys of the plugin and the tools it runs), and the
# ratio ours/Go of the wall medians. Go v1.1.1 has no nftables backend: the nftables rows compare with Go's
# (only) iptables backend. When a JDK 25 is present, ours is also measured on it (the launcher then uses the
# per-plugin AOT cache made at package time).
#
#   mvn -q -pl dist -am package -DskipTests && sudo bash bench/portmap.sh     (N=50 for more runs, CHAIN=0 to skip)
set -euo pipefail
. "$(dirname "$0")/lib.sh"
# the JVM-per-call path (dist/target/jcni/bin/<type> is the shim: never let a running jcni daemon serve these; see resident.sh)
export JCNI_DIRECT=1
N=${N:-20}
CHAIN=${CHAIN:-1}
root=$(cd "$(dirname "$0")/.." && pwd)
bin=$root/dist/target/jcni/bin
ours=$bin/portmap
godir=${GO_CNI:-/usr/lib/cni}
go=$godir/portmap
jdk25=${JDK25:-/usr/lib/jvm/temurin-25-jdk-amd64}
[ "$(id -u)" = 0 ] || { echo "needs root (creates network namespaces)" >&2; exit 1; }
[ -x "$ours" ] || { echo "no $ours: run 'mvn -q -pl dist -am package -DskipTests' first" >&2; exit 1; }
have_go=0; [ -x "$go" ] && have_go=1
have_25=0; [ -x "$jdk25/bin/java" ] && have_25=1
javas=(default); [ $have_25 = 1 ] && javas+=(jdk25)

r=$RANDOM
node=jpm-bn-$r pod=jpm-bp-$r cnode=jpm-bcn-$r cpod=jpm-bcp-$r
tmp=$(mktemp -d)
cleanup() {
  for ns in "$node" "$pod" "$cnode" "$cpod"; do ip netns del "$ns" 2>/dev/null || true; done
  rm -rf "$tmp"
}
trap cleanup EXIT
ip netns add "$node"; ip netns add "$pod"
ip -n "$node" link set lo up; ip -n "$pod" link set lo up
ip link add jpmh0 netns "$node" type veth peer name eth0 netns "$pod"
ip -n "$node" addr add 10.99.0.1/24 dev jpmh0; ip -n "$node" link set jpmh0 up
ip -n "$pod" addr add 10.99.0.2/24 dev eth0; ip -n "$pod" link set eth0 up
ip -n "$pod" route add default via 10.99.0.1

prev='{"cniVersion":"1.0.0","interfaces":[{"name":"jpmh0"},{"name":"eth0","sandbox":"/run/netns/'$pod'"}],"ips":[{"interface":1,"address":"10.99.0.2/24","gateway":"10.99.0.1"}]}'
pm='{"portMappings":[{"HostPort":18080,"ContainerPort":80,"Protocol":"tcp","HostIP":""}]}'
pmconf() { # extra-keys prevResult -> a portmap config (containerd's first DEL carries prevResult and mappings too)
  printf '{"cniVersion":"1.0.0","name":"bench","type":"portmap","capabilities":{"portMappings":true}%s,"runtimeConfig":%s,"prevResult":%s}' \
    "$1" "$pm" "$2"
}
pmconf "" "$prev" > "$tmp/go.json"
pmconf ',"backend":"iptables"' "$prev" > "$tmp/iptables.json"
pmconf ',"backend":"nftables"' "$prev" > "$tmp/nftables.json"

# call NODE CMD ID PLUGIN CONF [JAVA]: one plugin call in NODE with conf on stdin
call() {
  local jh=; [ "${6:-default}" = jdk25 ] && jh=$jdk25
  CNI_COMMAND=$2 CNI_CONTAINERID=$3 CNI_NETNS=/run/netns/$pod CNI_IFNAME=eth0 CNI_PATH=$godir \
    JCNI_JAVA_HOME=${jh:-${JAVA_HOME:-}} ip netns exec "$1" "$4" < "$5"
}
median() { cut -d' ' -f1 "$1" | sort -n | awk '{ a[NR] = $1 } END { print a[int(NR / 2) + 1] }'; }
ms() { awk -v a="$1" 'BEGIN { printf "%.1f", a / 1000 }'; }
ratio() { awk -v a="$1" -v b="$2" 'BEGIN { printf "%.2f", a / b }'; }
row() { # label file [go-file]
  local r=-; [ -n "${3:-}" ] && [ -s "${3:-}" ] && r=$(ratio "$(median "$2")" "$(median "$3")")
  printf '%-48s %s %8s\n' "$1" "$(stats "$2")" "$r"
}

# warm-up (page cache, class-data archives, iptables-nft tables created once)
for j in "${javas[@]}"; do for b in iptables nftables; do
  call "$node" ADD warm "$ours" "$tmp/$b.json" "$j" > /dev/null; call "$node" DEL warm "$ours" "$tmp/$b.json" "$j" > /dev/null
done; done
[ $have_go = 1 ] && { call "$node" ADD warm "$go" "$tmp/go.json" > /dev/null; call "$node" DEL warm "$go" "$tmp/go.json" > /dev/null; }

for ((i = 0; i < N; i++)); do
  for j in "${javas[@]}"; do for b in iptables nftables; do
    timed "$tmp/ours-$j-$b-add" call "$node" ADD "b$i" "$ours" "$tmp/$b.json" "$j"
    timed "$tmp/ours-$j-$b-del" call "$node" DEL "b$i" "$ours" "$tmp/$b.json" "$j"
  done; done
  if [ $have_go = 1 ]; then
    timed "$tmp/go-add" call "$node" ADD "g$i" "$go" "$tmp/go.json"
    timed "$tmp/go-del" call "$node" DEL "g$i" "$go" "$tmp/go.json"
  fi
done

# ---- the chain: bridge + host-local, then portmap (ADD); portmap, then bridge + host-local (DEL)
chain_ok=0
if [ "$CHAIN" = 1 ] && [ $have_go = 1 ] && [ -x "$godir/bridge" ] && [ -x "$godir/host-local" ] && [ -x "$bin/bridge" ]; then
  chain_ok=1
  ip netns add "$cnode"; ip netns add "$cpod"; ip -n "$cnode" link set lo up; ip -n "$cpod" link set lo up
  mkdir -p "$tmp/hl-go" "$tmp/hl-jcni"
  brconf() { # impl -> bridge config
    printf '{"cniVersion":"1.0.0","name":"bench-%s","type":"bridge","bridge":"jpmbr-%s","isGateway":true,"isDefaultGateway":true,"ipam":{"type":"host-local","ranges":[[{"subnet":"10.%s.0.0/16"}]],"dataDir":"%s"}}' \
      "$1" "$1" "$([ "$1" = go ] && echo 88 || echo 89)" "$tmp/hl-$1"
  }
  brconf go > "$tmp/br-go.json"; brconf jcni > "$tmp/br-jcni.json"
  # chain IMPL CMD ID [BACKEND-KEYS]: the runtime's sequence for one pod, each plugin a process in the node
  chain() {
    local impl=$1 cmd=$2 id=$3 extra=${4:-} brbin pmbin path
    if [ "$impl" = go ]; then brbin=$godir/bridge pmbin=$godir/portmap path=$godir; else brbin=$bin/bridge pmbin=$ours path=$bin; fi
    local env=(CNI_CONTAINERID="$id" CNI_NETNS=/run/netns/$cpod CNI_IFNAME=eth0 CNI_PATH=$path)
    if [ "$cmd" = ADD ]; then
      env "${env[@]}" CNI_COMMAND=ADD ip netns exec "$cnode" "$brbin" < "$tmp/br-$impl.json" > "$tmp/res-$impl-$id"
      pmconf "$extra" "$(cat "$tmp/res-$impl-$id")" > "$tmp/pm-$impl-$id.json"
      env "${env[@]}" CNI_COMMAND=ADD ip netns exec "$cnode" "$pmbin" < "$tmp/pm-$impl-$id.json" > /dev/null
    else
      env "${env[@]}" CNI_COMMAND=DEL ip netns exec "$cnode" "$pmbin" < "$tmp/pm-$impl-$id.json" > /dev/null
      { head -c -1 "$tmp/br-$impl.json"; printf ',"prevResult":%s}' "$(cat "$tmp/res-$impl-$id")"; } > "$tmp/brdel.json"
      env "${env[@]}" CNI_COMMAND=DEL ip netns exec "$cnode" "$brbin" < "$tmp/brdel.json" > /dev/null
    fi
  }
  chain go ADD warm; chain go DEL warm; chain jcni ADD warm ',"backend":"nftables"'; chain jcni DEL warm
  for ((i = 0; i < N; i++)); do
    timed "$tmp/chain-go-add" chain go ADD "c$i"
    timed "$tmp/chain-go-del" chain go DEL "c$i"
    timed "$tmp/chain-jcni-add" chain jcni ADD "c$i" ',"backend":"nftables"'
    timed "$tmp/chain-jcni-del" chain jcni DEL "c$i"
  done
fi

echo "portmap benchmark: $N pods, one port mapping, per call incl. 'ip netns exec', ms ($(nproc) cores, $(uname -r), load average$(uptime | sed 's/.*load average//'))"
printf '%-48s %8s %8s %8s %8s\n' "case" "median" "max" "cpu" "ours/Go"
if [ $have_go = 1 ]; then
  row "Go portmap v1.1.1 ADD (iptables)" "$tmp/go-add"
  row "Go portmap v1.1.1 DEL (iptables)" "$tmp/go-del"
fi
for j in "${javas[@]}"; do for b in iptables nftables; do
  jl=JDK17; [ "$j" = jdk25 ] && jl="JDK25+AOT"
  row "jcni portmap ADD ($b, $jl)" "$tmp/ours-$j-$b-add" "$tmp/go-add"
  row "jcni portmap DEL ($b, $jl)" "$tmp/ours-$j-$b-del" "$tmp/go-del"
done; done
if [ $chain_ok = 1 ]; then
  row "chain Go bridge+host-local+portmap ADD" "$tmp/chain-go-add"
  row "chain Go bridge+host-local+portmap DEL" "$tmp/chain-go-del"
  row "chain jcni bridge+host-local+portmap ADD (nft)" "$tmp/chain-jcni-add" "$tmp/chain-go-add"
  row "chain jcni bridge+host-local+portmap DEL (nft)" "$tmp/chain-jcni-del" "$tmp/chain-go-del"
fi
