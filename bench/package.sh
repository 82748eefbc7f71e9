#!/usr/bin/env bash
# What jcni-maven-plugin costs at package time and what its class-data archives buy at run time.
#  1. Package-time cost: the fixture project of jcni-maven-plugin (src/it/simple-plugin, one plugin) built with
#     `mvn package` three ways: the goal skipped (-Djcni.skip), without archives (-Djcni.dist.skipArchives), and
#     in full (archives for the build JDK and every JDK >= 25 under /usr/lib/jvm); wall seconds, medians of R runs.
#  2. Training quality: classes loaded by one CHECK (JCNI_DIRECT=1, a JVM per call) and how many of them came from
#     outside the archive (-Xlog:class+load), for the fixture's plugin (trained only by the generic pass and its
#     META-INF/jcni/training resource) against ours (examples' debug, dist's host-local), on JDK 17 and JDK 25.
# Needs the fixture built once by the plugin's tests and dist + examples packaged:
#   mvn -B -o -pl jcni-maven-plugin,dist,examples -am verify -Dtest=PackagedFixtureTest \
#       -Dsurefire.failIfNoSpecifiedTests=false && bash bench/package.sh
set -euo pipefail
export JCNI_DIRECT=1
R=${R:-3}
root=$(cd "$(dirname "$0")/.." && pwd)
fixture=$root/jcni-maven-plugin/target/it/simple-plugin
repo=$root/jcni-maven-plugin/target/it-repo
jdk17=${JDK17:-$(dirname "$(dirname "$(readlink -f "$(command -v java)")")")}
jdk25=${JDK25:-/usr/lib/jvm/temurin-25-jdk-amd64}
[ -d "$repo" ] && [ -f "$fixture/pom.xml" ] || { echo "no fixture: build jcni-maven-plugin with verify first" >&2; exit 1; }
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
# the settings invoker used (the main local repository as a read-only file:// mirror)
sed "s#@mainLocalRepo@#${MAIN_REPO:-$HOME/.m2/repository}#" "$root/jcni-maven-plugin/src/it/settings.xml" > "$tmp/settings.xml"

build() { # wall seconds of one offline `mvn package` of the fixture with the given extra options
  local t0 t1
  t0=$(date +%s.%N)
  (cd "$fixture" && mvn -B -q -o -s "$tmp/settings.xml" -Dmaven.repo.local="$repo" -Daether.offline.protocols=file \
    "$@" package >"$tmp/build.log" 2>&1) || { cat "$tmp/build.log" >&2; exit 1; }
  t1=$(date +%s.%N)
  echo "$t1 - $t0" | bc
}
median() { sort -n | awk '{a[NR]=$1} END {print (NR%2 ? a[(NR+1)/2] : (a[NR/2]+a[NR/2+1])/2)}'; }

echo "== package-time cost, fixture project (1 plugin), wall s, median of $R (load $(cut -d' ' -f1 /proc/loadavg))"
for i in $(seq "$R"); do build -Djcni.skip=true; done | median > "$tmp/skip"
for i in $(seq "$R"); do build -Djcni.dist.skipArchives=true; done | median > "$tmp/noarch"
for i in $(seq "$R"); do build; done | median > "$tmp/full"
s=$(cat "$tmp/skip"); n=$(cat "$tmp/noarch"); f=$(cat "$tmp/full")
printf '%-44s %6.1f\n' "mvn package, jcni goal skipped" "$s"
printf '%-44s %6.1f  (goal: +%.1f)\n' "mvn package, tree without archives" "$n" "$(echo "$n - $s" | bc)"
printf '%-44s %6.1f  (goal: +%.1f, archives: +%.1f)\n' "mvn package, tree + archives" "$f" \
  "$(echo "$f - $s" | bc)" "$(echo "$f - $n" | bc)"
ls "$fixture/target/jcni/lib" | grep -E '\.(jsa|aot)$' | sed 's/^/  archive: /'

check() { # <label> <bin> <java home> <stdin>: classes of one CHECK, total and outside the archive
  local log=$tmp/cl.log out
  rm -f "$log"
  if [ "${5:-}" = add-first ]; then # host-local's CHECK needs its reservation
    printf '%s' "$4" | JAVA_HOME=$3 CNI_COMMAND=ADD CNI_CONTAINERID=bench CNI_NETNS=/nonexistent/bench \
      CNI_IFNAME=eth0 CNI_PATH=/nonexistent "$2" >/dev/null 2>&1 || true
  fi
  out=$(printf '%s' "$4" | JAVA_HOME=$3 JCNI_JAVA_OPTS="-Xlog:class+load=info:file=$log" CNI_COMMAND=CHECK \
    CNI_CONTAINERID=bench CNI_NETNS=/nonexistent/bench CNI_IFNAME=eth0 CNI_PATH=/nonexistent "$2" 2>&1) || {
    echo "$1: CHECK failed: $out" >&2; return; }
  local total outside
  total=$(grep -c 'source:' "$log" || true)
  outside=$(grep 'source:' "$log" | grep -vc 'shared objects file' || true)
  printf '%-36s %-8s %6d %8d\n' "$1" "$("$3/bin/java" -version 2>&1 | head -1 | cut -d'"' -f2)" "$total" "$outside"
}
prev='"prevResult":{"cniVersion":"1.0.0","interfaces":[{"name":"eth0","mac":"0a:58:0a:f4:00:05","sandbox":"/var/run/netns/x"}],"ips":[{"address":"10.250.0.5/24","gateway":"10.250.0.1","interface":0}]}'
hello='{"cniVersion":"1.0.0","name":"bench","type":"bridge","ipam":{"type":"jpk-hello","address":"10.250.0.5/24"},'$prev'}'
debug='{"cniVersion":"1.0.0","name":"bench","type":"debug",'$prev'}'
mkdir "$tmp/hl"
hostlocal='{"cniVersion":"1.0.0","name":"bench","type":"bridge","ipam":{"type":"host-local","subnet":"10.250.0.0/24","dataDir":"'$tmp/hl'"},'$prev'}'
echo
echo "== one CHECK, classes loaded / of which outside the archive"
printf '%-36s %-8s %6s %8s\n' plugin jdk loaded outside
for jdk in "$jdk17" "$jdk25"; do
  [ -x "$jdk/bin/java" ] || continue
  check "fixture jpk-hello (outside project)" "$fixture/target/jcni/bin/jpk-hello" "$jdk" "$hello"
  [ -x "$root/examples/target/jcni/bin/debug" ] && check "ours: examples debug" "$root/examples/target/jcni/bin/debug" "$jdk" "$debug"
  [ -x "$root/dist/target/jcni/bin/host-local" ] && check "ours: dist host-local" "$root/dist/target/jcni/bin/host-local" "$jdk" "$hostlocal" add-first
done
