#!/usr/bin/env bash
# bandwidth ADD and DEL per pod, shaping both directions (tbf on the host veth; ifb + ingress qdisc + u32/mirred
# filter + tbf for egress): jcni's bandwidth (dist/target/jcni/bin/bandwidth, a fresh JVM per call) vs Go's bandwidth v1.1.1
# (/usr/lib/cni/bandwidth) in the same run, interleaved call by call so both see the same machine load. Every call
# runs inside a throwaway NODE namespace (`ip netns exec`, included in every figure) next to a pod namespace wired
# by a veth pair; the machine's own namespace is never touched.
# Reported: median and max wall time, median CPU time, the ratio ours/Go of the wall medians; then the tc
# programming time alone: from the first RTM_NEWQDISC request to the last netlink reply of an ADD (ingress tbf,
# ifb link, ingress qdisc, filter, ifb tbf and the lookups between them), read from `strace -f -ttt` of both
# plugins (`--seccomp-bpf`: only the traced network syscalls stop the process, so the JVM's other syscalls are
# not slowed; each traced one still costs a round trip to strace, in both plugins alike).
# When a JDK 25 is present, ours is also measured on it (the launcher then uses the AOT cache made at package time).
#
#   mvn -q -pl dist -am package -DskipTests && sudo bash bench/bandwidth.sh     (N=50 / M=10 for more runs)
set -euo pipefail
. "$(dirname "$0")/lib.sh"
N=${N:-20}
M=${M:-5}
root=$(cd "$(dirname "$0")/.." && pwd)
ours=$root/dist/target/jcni/bin/bandwidth
godir=${GO_CNI:-/usr/lib/cni}
go=$godir/bandwidth
jdk25=${JDK25:-/usr/lib/jvm/temurin-25-jdk-amd64}
[ "$(id -u)" = 0 ] || { echo "needs root (creates network namespaces)" >&2; exit 1; }
[ -x "$ours" ] || { echo "no $ours: run 'mvn -q -pl dist -am package -DskipTests' first" >&2; exit 1; }
have_go=0; [ -x "$go" ] && have_go=1
have_25=0; [ -x "$jdk25/bin/java" ] && have_25=1
have_strace=0; command -v strace > /dev/null && have_strace=1
javas=(default); [ $have_25 = 1 ] && javas+=(jdk25)

r=$RANDOM
node=jbw-bn-$r pod=jbw-bp-$r
tmp=$(mktemp -d)
cleanup() {
  for ns in "$node" "$pod"; do ip netns del "$ns" 2>/dev/null || true; done
  rm -rf "$tmp"
}
trap cleanup EXIT
ip netns add "$node"; ip netns add "$pod"
ip -n "$node" link set lo up; ip -n "$pod" link set lo up
ip link add jbwh0 netns "$node" type veth peer name eth0 netns "$pod"
ip -n "$node" addr add 10.98.0.1/24 dev jbwh0; ip -n "$node" link set jbwh0 up
ip -n "$pod" addr add 10.98.0.2/24 dev eth0; ip -n "$pod" link set eth0 up

prev='{"cniVersion":"1.0.0","interfaces":[{"name":"jbwh0"},{"name":"eth0","sandbox":"/run/netns/'$pod'"}],"ips":[{"interface":1,"address":"10.98.0.2/24","gateway":"10.98.0.1"}]}'
bw='{"ingressRate":10000000,"ingressBurst":100000,"egressRate":10000000,"egressBurst":100000}'
printf '{"cniVersion":"1.0.0","name":"bench","type":"bandwidth","capabilities":{"bandwidth":true},"runtimeConfig":{"bandwidth":%s},"prevResult":%s}' \
  "$bw" "$prev" > "$tmp/conf.json"

