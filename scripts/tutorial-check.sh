#!/usr/bin/env bash
# Runs every command of docs/tutorial.md, in order, in one bash session, as a reader would (as root), and checks
# that the English and Chinese tutorials have the same commands and that their code excerpts still match the
# sources. The tutorial's paths are moved into a scratch directory: /opt/cni/bin, /etc/cni/net.d, /var/lib/cni and
# /run/jcni; its namespace and link names (tut-...) get a per-run prefix (jtu<pid>-). Nothing touches the machine's
# own network namespace: the tutorial's node is a namespace too.
#
#   scripts/tutorial-check.sh [--reactor] [--m2 DIR] [--dist DIR] [--work DIR] [--keep]
#     --reactor   also run the tutorial's "build jcni" block (mvn install of this checkout); off by default because
#                 CI runs that install first
#     --m2 DIR    every mvn the tutorial runs uses -Dmaven.repo.local=DIR (a scratch local repository); they all
#                 run offline (-o): the reactor build fetched everything the sample needs
#     --dist DIR  jcni's distribution tree (default: dist/target/jcni of this checkout)
#     --work DIR  scratch directory (default: a new one under /tmp, removed at the end unless --keep)
# Prints each block's wall time; writes them to WORK/times (block, line, ms, first line).
set -euo pipefail
ROOT=$(cd "$(dirname "$0")/.." && pwd)
REACTOR=() M2="" DIST="" WORK="" KEEP=0
while [ $# -gt 0 ]; do
  case "$1" in
    --reactor) REACTOR=(--reactor); shift ;;
    --m2) M2=$2; shift 2 ;;
    --dist) DIST=$2; shift 2 ;;
    --work) WORK=$2; shift 2 ;;
    --keep) KEEP=1; shift ;;
    *) echo "usage: $0 [--reactor] [--m2 DIR] [--dist DIR] [--work DIR] [--keep]" >&2; exit 2 ;;
  esac
done

echo "== tutorial: the English and Chinese texts, the excerpts"
python3 "$ROOT/scripts/tutorial_blocks.py" same "$ROOT/docs/tutorial.md" "$ROOT/docs/tutorial.zh.md"
python3 "$ROOT/scripts/tutorial_blocks.py" excerpts "$ROOT/docs/tutorial.md" "$ROOT"
python3 "$ROOT/scripts/tutorial_blocks.py" excerpts "$ROOT/docs/tutorial.zh.md" "$ROOT"

if [ "$(id -u)" != 0 ]; then
  echo "SKIP running the tutorial's commands: needs root (creates network namespaces; running as uid $(id -u))"
  exit 0
fi

[ -n "$WORK" ] || WORK=$(mktemp -d /tmp/jtu-tutorial.XXXXXX)
mkdir -p "$WORK/gen" "$WORK/home"
WORK=$(cd "$WORK" && pwd)
PFX="jtu$$-"
DIST_SUBST=()
[ -n "$DIST" ] && DIST_SUBST=(--subst "\$JCNI_SRC/dist/target/jcni=$(cd "$DIST" && pwd)")
python3 "$ROOT/scripts/tutorial_blocks.py" script "$ROOT/docs/tutorial.md" "$WORK/gen" "${REACTOR[@]}" \
  --subst "tut-=$PFX" "${DIST_SUBST[@]}" \
  --subst "/opt/cni/bin=$WORK/opt/cni/bin" --subst "/etc/cni/net.d=$WORK/etc/cni/net.d" \
  --subst "/var/lib/cni=$WORK/var/lib/cni" --subst "/run/jcni=$WORK/run/jcni"

export JCNI_SRC="$ROOT"
export JCNI_SOCKET="$WORK/run/jcni/jcni.sock"   # the tutorial's default socket, moved: never someone else's daemon
# offline: everything the sample needs is what the reactor build already fetched (same plugin versions)
JTU_MVN=(-B -o)
[ -n "$M2" ] && JTU_MVN+=("-Dmaven.repo.local=$M2")
mvn() { command mvn "${JTU_MVN[@]}" "$@"; }

CUR="" CUROUT=""
cleanup() {
  local rc=$?
  set +e
  if [ $rc != 0 ] && [ -n "$CUR" ]; then
    echo "!! tutorial block $CUR failed (exit $rc); its output:"
    tail -60 "$CUROUT" | sed 's/^/   | /'
  fi
  [ -n "${DAEMON:-}" ] && kill "$DAEMON" 2>/dev/null
  for ns in $(ip netns list | awk '{print $1}' | grep "^$PFX"); do
    ip netns pids "$ns" | xargs -r kill 2>/dev/null   # e.g. the tutorial's server in a pod
    ip netns del "$ns"
  done
  cd /
  [ $KEEP = 1 ] || [ $rc != 0 ] && echo "   (scratch kept: $WORK)" || rm -rf "$WORK"
  exit $rc
}
trap cleanup EXIT
trap 'exit 130' INT TERM

skip_block() { printf '  block %-3s line %-4s   skipped  (%s)\n' "$1" "$2" "$3"; }
run_block() {
  local n=$1 line=$2 f=$3 out="$WORK/gen/out$1" t0 ms want
  CUR="$n (docs/tutorial.md line $line)" CUROUT=$out
  t0=$(date +%s%N)
  # sourced, so cd, variables and background jobs carry over to the next block, as in a reader's shell
  source "$f" >"$out" 2>&1 </dev/null
  ms=$(( ($(date +%s%N) - t0) / 1000000 ))
  if [ -f "${f%.sh}.expect" ]; then
    while IFS= read -r want; do
      [ -n "$want" ] || continue
      if ! grep -qF -- "$want" "$out"; then
        echo "!! block $n (line $line): the output lacks: $want"
        return 1
      fi
    done <"${f%.sh}.expect"
  fi
  printf '  block %-3s line %-4s %8d ms  %s\n' "$n" "$line" "$ms" "$(grep -v '^#' "$f" | head -1 | cut -c1-70)"
  printf '%s\t%s\t%s\t%s\n' "$n" "$line" "$ms" "$(grep -v '^#' "$f" | head -1)" >>"$WORK/times"
}

echo "== tutorial: running its commands as root in $WORK/home (prefix $PFX)"
: >"$WORK/times"
cd "$WORK/home"
source "$WORK/gen/run.sh"
CUR=""

echo "== the project the tutorial wrote is examples/outside"
diff -r -x target -x README.md "$ROOT/examples/outside" "$WORK/home/pod-routes"
echo "   identical (pom.xml and every source file; the README is the sample's own)"
echo "tutorial: OK"
