#!/usr/bin/env bash
# ADD and DEL latency per pod of bridge + host-local: jcni vs the Go reference plugins, same config, same run.
# Each implementation gets its own throwaway node namespace (the plugin's "host"); pods are namespaces too.
# Prints per verb the median wall time and the median CPU time (user+sys, which a loaded machine distorts much
# less than wall time), the jcni/Go ratios, the load average, and the peak RSS of one ADD call.
# Usage: bench/bridge.sh [pods]   (root; build first: mvn -q -pl dist -am package -DskipTests)
set -euo pipefail
# the JVM-per-call path (dist/target/jcni/bin/<type> is the shim: never let a running jcni daemon serve these; see resident.sh)
export JCNI_DIRECT=1
cd "$(dirname "$0")/.."
N=${1:-20}
GO_DIR=${GO_CNI_DIR:-/usr/lib/cni}
JBIN=${JCNI_BIN:-dist/target/jcni/bin}
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

# call IMPL VERB POD -> "wall_ms cpu_ms maxrss_kib" on stdout; plugin output in $work/out
call() {
  local impl=$1 verb=$2 pod=$3 node bin cfg path
  if [ "$impl" = j ]; then node=${nodes[0]}; bin=$JBIN/bridge; cfg=$work/j.json; path=$JBIN
  else node=${nodes[1]}; bin=$GO_DIR/bridge; cfg=$work/g.json; path=$GO_DIR; fi
  if ! ip netns exec "$node" env CNI_COMMAND="$verb" CNI_CONTAINERID="$pod" CNI_NETNS="/run/netns/$pod" \
      CNI_IFNAME=eth0 CNI_PATH="$path" /usr/bin/time -f "%e %U %S %M" -o "$work/time" "$bin" <"$cfg" \
      >"$work/out" 2>"$work/err"; then
    echo "$impl $verb $pod failed: $(cat "$work/out" "$work/err")" >&2; exit 1
  fi
  awk '{printf "%d %d %d\n", $1*1000, ($2+$3)*1000, $4}' "$work/time"
}

declare -a jadd jdel gadd gdel jaddc jdelc gaddc gdelc
jrss=0; grss=0
for i in $(seq 1 "$N"); do
  for impl in j g; do
    pod="jbr-bp-$impl$tag-$i"; pods+=("$pod"); ip netns add "$pod"
    read -r ms cpu rss <<<"$(call "$impl" ADD "$pod")"
    if [ "$impl" = j ]; then jadd+=("$ms"); jaddc+=("$cpu"); [ "$rss" -gt "$jrss" ] && jrss=$rss
    else gadd+=("$ms"); gaddc+=("$cpu"); [ "$rss" -gt "$grss" ] && grss=$rss; fi
  done
done
for i in $(seq 1 "$N"); do
  for impl in j g; do
    pod="jbr-bp-$impl$tag-$i"
    read -r ms cpu rss <<<"$(call "$impl" DEL "$pod")"
    if [ "$impl" = j ]; then jdel+=("$ms"); jdelc+=("$cpu"); else gdel+=("$ms"); gdelc+=("$cpu"); fi
  done
done

med() { printf '%s\n' "$@" | sort -n | awk '{a[NR]=$1} END {print (NR%2)?a[(NR+1)/2]:(a[NR/2]+a[NR/2+1])/2}'; }
ratio() { awk -v a="$1" -v b="$2" 'BEGIN{ if (b > 0) printf "%.1fx", a/b; else print "n/a" }'; }
jam=$(med "${jadd[@]}"); gam=$(med "${gadd[@]}"); jdm=$(med "${jdel[@]}"); gdm=$(med "${gdel[@]}")
jac=$(med "${jaddc[@]}"); gac=$(med "${gaddc[@]}"); jdc=$(med "${jdelc[@]}"); gdc=$(med "${gdelc[@]}")

# floor: the same JVM + netlink start-up doing almost nothing (jcni loopback ADD), to separate start-up from work
declare -a lcpu lwall
lpod="jbr-bp-l$tag"; pods+=("$lpod"); ip netns add "$lpod"
echo '{"cniVersion":"1.0.0","name":"lo","type":"loopback"}' > "$work/lo.json"
for i in $(seq 1 "$N"); do
  ip netns exec "${nodes[0]}" env CNI_COMMAND=ADD CNI_CONTAINERID="l$i" CNI_NETNS="/run/netns/$lpod" CNI_IFNAME=lo \
    CNI_PATH="$JBIN" /usr/bin/time -f "%e %U %S" -o "$work/time" "$JBIN/loopback" <"$work/lo.json" >/dev/null 2>&1
  read -r w c <<<"$(awk '{printf "%d %d", $1*1000, ($2+$3)*1000}' "$work/time")"
  lwall+=("$w"); lcpu+=("$c")
done

echo "bridge + host-local, $N pods each, ipMasq on, same config; load average: $(cut -d' ' -f1-3 /proc/loadavg)"
printf '%-4s %10s %10s %7s   %10s %10s %7s\n' verb "jcni wall" "go wall" ratio "jcni cpu" "go cpu" ratio
printf '%-4s %8sms %8sms %7s   %8sms %8sms %7s\n' ADD "$jam" "$gam" "$(ratio "$jam" "$gam")" "$jac" "$gac" "$(ratio "$jac" "$gac")"
printf '%-4s %8sms %8sms %7s   %8sms %8sms %7s\n' DEL "$jdm" "$gdm" "$(ratio "$jdm" "$gdm")" "$jdc" "$gdc" "$(ratio "$jdc" "$gdc")"
printf '%-4s %8sms %10s %7s   %8sms\n' "floor" "$(med "${lwall[@]}")" "" "" "$(med "${lcpu[@]}")"
echo "(floor = jcni loopback ADD: JVM + netlink start-up with almost no work; /usr/bin/time CPU has 10 ms steps)"
echo "peak RSS of one ADD call (max over the run): jcni ${jrss} KiB, go ${grss} KiB ($(ratio "$jrss" "$grss"))"
