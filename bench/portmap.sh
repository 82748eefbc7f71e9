#!/usr/bin/env bash
# portmap ADD and DEL per pod with one port mapping: jcni's portmap (dist/bin/portmap, a fresh JVM per call) vs
# Go's portmap v1.1.1 (/usr/lib/cni/portmap, iptables only), in the same run, interleaved call by call so both see
# the same machine load. Each plugin runs inside a throwaway NODE namespace (`ip netns exec`, included in both
# figures) with a pod namespace wired to it by a veth pair; the machine's own namespace is never touched.
# Reported: median and max wall time, median CPU time (user+sys of the plugin and the tools it runs), and the
# ratio ours/Go of the medians, per backend. Go v1.1.1 has no nftables backend: the nftables rows compare with
# Go's (only) iptables backend.
#
#   mvn -q -pl dist -am package -DskipTests && sudo bash bench/portmap.sh     (N=50 for more runs)
set -euo pipefail
N=${N:-20}
root=$(cd "$(dirname "$0")/.." && pwd)
ours=$root/dist/bin/portmap
go=${GO_CNI:-/usr/lib/cni}/portmap
[ "$(id -u)" = 0 ] || { echo "needs root (creates network namespaces)" >&2; exit 1; }
[ -x "$ours" ] || { echo "no $ours: run 'mvn -q -pl dist -am package -DskipTests' first" >&2; exit 1; }
have_go=0; [ -x "$go" ] && have_go=1

r=$RANDOM
node=jpm-bn-$r pod=jpm-bp-$r
tmp=$(mktemp -d)
cleanup() { ip netns del "$node" 2>/dev/null || true; ip netns del "$pod" 2>/dev/null || true; rm -rf "$tmp"; }
trap cleanup EXIT
ip netns add "$node"; ip netns add "$pod"
ip -n "$node" link set lo up; ip -n "$pod" link set lo up
ip link add jpmh0 netns "$node" type veth peer name eth0 netns "$pod"
ip -n "$node" addr add 10.99.0.1/24 dev jpmh0; ip -n "$node" link set jpmh0 up
ip -n "$pod" addr add 10.99.0.2/24 dev eth0; ip -n "$pod" link set eth0 up
ip -n "$pod" route add default via 10.99.0.1

prev='{"cniVersion":"1.0.0","interfaces":[{"name":"jpmh0"},{"name":"eth0","sandbox":"/run/netns/'$pod'"}],"ips":[{"interface":1,"address":"10.99.0.2/24","gateway":"10.99.0.1"}]}'
pm='{"portMappings":[{"HostPort":18080,"ContainerPort":80,"Protocol":"tcp","HostIP":""}]}'
conf() { # backend-key -> config with prevResult (containerd's first DEL carries both)
  printf '{"cniVersion":"1.0.0","name":"bench","type":"portmap","capabilities":{"portMappings":true}%s,"runtimeConfig":%s,"prevResult":%s}' \
    "$1" "$pm" "$prev"
}
conf "" > "$tmp/go.json"
conf ',"backend":"iptables"' > "$tmp/iptables.json"
conf ',"backend":"nftables"' > "$tmp/nftables.json"
export CNI_NETNS=/run/netns/$pod CNI_IFNAME=eth0 CNI_PATH=${GO_CNI:-/usr/lib/cni}

# one CMD ID PLUGIN CONF OUTFILE: appends "wall_us cpu_us" of one call; fails loudly if the call fails.
one() {
  local TIMEFORMAT='%3R %3U %3S' t
  t=$( { time CNI_COMMAND=$1 CNI_CONTAINERID=$2 ip netns exec "$node" "$3" < "$4" > "$tmp/out" 2>&1; } 2>&1 ) || {
    echo "$3 $1 failed: $(cat "$tmp/out")" >&2; exit 1; }
  awk '{ printf "%d %d\n", $1 * 1000000, ($2 + $3) * 1000000 }' <<< "$t" >> "$5"
}
stats() { # file -> "median max cpu-median" in ms; sets $med (µs)
  local walls cpus
  walls=($(cut -d' ' -f1 "$1" | sort -n)); cpus=($(cut -d' ' -f2 "$1" | sort -n))
  med=${walls[$(( ${#walls[@]} / 2 ))]}
  printf '%8s %8s %8s' "$(ms "$med")" "$(ms "${walls[$(( ${#walls[@]} - 1 ))]}")" "$(ms "${cpus[$(( ${#cpus[@]} / 2 ))]}")"
}
ms() { awk -v a="$1" 'BEGIN { printf "%.1f", a / 1000 }'; }
ratio() { awk -v a="$1" -v b="$2" 'BEGIN { printf "%.2f", a / b }'; }

# warm-up (page cache, class-data archive, iptables-nft tables created once)
for b in iptables nftables; do one ADD warm "$ours" "$tmp/$b.json" /dev/null; one DEL warm "$ours" "$tmp/$b.json" /dev/null; done
[ $have_go = 1 ] && { one ADD warm "$go" "$tmp/go.json" /dev/null; one DEL warm "$go" "$tmp/go.json" /dev/null; }

for ((i = 0; i < N; i++)); do
  for b in iptables nftables; do
    one ADD "b$i" "$ours" "$tmp/$b.json" "$tmp/ours-$b-add"
    one DEL "b$i" "$ours" "$tmp/$b.json" "$tmp/ours-$b-del"
  done
  if [ $have_go = 1 ]; then
    one ADD "g$i" "$go" "$tmp/go.json" "$tmp/go-add"
    one DEL "g$i" "$go" "$tmp/go.json" "$tmp/go-del"
  fi
done

echo "portmap benchmark: $N pods, one port mapping, per call incl. 'ip netns exec', ms ($(nproc) cores, $(uname -r), load average$(uptime | sed 's/.*load average//'))"
printf '%-34s %8s %8s %8s %10s\n' "case" "median" "max" "cpu" "ours/Go"
declare -A gomed
if [ $have_go = 1 ]; then
  for v in add del; do
    printf '%-34s %s\n' "Go portmap v1.1.1 ${v^^} (iptables)" "$(stats "$tmp/go-$v")"; stats "$tmp/go-$v" > /dev/null; gomed[$v]=$med
  done
fi
for b in iptables nftables; do
  for v in add del; do
    line=$(stats "$tmp/ours-$b-$v"); stats "$tmp/ours-$b-$v" > /dev/null
    r=-; [ $have_go = 1 ] && r=$(ratio "$med" "${gomed[$v]}")
    printf '%-34s %s %10s\n' "jcni portmap ${v^^} ($b)" "$line" "$r"
  done
done
