#!/usr/bin/env bash
# cni-netlink throughput: create + delete 200 veth pairs and 200 routes inside a throwaway namespace through
# jcni (in-process, one netlink handle) and through `ip -n NS -batch` (iproute2, one process per phase), median
# of REPS runs, with the ratio. Also the whole-process cost of the jcni run (JVM start + JNR load included).
#
#   bash bench/netlink-bench.sh            (needs root; COUNT=200 REPS=5 by default)
set -euo pipefail
COUNT=${COUNT:-200}
REPS=${REPS:-5}
root=$(cd "$(dirname "$0")/.." && pwd)
[ "$(id -u)" = 0 ] || { echo "needs root (creates a network namespace)" >&2; exit 1; }
cd "$root"
cp_file=$(mktemp)
trap 'rm -f "$cp_file"' EXIT
# one reactor run: cni-spec and cni-system resolve to their target/classes (the last module written is cni-netlink)
mvn -q -o -pl cni-netlink -am compile dependency:build-classpath -Dmdep.outputFile="$cp_file" -Dmdep.includeScope=runtime
cp="$root/cni-netlink/target/classes:$(cat "$cp_file")"
echo "cni-netlink benchmark ($(nproc) cores, $(uname -r), $(java -version 2>&1 | head -1))"
s=$(date +%s%N)
java -XX:+UseSerialGC -cp "$cp" "$root/bench/netlink/NetlinkBench.java" "$COUNT" "$REPS"
e=$(date +%s%N)
echo "whole jcni process (source launch + JVM + JNR + all runs): $(( (e - s) / 1000000 )) ms"
