#!/usr/bin/env bash
# ADD and DEL latency per pod of bridge + host-local: jcni vs the Go reference plugins, same config, same run.
# Each implementation gets its own throwaway node namespace (the plugin's "host"); pods are namespaces too.
# Prints the median (and p90) per verb, the jcni/Go ratio, and the peak RSS of one ADD call.
# Usage: bench/bridge.sh [pods]   (root; build first: mvn -q -pl dist -am package -DskipTests)
set -euo pipefail
cd "$(dirname "$0")/.."
N=${1:-20}
GO_DIR=${GO_CNI_DIR:-/usr/lib/cni}
JBIN=${JCNI_BIN:-dist/bin}
[ "$(id -u)" = 0 ] || { echo "needs root (creates network namespaces)"; exit 1; }
[ -x "$JBIN/bridge" ] || { echo "no $JBIN/bridge: run mvn -q -pl dist -am package -DskipTests"; exit 1; }
[ -x "$GO_DIR/bridge" ] || { echo "no Go plugins in $GO_DIR"; exit 1; }

tag=$(printf '%04x' $((RANDOM)))
work=$(mktemp -d /tmp/jbr-bench-XXXX)
nodes=("jbr-bn-j$tag" "jbr-bn-g$tag")
pods=()
cleanup() {
  for p in "${pods[@]}"; do ip netns del "$p" 2>/dev/null || true; done
  for n in "${nodes[@]}"; do ip netns del "$n" 2>/dev/null || true; done
  rm -rf "$work"
}
trap cleanup EXIT
for n in "${nodes[@]}"; do ip netns add "$n"; ip netns exec "$n" ip link set lo up; done

conf() { # $1 = dataDir
  cat <<JSON
{"cniVersion":"1.0.0","name":"benchnet","type":"bridge","bridge":"cni-bench","isGateway":true,"ipMasq":true,
 "ipam":{"type":"host-local","subnet":"10.201.0.0/16","dataDir":"$1","routes":[{"dst":"0.0.0.0/0"}]}}
JSON
}
conf "$work/j-ipam" > "$work/j.json"
conf "$work/g-ipam" > "$work/g.json"

now() { date +%s%N; }
# call IMPL VERB POD -> elapsed ms on stdout; plugin output to $work/out
call() {
  local impl=$1 verb=$2 pod=$3 node bin cfg path
  if [ "$impl" = j ]; then node=${nodes[0]}; bin=$JBIN/bridge; cfg=$work/j.json; path=$JBIN
  else node=${nodes[1]}; bin=$GO_DIR/bridge; cfg=$work/g.json; path=$GO_DIR; fi
  local t0 t1
  t0=$(now)
  if ! ip netns exec "$node" env CNI_COMMAND="$verb" CNI_CONTAINERID="$pod" CNI_NETNS="/run/netns/$pod" \
      CNI_IFNAME=eth0 CNI_PATH="$path" "$bin" <"$cfg" >"$work/out" 2>"$work/err"; then
    echo "$impl $verb $pod failed: $(cat "$work/out" "$work/err")" >&2; exit 1
  fi
  t1=$(now)
  echo $(( (t1 - t0) / 1000000 ))
}

declare -a jadd jdel gadd gdel
for i in $(seq 1 "$N"); do
  for impl in j g; do
    pod="jbr-bp-$impl$tag-$i"; pods+=("$pod"); ip netns add "$pod"
    ms=$(call "$impl" ADD "$pod")
    if [ "$impl" = j ]; then jadd+=("$ms"); else gadd+=("$ms"); fi
  done
done
for i in $(seq 1 "$N"); do
  for impl in j g; do
    pod="jbr-bp-$impl$tag-$i"
    ms=$(call "$impl" DEL "$pod")
    if [ "$impl" = j ]; then jdel+=("$ms"); else gdel+=("$ms"); fi
  done
done

stat() { # prints median p90
  printf '%s\n' "$@" | sort -n | awk '{a[NR]=$1} END {m=(NR%2)?a[(NR+1)/2]:(a[NR/2]+a[NR/2+1])/2; p=a[int(NR*0.9+0.999)]; printf "%s %s", m, p}'
}
read -r jam jap <<<"$(stat "${jadd[@]}")"; read -r gam gap <<<"$(stat "${gadd[@]}")"
read -r jdm jdp <<<"$(stat "${jdel[@]}")"; read -r gdm gdp <<<"$(stat "${gdel[@]}")"

# peak RSS of one ADD (+DEL) call per implementation, pod outside the timing loop
rss() { # impl
  local impl=$1 pod="jbr-bp-r$1$tag" node bin cfg path
  pods+=("$pod"); ip netns add "$pod"
  if [ "$impl" = j ]; then node=${nodes[0]}; bin=$JBIN/bridge; cfg=$work/j.json; path=$JBIN
  else node=${nodes[1]}; bin=$GO_DIR/bridge; cfg=$work/g.json; path=$GO_DIR; fi
  ip netns exec "$node" env CNI_COMMAND=ADD CNI_CONTAINERID="$pod" CNI_NETNS="/run/netns/$pod" CNI_IFNAME=eth0 \
    CNI_PATH="$path" /usr/bin/time -v "$bin" <"$cfg" 2>&1 >/dev/null | awk -F: '/Maximum resident/ {gsub(/ /,"",$2); print $2}'
  ip netns exec "$node" env CNI_COMMAND=DEL CNI_CONTAINERID="$pod" CNI_NETNS="/run/netns/$pod" CNI_IFNAME=eth0 \
    CNI_PATH="$path" "$bin" <"$cfg" >/dev/null 2>&1 || true
}
jr=$(rss j); gr=$(rss g)

echo "bridge + host-local, $N pods, ipMasq on, same config (median / p90 ms)"
printf '%-6s %12s %12s %8s\n' verb jcni go ratio
printf '%-6s %12s %12s %8s\n' ADD "$jam / $jap" "$gam / $gap" "$(awk -v a="$jam" -v b="$gam" 'BEGIN{printf "%.1fx", a/b}')"
printf '%-6s %12s %12s %8s\n' DEL "$jdm / $jdp" "$gdm / $gdp" "$(awk -v a="$jdm" -v b="$gdm" 'BEGIN{printf "%.1fx", a/b}')"
echo "peak RSS of one ADD call: jcni ${jr} KiB, go ${gr} KiB ($(awk -v a="$jr" -v b="$gr" 'BEGIN{printf "%.1fx", a/b}'))"
