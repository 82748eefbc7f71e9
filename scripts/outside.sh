#!/usr/bin/env bash
# The sample outside project (examples/outside, com.example:pod-routes) built the way a plugin author builds it:
# against the installed dev.jcni artifacts, through the BOM, tested with the test kit, packaged with
# jcni-maven-plugin, then run in a real chain (bridge + host-local + portmap + pod-routes) through the `jcni`
# runtime in throwaway namespaces. All of that is the tutorial (docs/tutorial.md) run command by command by
# scripts/tutorial-check.sh, which also checks that the project the tutorial writes IS examples/outside. Then it
# prints how long the sample takes from clean to a packaged executable and the per-call start-up of its plugin
# against ours and Go's (VERSION, direct path, medians).
#
# CI runs it after `mvn install` of the reactor (artifacts in ~/.m2, jcni's tree in dist/target/jcni):
#   sudo scripts/outside.sh
# On a shared machine never install into ~/.m2; use a scratch local repository instead, seeded with a copy of
# ~/.m2/repository without dev/jcni, and let the tutorial's own "build jcni" block install the reactor there:
#   sudo scripts/outside.sh --scratch /tmp/jtu-m2            # seeds (once) and runs mvn -o install into it
#   sudo scripts/outside.sh --scratch /tmp/jtu-m2 --no-reactor   # the scratch repository is already filled
# Options: --dist DIR (jcni's tree, default dist/target/jcni), --runs N (start-up samples, default 7).
set -euo pipefail
ROOT=$(cd "$(dirname "$0")/.." && pwd)
M2="" REACTOR=1 DIST="$ROOT/dist/target/jcni" RUNS=7
while [ $# -gt 0 ]; do
  case "$1" in
    --scratch) M2=$2; shift 2 ;;
    --no-reactor) REACTOR=0; shift ;;
    --dist) DIST=$2; shift 2 ;;
    --runs) RUNS=$2; shift 2 ;;
    *) echo "usage: $0 [--scratch M2DIR [--no-reactor]] [--dist DIR] [--runs N]" >&2; exit 2 ;;
  esac
done
if [ "$(id -u)" != 0 ]; then
  echo "SKIP outside.sh: needs root (the sample's netns tests and the chain create network namespaces; uid $(id -u))"
  exit 0
fi

ARGS=()
if [ -n "$M2" ]; then
  if [ ! -d "$M2/org" ]; then
    echo "== seeding $M2 from ~/.m2/repository (without dev/jcni)"
    mkdir -p "$M2"
    (cd ~/.m2/repository && tar -c --exclude=./dev/jcni .) | tar -x -C "$M2"
  fi
  ARGS+=(--m2 "$M2")
  [ $REACTOR = 1 ] && ARGS+=(--reactor)
fi
WORK=$(mktemp -d /tmp/jtu-outside.XXXXXX)
trap 'rm -rf "$WORK"' EXIT

"$ROOT/scripts/tutorial-check.sh" "${ARGS[@]}" --dist "$DIST" --work "$WORK" --keep
PROJECT="$WORK/home/pod-routes"
[ -x "$PROJECT/target/jcni/bin/pod-routes" ] || { echo "no packaged pod-routes in $PROJECT" >&2; exit 1; }

ms_of() { awk -F'\t' -v c="$1" '$4 == c { print $3 }' "$WORK/times"; }
t_test=$(ms_of "mvn test") t_pkg=$(ms_of "mvn package -DskipTests")
MVN=(mvn -B -q -o)
[ -n "$M2" ] && MVN+=("-Dmaven.repo.local=$M2")
rm -rf "$PROJECT/target"
t0=$(date +%s%N)
(cd "$PROJECT" && "${MVN[@]}" package -DskipTests)
t_clean=$(( ($(date +%s%N) - t0) / 1000000 ))

median_ms() {   # median wall time of RUNS VERSION calls of $1 (direct path), in ms with one decimal
  local exe=$1 i t0 out
  for i in $(seq "$RUNS"); do
    t0=$(date +%s%N)
    out=$(echo '{"cniVersion":"1.1.0"}' | JCNI_DIRECT=1 CNI_COMMAND=VERSION "$exe")
    echo $(( $(date +%s%N) - t0 ))
    case "$out" in *supportedVersions*) ;; *) echo "$exe VERSION answered: $out" >&2; return 1 ;; esac
  done | sort -n | awk '{ v[NR] = $1 } END { m = (NR % 2) ? v[(NR + 1) / 2] : (v[NR / 2] + v[NR / 2 + 1]) / 2; printf "%.1f", m / 1e6 }'
}
m_ours=$(median_ms "$PROJECT/target/jcni/bin/pod-routes")
m_bridge=$(median_ms "$DIST/bin/bridge")
m_hl=$(median_ms "$DIST/bin/host-local")
m_go=n/a
[ -x /usr/lib/cni/bridge ] && m_go=$(median_ms /usr/lib/cni/bridge)

calc() { awk "BEGIN { printf \"%.2f\", $1 }"; }
echo
echo "== sample outside project (com.example:pod-routes), figures"
printf '  tutorial steps:  mvn test (compile + 20 tests) %.1f s, then mvn package -DskipTests %.1f s: %.1f s from an empty directory to bin/pod-routes\n' \
  "$(calc "$t_test / 1000")" "$(calc "$t_pkg / 1000")" "$(calc "($t_test + $t_pkg) / 1000")"
printf '  from clean (rm -rf target) to a packaged executable, no tests: %.1f s\n' "$(calc "$t_clean / 1000")"
echo "  per-call start-up, VERSION through the shim's direct path (JCNI_DIRECT=1, a JVM per call), median of $RUNS:"
printf '    pod-routes (the sample, packaged by jcni-maven-plugin)  %8s ms\n' "$m_ours"
printf '    bridge     (ours, dist)                                 %8s ms  (sample/ours %.2fx)\n' "$m_bridge" "$(calc "$m_ours / $m_bridge")"
printf '    host-local (ours, dist)                                 %8s ms  (sample/ours %.2fx)\n' "$m_hl" "$(calc "$m_ours / $m_hl")"
printf '    bridge     (Go v1.1.1, /usr/lib/cni)                    %8s ms\n' "$m_go"
echo "outside: OK"
