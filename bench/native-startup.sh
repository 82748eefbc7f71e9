#!/usr/bin/env bash
# Whole-process cost of the plugin calls that reach native code, per libc backend of cni-system
# (-Djcni.native=jffi|jnr|ffm), on JDK 17 and JDK 25, against Go's reference plugins in the same run:
#   (a) host-local ADD + DEL pairs (two processes; flock + files) in a temporary dataDir,
#   (b) loopback ADD (opens the namespace and a netlink socket in it) in a throwaway network namespace.
# Every call goes through dist/target/jcni/bin/<type> exactly as a runtime calls it (with the dist's class-data archives,
# which are trained with the default backend). CPU is user+sys of the whole process (bash `time`), the steadier
# figure on a loaded machine; wall is what a runtime waits for. Medians over N runs. Needs root (namespace).
#
#   mvn -q package -DskipTests && sudo bash bench/native-startup.sh
#   N=40 bash bench/native-startup.sh
#   BASE_DIST=/path/to/older/dist bash bench/native-startup.sh   # also rows for another build's launchers
#   JFFI_EXTRACT=1 ...   also jffi with its library unpacked per start (no jffi.boot.library.path)
set -euo pipefail
# the JVM-per-call path (dist/target/jcni/bin/<type> is the shim: never let a running jcni daemon serve these; see resident.sh)
export JCNI_DIRECT=1
N=${N:-20}
root=$(cd "$(dirname "$0")/.." && pwd)
bin=$root/dist/target/jcni/bin
jdk17=${JDK17:-/usr/lib/jvm/java-17-openjdk-amd64}
jdk25=${JDK25:-/usr/lib/jvm/temurin-25-jdk-amd64}
go=${GO_CNI:-/usr/lib/cni}
[ -x "$bin/host-local" ] && [ -x "$bin/loopback" ] || { echo "no $bin/host-local: run 'mvn -q package -DskipTests'" >&2; exit 1; }
[ "$(id -u)" = 0 ] || { echo "needs root: the loopback case runs in a throwaway network namespace" >&2; exit 1; }

tmp=$(mktemp -d)
ns=jcni-nbench-$$
ip netns add "$ns"
trap 'ip netns del "$ns" 2>/dev/null || true; rm -rf "$tmp"' EXIT
printf '{"cniVersion":"0.3.1","name":"lo","type":"loopback"}' > "$tmp/lo.json"
printf '{"cniVersion":"1.0.0","name":"bench","type":"host-local","ipam":{"type":"host-local","subnet":"10.252.0.0/16","dataDir":"%s"}}' \
  "$tmp/data" > "$tmp/hl.json"
export CNI_NETNS=/run/netns/$ns CNI_PATH=$bin

ms() { awk -v a="$1" 'BEGIN { printf "%.1f", a / 1000 }'; }
ratio() { awk -v a="$1" -v b="$2" 'BEGIN { if (b > 0) printf "%.1fx", a / b; else print "-" }'; }
med() { sort -n | awk '{ v[NR] = $1 } END { print v[int(NR / 2) + 1] }'; }

# series KIND LABEL CMD... : N runs of one call (KIND=lo) or one ADD+DEL pair (KIND=hl); sets cpu/wall (µs)
series() {
  local kind=$1 label=$2; shift 2
  local tf=$tmp/times i TIMEFORMAT='%3R %3U %3S'
  : > "$tf"
  run_once "$kind" 0 "$@" > /dev/null 2>&1 || true  # warm the page cache
  for ((i = 1; i <= N; i++)); do
    { time run_once "$kind" "$i" "$@" > /dev/null 2>"$tmp/err"; } 2>> "$tf" \
      || { echo "FAILED: $label: $(cat "$tmp/err")" >&2; exit 1; }
  done
  wall=$(awk '{ printf "%d\n", $1 * 1000000 }' "$tf" | med)
  cpu=$(awk '{ printf "%d\n", ($2 + $3) * 1000000 }' "$tf" | med)
}
run_once() {
  local kind=$1 i=$2; shift 2
  if [ "$kind" = hl ]; then
    CNI_COMMAND=ADD CNI_CONTAINERID=c$i CNI_IFNAME=eth0 "$@" < "$tmp/hl.json" | grep -q '"ips"'
    CNI_COMMAND=DEL CNI_CONTAINERID=c$i CNI_IFNAME=eth0 "$@" < "$tmp/hl.json"
  else
    CNI_COMMAND=ADD CNI_CONTAINERID=lo$i CNI_IFNAME=lo "$@" < "$tmp/lo.json" | grep -q '127.0.0.1/8'
  fi
}

echo "jcni native start-up benchmark: $N runs each, whole process ($(nproc) cores, $(uname -r), load average$(uptime | sed 's/.*load average//'))"
printf '%-44s %10s %10s %9s %9s\n' "case" "cpu ms" "wall ms" "cpu/Go" "wall/Go"
declare -A gocpu gowall
for kind in hl lo; do
  prog=$([ "$kind" = hl ] && echo host-local || echo loopback)
  what=$([ "$kind" = hl ] && echo "host-local ADD+DEL pair" || echo "loopback ADD")
  echo "--- $what"
  if [ -x "$go/$prog" ]; then
    series "$kind" "Go" "$go/$prog"
    gocpu[$kind]=$cpu gowall[$kind]=$wall
    printf '%-44s %10s %10s\n' "Go $prog (v1.1.1)" "$(ms "$cpu")" "$(ms "$wall")"
  else
    gocpu[$kind]=0 gowall[$kind]=0
  fi
  for jdk in "$jdk17" "$jdk25"; do
    [ -x "$jdk/bin/java" ] || continue
    major=$(sed -n 's/^JAVA_VERSION="\([0-9]*\).*/\1/p' "$jdk/release")
    backends="jffi jnr"
    [ "$major" -ge 22 ] && backends="jffi jnr ffm"
    for b in $backends; do
      JCNI_JAVA_HOME=$jdk JCNI_JAVA_OPTS="-Djcni.native=$b" series "$kind" "$b" "$bin/$prog"
      printf '%-44s %10s %10s %9s %9s\n' "JDK $major $b" "$(ms "$cpu")" "$(ms "$wall")" \
        "$(ratio "$cpu" "${gocpu[$kind]}")" "$(ratio "$wall" "${gowall[$kind]}")"
    done
    if [ -n "${JFFI_EXTRACT:-}" ]; then
      # a later -D wins: an empty boot path makes jffi unpack its library to a temp file, as without the dist's copy
      mkdir -p "$tmp/empty"
      JCNI_JAVA_HOME=$jdk JCNI_JAVA_OPTS="-Djcni.native=jffi -Djffi.boot.library.path=$tmp/empty" series "$kind" x "$bin/$prog"
      printf '%-44s %10s %10s %9s %9s\n' "JDK $major jffi, library unpacked per start" "$(ms "$cpu")" "$(ms "$wall")" \
        "$(ratio "$cpu" "${gocpu[$kind]}")" "$(ratio "$wall" "${gowall[$kind]}")"
    fi
    if [ -n "${BASE_DIST:-}" ] && [ -x "$BASE_DIST/bin/$prog" ]; then
      JCNI_JAVA_HOME=$jdk series "$kind" base "$BASE_DIST/bin/$prog"
      printf '%-44s %10s %10s %9s %9s\n' "JDK $major BASE_DIST (its default)" "$(ms "$cpu")" "$(ms "$wall")" \
        "$(ratio "$cpu" "${gocpu[$kind]}")" "$(ratio "$wall" "${gowall[$kind]}")"
    fi
  done
done