# call CMD ID PLUGIN [JAVA] [WRAPPER...]: one plugin call in the node with the config on stdin
call() {
  local cmd=$1 id=$2 exe=$3 j=${4:-default} jh=; shift 4 || shift $#
  [ "$j" = jdk25 ] && jh=$jdk25
  CNI_COMMAND=$cmd CNI_CONTAINERID=$id CNI_NETNS=/run/netns/$pod CNI_IFNAME=eth0 CNI_PATH=$godir \
    JCNI_JAVA_HOME=${jh:-${JAVA_HOME:-}} ip netns exec "$node" "$@" "$exe" < "$tmp/conf.json"
}
median() { cut -d' ' -f1 "$1" | sort -n | awk '{ a[NR] = $1 } END { print a[int(NR / 2) + 1] }'; }
ms() { awk -v a="$1" 'BEGIN { printf "%.1f", a / 1000 }'; }
ratio() { awk -v a="$1" -v b="$2" 'BEGIN { printf "%.2f", a / b }'; }
row() { # label file [go-file]
  local r=-; [ -n "${3:-}" ] && [ -s "${3:-}" ] && r=$(ratio "$(median "$2")" "$(median "$3")")
  printf '%-44s %s %8s\n' "$1" "$(stats "$2")" "$r"
}
# shaped?: the ADD really programmed both directions (a bench of a no-op would be meaningless)
verify() {
  local q l
  q=$(tc -n "$node" qdisc show dev jbwh0); l=$(ip -n "$node" -o link show type ifb)
  [[ $q == *"qdisc tbf"* ]] || { echo "ADD by $1 left no tbf" >&2; exit 1; }
  [[ $l == *bwp* ]] || { echo "ADD by $1 left no ifb" >&2; exit 1; }
}
# DEL leaves the host veth's qdiscs with Go (its DEL only removes the ifb): clear them so every ADD starts clean
reset() { tc -n "$node" qdisc del dev jbwh0 root 2>/dev/null || true; tc -n "$node" qdisc del dev jbwh0 ingress 2>/dev/null || true; }

for j in "${javas[@]}"; do call ADD warm "$ours" "$j" > /dev/null; call DEL warm "$ours" "$j" > /dev/null; reset; done
[ $have_go = 1 ] && { call ADD warm "$go" > /dev/null; call DEL warm "$go" > /dev/null; reset; }

for ((i = 0; i < N; i++)); do
  for j in "${javas[@]}"; do
    timed "$tmp/ours-$j-add" call ADD "b$i" "$ours" "$j"; verify jcni
    timed "$tmp/ours-$j-del" call DEL "b$i" "$ours" "$j"; reset
  done
  if [ $have_go = 1 ]; then
    timed "$tmp/go-add" call ADD "g$i" "$go"; verify Go
    timed "$tmp/go-del" call DEL "g$i" "$go"; reset
  fi
done

# ---- tc programming time from strace timestamps (microseconds)
tcwindow() { # strace file -> us from the first RTM_NEWQDISC request to the last netlink syscall
  awk '/RTM_NEWQDISC/ && !s { s = $2 } /(sendto|recvfrom|sendmsg|recvmsg)\(|resumed>/ { if ($0 ~ /NETLINK|nlmsg|resumed/) e = $2 }
       END { if (!s) exit 1; printf "%d 0\n", (e - s) * 1000000 }' "$1"
}
if [ $have_strace = 1 ]; then
  for ((i = 0; i < M; i++)); do
    for j in "${javas[@]}"; do
      call ADD "s$i" "$ours" "$j" strace -f --seccomp-bpf -ttt -e trace=%network -o "$tmp/st" > /dev/null; verify jcni
      tcwindow "$tmp/st" >> "$tmp/tc-ours-$j"; call DEL "s$i" "$ours" "$j" > /dev/null; reset
    done
    if [ $have_go = 1 ]; then
      call ADD "t$i" "$go" default strace -f --seccomp-bpf -ttt -e trace=%network -o "$tmp/st" > /dev/null; verify Go
      tcwindow "$tmp/st" >> "$tmp/tc-go"; call DEL "t$i" "$go" > /dev/null; reset
    fi
  done
fi

echo "bandwidth benchmark: $N pods, ingress+egress shaping, per call incl. 'ip netns exec', ms ($(nproc) cores, $(uname -r), load average$(uptime | sed 's/.*load average//'))"
printf '%-44s %8s %8s %8s %8s\n' "case" "median" "max" "cpu" "ours/Go"
if [ $have_go = 1 ]; then
  row "Go bandwidth v1.1.1 ADD" "$tmp/go-add"
  row "Go bandwidth v1.1.1 DEL" "$tmp/go-del"
fi
for j in "${javas[@]}"; do
  jl=JDK17; [ "$j" = jdk25 ] && jl="JDK25+AOT"
  row "jcni bandwidth ADD ($jl)" "$tmp/ours-$j-add" "$tmp/go-add"
  row "jcni bandwidth DEL ($jl)" "$tmp/ours-$j-del" "$tmp/go-del"
done
if [ $have_strace = 1 ]; then
  echo "tc programming time of an ADD under strace ($M runs; first RTM_NEWQDISC to last netlink reply), ms"
  [ $have_go = 1 ] && row "Go bandwidth v1.1.1 tc programming" "$tmp/tc-go"
  for j in "${javas[@]}"; do
    jl=JDK17; [ "$j" = jdk25 ] && jl="JDK25+AOT"
    row "jcni bandwidth tc programming ($jl)" "$tmp/tc-ours-$j" "$tmp/tc-go"
  done
fi
