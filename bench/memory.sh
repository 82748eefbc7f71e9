#!/usr/bin/env bash
# Peak RSS of one ADD call per plugin, direct path (the dist/target/jcni/bin launchers: one fresh JVM per call), against the
# Go reference plugins in the same run, printed as a ratio. Each implementation gets its own throwaway node
# namespace ({jrl-mn-...}) and pods; every ADD is followed by its DEL (not measured). Peak RSS is /usr/bin/time's
# %M (ru_maxrss of the call, helpers such as nft included). Go has no vxlan plugin: that row has no ratio.
# Usage: bench/memory.sh [calls-per-plugin]   (root; build first: mvn -q -pl dist -am package -DskipTests)
set -euo pipefail
cd "$(dirname "$0")/.."
N=${1:-5}
GO_DIR=${GO_CNI_DIR:-/usr/lib/cni}
JBIN=${JCNI_BIN:-dist/target/jcni/bin}
[ "$(id -u)" = 0 ] || { echo "needs root (creates network namespaces)"; exit 1; }
[ -x "$JBIN/bridge" ] || { echo "no $JBIN/bridge: run mvn -q -pl dist -am package -DskipTests"; exit 1; }
[ -x "$GO_DIR/bridge" ] || { echo "no Go plugins in $GO_DIR"; exit 1; }

tag=$(printf '%04x' $((RANDOM)))
work=$(mktemp -d /tmp/jrl-mem-XXXX)
nodes=("jrl-mn-j$tag" "jrl-mn-g$tag")
pods=()
cleanup() {
  for p in "${pods[@]}"; do ip netns del "$p" 2>/dev/null || true; done
  for n in "${nodes[@]}"; do ip netns del "$n" 2>/dev/null || true; done
  rm -rf "$work"
}
trap cleanup EXIT
for n in "${nodes[@]}"; do
  ip netns add "$n"; ip netns exec "$n" ip link set lo up
  # an underlay for vxlan (a veth whose peer stays in the node)
  ip -n "$n" link add eth0 type veth peer name jrlmu0; ip -n "$n" addr add 192.168.240.1/24 dev eth0
  ip -n "$n" link set eth0 up; ip -n "$n" link set jrlmu0 up
done
echo '[{"underlayIP":"192.168.240.1","podSubnet":"10.241.1.0/24"},{"underlayIP":"192.168.240.2","podSubnet":"10.241.2.0/24"}]' \
  > "$work/peers.json"
prev='{"cniVersion":"1.0.0","interfaces":[{"name":"eth0","sandbox":"/run/netns/x"}],"ips":[{"interface":0,"address":"10.241.1.5/24","gateway":"10.241.1.1"}]}'

conf() { # $1 = type, $2 = impl (dataDir)
  local ipam="\"ipam\":{\"type\":\"host-local\",\"subnet\":\"10.240.0.0/16\",\"dataDir\":\"$work/$2-ipam\"}"
  case $1 in
    bridge) echo "{\"cniVersion\":\"1.0.0\",\"name\":\"memnet\",\"type\":\"bridge\",\"bridge\":\"jrlm0\",\"isGateway\":true,\"ipMasq\":true,$ipam}" ;;
    ptp) echo "{\"cniVersion\":\"1.0.0\",\"name\":\"memnet\",\"type\":\"ptp\",\"ipMasq\":true,$ipam}" ;;
    host-local) echo "{\"cniVersion\":\"1.0.0\",\"name\":\"memnet\",\"type\":\"host-local\",$ipam}" ;;
    loopback) echo '{"cniVersion":"1.0.0","name":"lo","type":"loopback"}' ;;
    portmap) echo "{\"cniVersion\":\"1.0.0\",\"name\":\"memnet\",\"type\":\"portmap\",\"runtimeConfig\":{\"portMappings\":[{\"hostPort\":18081,\"containerPort\":80,\"protocol\":\"tcp\"}]},\"prevResult\":$prev}" ;;
    vxlan) echo "{\"cniVersion\":\"1.0.0\",\"name\":\"memvx\",\"type\":\"vxlan\",\"underlayInterface\":\"eth0\",\"nodeSubnet\":\"10.241.1.0/24\",\"peersFile\":\"$work/peers.json\",\"prevResult\":$prev}" ;;
  esac
}

# call IMPL TYPE VERB POD IFNAME -> peak RSS in KiB on stdout
call() {
  local impl=$1 type=$2 verb=$3 pod=$4 ifn=$5 node bin path
  if [ "$impl" = j ]; then node=${nodes[0]}; bin=$JBIN/$type; path=$JBIN
  else node=${nodes[1]}; bin=$GO_DIR/$type; path=$GO_DIR; fi
  conf "$type" "$impl" > "$work/conf.json"
  if ! ip netns exec "$node" env CNI_COMMAND="$verb" CNI_CONTAINERID="$pod" CNI_NETNS="/run/netns/$pod" \
      CNI_IFNAME="$ifn" CNI_PATH="$path" /usr/bin/time -f "%M" -o "$work/time" "$bin" <"$work/conf.json" \
      >"$work/out" 2>"$work/err"; then
    echo "$impl $type $verb $pod failed: $(cat "$work/out" "$work/err")" >&2; exit 1
  fi
  cat "$work/time"
}

med() { printf '%s\n' "$@" | sort -n | awk '{a[NR]=$1} END {print (NR%2)?a[(NR+1)/2]:(a[NR/2]+a[NR/2+1])/2}'; }
ratio() { awk -v a="$1" -v b="$2" 'BEGIN{ if (b > 0) printf "%.1fx", a/b; else print "n/a" }'; }

echo "peak RSS of one ADD call, direct path (fresh JVM per call), median of $N calls per plugin;" \
  "load average: $(cut -d' ' -f1-3 /proc/loadavg)"
printf '%-11s %12s %12s %7s\n' plugin "jcni KiB" "go KiB" ratio
for type in bridge ptp host-local portmap loopback vxlan; do
  declare -a js=() gs=()
  for i in $(seq 1 "$N"); do
    for impl in j g; do
      [ "$impl" = g ] && [ ! -x "$GO_DIR/$type" ] && continue
      pod="jrl-mp-$impl$tag-$type-$i"; pods+=("$pod"); ip netns add "$pod"
      ifn=eth0; [ "$type" = loopback ] && ifn=lo
      rss=$(call "$impl" "$type" ADD "$pod" "$ifn")
      if [ "$impl" = j ]; then js+=("$rss"); else gs+=("$rss"); fi
      call "$impl" "$type" DEL "$pod" "$ifn" >/dev/null
      ip netns del "$pod"
    done
  done
  jm=$(med "${js[@]}")
  if [ "${#gs[@]}" -gt 0 ]; then gm=$(med "${gs[@]}"); else gm=0; fi
  printf '%-11s %12s %12s %7s\n' "$type" "$jm" "$([ "$gm" = 0 ] && echo - || echo "$gm")" "$(ratio "$jm" "$gm")"
done
