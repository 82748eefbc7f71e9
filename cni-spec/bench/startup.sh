#!/usr/bin/env bash
# Startup cost of the cni-spec hot path in a fresh JVM (each CNI call is a new process; design.md §6).
# Prints the median wall time of N runs for: a hello-world JVM, SpecStartup (parse config + prevResult, bind,
# encode result), and a Go reference plugin answering VERSION (if /usr/lib/cni is installed), plus ratios.
# Usage: cni-spec/bench/startup.sh [runs]   (builds cni-spec's classes with Maven first)
set -euo pipefail
RUNS=${1:-20}
HERE=$(cd "$(dirname "$0")" && pwd)
ROOT=$(cd "$HERE/../.." && pwd)
(cd "$ROOT" && mvn -q -o -pl cni-spec compile)
JACKSON=$(ls ~/.m2/repository/com/fasterxml/jackson/core/jackson-core/*/jackson-core-*.jar | grep -v sources | sort -V | tail -1)
WORK=$(mktemp -d)
trap 'rm -rf "$WORK"' EXIT
# jars, not directories: CDS archives only cover classes loaded from jars
jar cf "$WORK/cni-spec.jar" -C "$ROOT/cni-spec/target/classes" .
mkdir "$WORK/bench"
javac -d "$WORK/bench" -cp "$WORK/cni-spec.jar:$JACKSON" "$HERE/SpecStartup.java" "$HERE/Hello.java"
jar cf "$WORK/bench.jar" -C "$WORK/bench" .
CP="$WORK/bench.jar:$WORK/cni-spec.jar:$JACKSON"
JFLAGS=(-XX:TieredStopAtLevel=1 -XX:+UseSerialGC -Xshare:auto)
STDIN='{"cniVersion":"0.4.0","name":"k8s","type":"bridge","bridge":"cni0","mtu":1450,"isGateway":true,
"prevResult":{"cniVersion":"0.4.0","interfaces":[{"name":"cni0","mac":"aa:bb:cc:dd:ee:ff"}],
"ips":[{"version":"4","interface":0,"address":"10.22.0.4/16","gateway":"10.22.0.1"}],
"routes":[{"dst":"0.0.0.0/0"}],"dns":{}}}'

median_ms() { # command... ; stdin from $STDIN; prints median ms
  local t=()
  for _ in $(seq "$RUNS"); do
    local s e
    s=$(date +%s%N)
    printf '%s' "$STDIN" | "$@" >/dev/null 2>&1 || true
    e=$(date +%s%N)
    t+=($(( (e - s) / 1000 )))
  done
  printf '%s\n' "${t[@]}" | sort -n | awk '{a[NR]=$1} END {m=(NR%2)?a[(NR+1)/2]:(a[NR/2]+a[NR/2+1])/2; printf "%.1f", m/1000}'
}

echo "demo output: $(printf '%s' "$STDIN" | java "${JFLAGS[@]}" -cp "$CP" SpecStartup)"
hello=$(median_ms java "${JFLAGS[@]}" -cp "$CP" Hello)
spec=$(median_ms java "${JFLAGS[@]}" -cp "$CP" SpecStartup)
# AppCDS (dynamic archive from one training run), what an install-time archive buys
printf '%s' "$STDIN" | java "${JFLAGS[@]}" -XX:ArchiveClassesAtExit="$WORK/spec.jsa" -cp "$CP" SpecStartup >/dev/null 2>&1
cds=$(median_ms java "${JFLAGS[@]}" -XX:SharedArchiveFile="$WORK/spec.jsa" -cp "$CP" SpecStartup)
echo "java $(java -version 2>&1 | head -1); load average: $(cut -d' ' -f1-3 /proc/loadavg) on $(nproc) cpus"
echo "runs=$RUNS (median wall time per process)"
printf '%-44s %8s ms\n' "JVM hello world (stdin -> {})" "$hello"
printf '%-44s %8s ms   (x%s of hello)\n' "cni-spec: parse+bind+prevResult+encode" "$spec" \
  "$(awk -v a="$spec" -v b="$hello" 'BEGIN{printf "%.2f", a/b}')"
printf '%-44s %8s ms   (x%s of hello)\n' "cni-spec, same, with an AppCDS archive" "$cds" \
  "$(awk -v a="$cds" -v b="$hello" 'BEGIN{printf "%.2f", a/b}')"
if [ -x /usr/lib/cni/host-local ]; then
  go=$(CNI_COMMAND=VERSION median_ms env CNI_COMMAND=VERSION /usr/lib/cni/host-local)
  printf '%-44s %8s ms   (cni-spec is x%s of Go)\n' "Go host-local v1.1.1 VERSION" "$go" \
    "$(awk -v a="$spec" -v b="$go" 'BEGIN{printf "%.1f", a/b}')"
fi
