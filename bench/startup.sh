#!/usr/bin/env bash
# Whole-process start-up cost of jcni plugin calls, as a runtime sees it (one fresh JVM per call):
# VERSION and ADD of the `debug` plugin through dist/target/jcni/bin/debug, median and max over N runs, on JDK 17 and on
# JDK 25 when present, with and without the class-data archive made at package time, against Go reference
# plugins from /usr/lib/cni in the same run (VERSION of host-local; ADD of `static` IPAM, which like `debug`
# touches nothing). Then what dominates: JVM floor, class counts by source, Jackson's share.
#
#   mvn -q package -DskipTests && bash bench/startup.sh        (N=50 bash bench/startup.sh for more runs)
set -euo pipefail
# the JVM-per-call path (dist/target/jcni/bin/<type> is the shim: never let a running jcni daemon serve these; see resident.sh)
export JCNI_DIRECT=1
N=${N:-20}
root=$(cd "$(dirname "$0")/.." && pwd)
# debug is an example plugin: the test tree (integration-tests/target/jcni) holds it beside the reference plugins
bin=$root/integration-tests/target/jcni/bin
lib=$root/integration-tests/target/jcni/lib
jdk17=${JDK17:-$(dirname "$(dirname "$(readlink -f "$(command -v java)")")")}
jdk25=${JDK25:-/usr/lib/jvm/temurin-25-jdk-amd64}
go=${GO_CNI:-/usr/lib/cni}
[ -x "$bin/debug" ] || { echo "no $bin/debug: run 'mvn -q package -DskipTests' first" >&2; exit 1; }

tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
# the same lib without any class-data archive: the "before" of each archive
mkdir "$tmp/lib-plain"
cp "$lib"/*.jar "$tmp/lib-plain/"

prev='{"cniVersion":"1.0.0","interfaces":[{"name":"eth0","mac":"0a:58:0a:f4:00:05","sandbox":"/var/run/netns/x"}],"ips":[{"address":"10.244.0.5/24","gateway":"10.244.0.1","interface":0}],"routes":[{"dst":"0.0.0.0/0"}],"dns":{"nameservers":["10.96.0.10"]}}'
printf '{"cniVersion":"1.0.0"}' > "$tmp/version.json"
printf '{"cniVersion":"1.0.0","name":"bench","type":"debug","cniOutput":"%s","prevResult":%s}' \
  "$tmp/debug.jsonl" "$prev" > "$tmp/add.json"
printf '{"cniVersion":"1.0.0","name":"bench","type":"static","ipam":{"type":"static","addresses":[{"address":"10.10.0.5/24","gateway":"10.10.0.1"}],"routes":[{"dst":"0.0.0.0/0"}]}}' \
  > "$tmp/static.json"
export CNI_CONTAINERID=bench CNI_NETNS=/dev/null CNI_IFNAME=eth0 CNI_PATH=$bin

# measure LABEL STDIN CMD... -> prints "LABEL median max cpu-median" (ms) and stores the wall median (µs) in $med.
# Wall time is what a runtime waits for; CPU time (user+sys, all threads) is far less disturbed by other load
# on the machine, so both are shown.
measure() {
  local label=$1 in=$2; shift 2
  local tf=$tmp/times i
  : > "$tf"
  "$@" < "$in" > /dev/null 2>&1 || true   # warm the page cache (and let an auto-created archive appear)
  local TIMEFORMAT='%3R %3U %3S'
  for ((i = 0; i < N; i++)); do
    { time "$@" < "$in" > /dev/null 2>&1; } 2>> "$tf" || true
  done
  local walls cpus
  walls=($(awk '{ printf "%d\n", $1 * 1000000 }' "$tf" | sort -n))
  cpus=($(awk '{ printf "%d\n", ($2 + $3) * 1000000 }' "$tf" | sort -n))
  med=${walls[$(( N / 2 ))]}
  printf '%-62s %8s %8s %8s\n' "$label" "$(ms "$med")" "$(ms "${walls[$(( N - 1 ))]}")" \
    "$(ms "${cpus[$(( N / 2 ))]}")"
}
ms() { awk -v a="$1" 'BEGIN { printf "%.1f", a / 1000 }'; }
ratio() { awk -v a="$1" -v b="$2" 'BEGIN { printf "%.1f", a / b }'; }

echo "jcni start-up benchmark: $N runs each, whole process, ms ($(nproc) cores, $(uname -r), load average$(uptime | sed 's/.*load average//'))"
printf '%-62s %8s %8s %8s\n' "case" "median" "max" "cpu"

go_version= go_add=
if [ -x "$go/host-local" ]; then
  CNI_COMMAND=VERSION measure "Go host-local VERSION (v1.1.1)" "$tmp/version.json" "$go/host-local"; go_version=$med
fi
if [ -x "$go/static" ]; then
  CNI_COMMAND=ADD measure "Go static ADD (debug-like: touches nothing)" "$tmp/static.json" "$go/static"; go_add=$med
fi

declare -A res
run_jdk() {
  local name=$1 home=$2
  [ -x "$home/bin/java" ] || { echo "($name: no JDK at $home, skipped)"; return; }
  local rt
  rt=$(sed -n 's/^JAVA_RUNTIME_VERSION="\(.*\)"/\1/p' "$home/release")
  local archive=none
  [ -f "$lib/jcni-$rt.jsa" ] && archive=AppCDS
  [ -f "$lib/jcni-$rt-debug.aot" ] && archive="AOT cache"
  JCNI_JAVA_HOME=$home CNI_COMMAND=VERSION measure "$name jcni debug VERSION (archive: $archive)" "$tmp/version.json" "$bin/debug"
  res[$name-version]=$med
  JCNI_JAVA_HOME=$home CNI_COMMAND=ADD measure "$name jcni debug ADD (archive: $archive)" "$tmp/add.json" "$bin/debug"
  res[$name-add]=$med
  JCNI_JAVA_HOME=$home JCNI_LIB=$tmp/lib-plain CNI_COMMAND=ADD \
    measure "$name jcni debug ADD (no app archive$( [ "$name" = JDK25 ] && echo ', auto CDS'))" "$tmp/add.json" "$bin/debug"
  res[$name-add-plain]=$med
  JCNI_JAVA_HOME=$home JCNI_JAVA_OPTS="-XX:TieredStopAtLevel=4 -XX:-UseSerialGC -XX:+UseG1GC -XX:+UsePerfData" \
    CNI_COMMAND=ADD measure "$name jcni debug ADD (archive, default JIT/GC flags)" "$tmp/add.json" "$bin/debug"
  "$home/bin/java" -version > /dev/null 2>&1
  measure "$name JVM floor (java -XX:TieredStopAtLevel=1 -XX:+UseSerialGC --version)" /dev/null \
    "$home/bin/java" -XX:TieredStopAtLevel=1 -XX:+UseSerialGC -XX:-UsePerfData --version
  res[$name-floor]=$med
}
run_jdk JDK17 "$jdk17"
run_jdk JDK25 "$jdk25"

echo
echo "ratios (median):"
for j in JDK17 JDK25; do
  [ -n "${res[$j-add]:-}" ] || continue
  [ -n "$go_version" ] && echo "  $j VERSION / Go VERSION: $(ratio "${res[$j-version]}" "$go_version")x"
  [ -n "$go_add" ] && echo "  $j ADD / Go static ADD: $(ratio "${res[$j-add]}" "$go_add")x"
  echo "  $j ADD without / with the app archive: $(ratio "${res[$j-add-plain]}" "${res[$j-add]}")x"
  echo "  $j JVM floor share of ADD: $(awk -v a="${res[$j-floor]}" -v b="${res[$j-add]}" 'BEGIN { printf "%d", 100 * a / b }')%"
done
if [ -n "${res[JDK17-add]:-}" ]; then
  echo "  target: JDK 17 median ADD <= 120 ms: $( [ "${res[JDK17-add]}" -le 120000 ] && echo met || echo NOT met)"
fi

echo
echo "what an ADD loads (JDK 17; -Xlog:class+load):"
log=$tmp/classes.log
JCNI_JAVA_OPTS="-Xlog:class+load:file=$log" CNI_COMMAND=ADD "$bin/debug" < "$tmp/add.json" > /dev/null 2>&1 || true
total=$(grep -c 'source:' "$log" || true)
shared=$(grep -c 'source: shared objects file' "$log" || true)
jrt=$(grep -c 'source: jrt:/' "$log" || true)
jars=$(grep -c 'source: .*\.jar' "$log" || true)
jackson=$(grep -c ' com\.fasterxml\.jackson' "$log" || true)
jcni=$(grep -c ' dev\.jcni\.' "$log" || true)
echo "  classes: $total total; $shared from CDS archives, $jrt from the JDK image, $jars from jars"
echo "  of which jcni: $jcni, Jackson: $jackson"
JCNI_JAVA_OPTS="-Xlog:class+load:file=$log" JCNI_LIB=$tmp/lib-plain CNI_COMMAND=ADD "$bin/debug" < "$tmp/add.json" > /dev/null 2>&1 || true
echo "  without the app archive: $(grep -c 'source: shared objects file' "$log" || true) from CDS, $(grep -c 'source: jrt:/' "$log" || true) from the JDK image, $(grep -c 'source: .*\.jar' "$log" || true) from jars"
