#!/usr/bin/env bash
# Resident mode against the Go plugins and the JVM-per-call path, in one run (ratios printed against Go):
#  1. the chain bridge + host-local + portmap (one hostPort per pod), ADD and DEL per pod, driven the way containerd
#     drives it (a long-lived runtime exec'ing one process per plugin call from a CNI_PATH: bench/ResidentBench.java,
#     jcni's CniRuntime in a warm JVM) for: resident (dist/target/jcni/bin shims + a running `jcni daemon`), Go v1.1.1
#     (/usr/lib/cni), direct (the same shims with JCNI_DIRECT=1: a JVM per call); medians over N pods;
#  2. a no-op call (VERSION) through the shim and the daemon, against Go's;
#  3. PAR (32) pods ADDed at once, then DELeted at once: wall time, resident/direct vs Go;
#  4. the daemon's VmRSS after RSS_PODS pods (2 chain calls each) and after as many more;
#  5. peak RSS of one host-local ADD (/usr/bin/time): through the shim, Go's, direct.
# Everything runs in namespaces made here: a node (the runtime and the plugins), PAR pods, and one for the daemon
# (it acts in each caller's namespace through the fds the shim passes, not in its own). The machine's own network
# namespace is never touched. The daemon is started and stopped here, on a socket in a temp dir.
#
#   mvn -q package -DskipTests && sudo bash bench/resident.sh          (N=50 RSS_PODS=500 for the real figures;
#   N=3 PAR=4 RSS_PODS=10 WARM=1 for a quick check that it works)
set -euo pipefail
N=${N:-20}
WARM=${WARM:-5}
PAR=${PAR:-32}
RSS_PODS=${RSS_PODS:-500}
root=$(cd "$(dirname "$0")/.." && pwd)
bin=$root/dist/target/jcni/bin
go=${GO_CNI:-/usr/lib/cni}
[ "$(id -u)" = 0 ] || { echo "needs root (creates network namespaces)" >&2; exit 1; }
[ -x "$bin/jcni" ] && [ -x "$root/dist/target/jcni/libexec/jcni-shim" ] || {
  echo "no shims in $bin: run 'mvn -q package -DskipTests' first" >&2; exit 1; }
for t in bridge host-local portmap; do
  [ -x "$go/$t" ] || { echo "needs Go $t in $go (GO_CNI=...)" >&2; exit 1; }
done

r=$RANDOM
node=jsh-bn-$r dns=jsh-bd-$r pp=jsh-bp-$r-
npods=$(( PAR > 1 ? PAR : 1 ))
tmp=$(mktemp -d /tmp/jsh-resident.XXXXXX)
sock=$tmp/jcni.sock
daemon=
stop_daemon() {
  [ -n "$daemon" ] || return 0
  kill -TERM "$daemon" 2>/dev/null || true
  for _ in $(seq 100); do kill -0 "$daemon" 2>/dev/null || break; sleep 0.1; done
  kill -KILL "$daemon" 2>/dev/null || true
  wait "$daemon" 2>/dev/null || true
  daemon=
}
cleanup() {
  set +e
  stop_daemon
  for ((i = 0; i < npods; i++)); do ip netns del "$pp$i" 2>/dev/null; done
  ip netns del "$node" 2>/dev/null; ip netns del "$dns" 2>/dev/null
  rm -rf "$tmp"
}
trap cleanup EXIT
ip netns add "$node"; ip -n "$node" link set lo up
ip netns add "$dns"; ip -n "$dns" link set lo up
for ((i = 0; i < npods; i++)); do ip netns add "$pp$i"; ip -n "$pp$i" link set lo up; done

# the daemon, in a namespace of its own; DAEMON_JAVA_OPTS adds JVM options (the launcher's own favour short runs)
JCNI_JAVA_OPTS=${DAEMON_JAVA_OPTS:-} ip netns exec "$dns" "$bin/jcni" daemon --socket "$sock" > "$tmp/daemon.log" 2>&1 &
daemon=$!
served=
for _ in $(seq 600); do
  if [ -S "$sock" ]; then
    served=$(echo '{"cniVersion":"1.0.0"}' | CNI_COMMAND=VERSION JCNI_SOCKET=$sock JCNI_SHIM_DEBUG=1 "$bin/debug" 2>&1 >/dev/null || true)
    case $served in *resident*) break ;; esac
  fi
  kill -0 "$daemon" 2>/dev/null || { echo "jcni daemon exited:" >&2; cat "$tmp/daemon.log" >&2; exit 1; }
  sleep 0.1
done
case $served in *resident*) ;; *) echo "the daemon did not serve within 60 s: $served" >&2; cat "$tmp/daemon.log" >&2; exit 1 ;; esac

echo "jcni resident-mode benchmark ($(nproc) cores, $(uname -r), $(java -version 2>&1 | head -1), load average$(uptime | sed 's/.*load average//'))"
ip netns exec "$node" java -cp "$root/dist/target/jcni/lib/*" "$root/bench/ResidentBench.java" \
  "$tmp" "$N" "$WARM" "$PAR" "$RSS_PODS" "$daemon" "$sock" "$bin" "$go" "$pp" "$npods"

# peak RSS of one call (host-local ADD: no network change, a dataDir here)
echo
if [ -x /usr/bin/time ]; then
  hl='{"cniVersion":"1.0.0","name":"rss","type":"host-local","ipam":{"type":"host-local","subnet":"10.204.0.0/24","dataDir":"'$tmp'/ipam-rss"}}'
  peak() { # id label exe env... -> "label KiB"
    local id=$1 label=$2 exe=$3 kib; shift 3
    kib=$( { echo "$hl" | env "$@" CNI_COMMAND=ADD CNI_CONTAINERID=rss-$id CNI_NETNS=/run/netns/${pp}0 CNI_IFNAME=eth0 \
      CNI_PATH="$(dirname "$exe")" ip netns exec "$node" /usr/bin/time -f '%M' "$exe" > /dev/null; } 2>&1 | tail -1)
    echo "$hl" | env "$@" CNI_COMMAND=DEL CNI_CONTAINERID=rss-$id CNI_NETNS=/run/netns/${pp}0 CNI_IFNAME=eth0 \
      CNI_PATH="$(dirname "$exe")" ip netns exec "$node" "$exe" > /dev/null
    printf '  %-40s %8s KiB\n' "$label" "$kib"
  }
  echo "peak RSS of one host-local ADD process (/usr/bin/time %M):"
  peak res "resident: the shim process" "$bin/host-local" JCNI_SOCKET="$sock"
  peak go "Go host-local" "$go/host-local"
  peak dir "direct: shim exec'ing the JVM" "$bin/host-local" JCNI_DIRECT=1
else
  echo "peak RSS per call: skipped (no /usr/bin/time: apt-get install time)"
fi

echo
echo "daemon status:"
ip netns exec "$dns" "$bin/jcni" daemon status --socket "$sock" 2>&1 | sed 's/^/  /' || true
stop_daemon
