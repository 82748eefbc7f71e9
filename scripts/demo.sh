#!/usr/bin/env bash
# The jcni demo: three pods on one simulated node, wired by jcni's bridge + host-local + portmap through jcni's
# runtime (the same chain a kubelet runtime would execute), then torn down again. The runtime execs the plugin
# executables (dist/target/jcni/bin/<type>, the native shims) as containerd would, and a resident `jcni daemon` serves the
# calls; each call prints which path served it. At the end the daemon is stopped and a fourth pod is still wired,
# through the shims' fallback to a JVM per call.
#
# Everything happens in network namespaces this script creates (a node, three pods, an outside client, one for the
# daemon, which acts in each caller's namespace); the machine's own network namespace is never changed. Needs
# root. Builds the project first if needed.
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
if [ "$(id -u)" != 0 ]; then
  echo "The demo creates network namespaces and needs root: sudo $0" >&2
  exit 1
fi
bash "$root/scripts/setup.sh" demo   # Debian packages the demo uses (ping, nc, nft, iptables, a C compiler)
if [ ! -x "$root/dist/target/jcni/bin/jcni" ] || [ ! -x "$root/dist/target/jcni/bin/bridge" ] || [ ! -x "$root/dist/target/jcni/libexec/jcni-shim" ]; then
  echo "== building jcni (mvn package -pl dist -am, tests skipped) =="
  (cd "$root" && mvn -q -B -ntp -DskipTests package -pl dist -am)
fi
bin=$root/dist/target/jcni/bin

p=jd$$                              # unique prefix for everything this run creates
node=$p-node client=$p-client dns=$p-daemon
pods=("$p-pod1" "$p-pod2" "$p-pod3")
late=$p-pod4
work=$(mktemp -d /tmp/jcni-demo.XXXXXX)
uplink_node=10.250.$(( $$ % 200 )).1 uplink_client=10.250.$(( $$ % 200 )).2

say() { printf '\n\033[1m== %s\033[0m\n' "$*"; }
in_node() { ip netns exec "$node" "$@"; }
# --exec-only: every plugin call is a process (bin/<type>, the shim), as under containerd; the shims inherit
# JCNI_SOCKET and JCNI_SHIM_DEBUG=1 (one stderr line per call: "resident" or "direct (why)")
jcni() {
  JCNI_SOCKET=$sock JCNI_SHIM_DEBUG=1 in_node "$bin/jcni" "$@" --conf-dir "$work/net.d" --cni-path "$bin" \
    --cache-dir "$work/cache" --exec-only
}
# shows the shims' path lines, indented, and keeps the runtime's other stderr
paths() { sed -n 's/^jcni-shim: \(.*\)$/     path: \1/p'; }
sock=$work/jcni.sock
daemon_pid=
stop_daemon() {
  [ -n "$daemon_pid" ] || return 0
  kill -TERM "$daemon_pid" 2>/dev/null || true
  for _ in $(seq 100); do kill -0 "$daemon_pid" 2>/dev/null || break; sleep 0.1; done
  kill -KILL "$daemon_pid" 2>/dev/null || true
  wait "$daemon_pid" 2>/dev/null || true
  daemon_pid=
}

cleanup() {
  set +e
  for pod in "${pods[@]}" "$late"; do
    [ -e "/run/netns/$pod" ] && jcni del demo "$pod" --container-id "$pod" >/dev/null 2>&1
  done
  stop_daemon
  for ns in "${pods[@]}" "$late" "$client" "$node" "$dns"; do
    [ -e "/run/netns/$ns" ] && ip netns pids "$ns" 2>/dev/null | xargs -r kill 2>/dev/null
    [ -e "/run/netns/$ns" ] && "$bin/jcni" netns del "$ns" >/dev/null 2>&1
  done
  [ -n "${server_pid:-}" ] && kill "$server_pid" 2>/dev/null
  rm -rf "$work"
}
trap cleanup EXIT

say "1. Namespaces: a node, three pods, an outside client and one for the daemon (jcni netns add)"
for ns in "$node" "$client" "$dns" "${pods[@]}" "$late"; do
  printf '   created %s\n' "$("$bin/jcni" netns add "$ns")"
done
# The node's uplink to the client stands in for the node's real NIC.
ip link add "$p-up" netns "$node" type veth peer name "$p-cl" netns "$client"
in_node ip addr add "$uplink_node/24" dev "$p-up"
in_node ip link set "$p-up" up
in_node ip link set lo up
ip -n "$client" addr add "$uplink_client/24" dev "$p-cl"
ip -n "$client" link set "$p-cl" up
echo "   node uplink $uplink_node  <->  client $uplink_client"

say "2. The network configuration (the tutorial's shape: bridge + host-local + portmap)"
mkdir -p "$work/net.d"
cat > "$work/net.d/10-demo.conflist" <<JSON
{
  "cniVersion": "1.0.0",
  "name": "demo",
  "plugins": [
    {
      "type": "bridge",
      "bridge": "$p-br0",
      "isGateway": true,
      "ipMasq": true,
      "ipam": {
        "type": "host-local",
        "ranges": [[{"subnet": "10.244.1.0/24"}]],
        "routes": [{"dst": "0.0.0.0/0"}],
        "dataDir": "$work/ipam"
      }
    },
    {"type": "portmap", "capabilities": {"portMappings": true}}
  ]
}
JSON
sed 's/^/   /' "$work/net.d/10-demo.conflist"

say "3. The resident daemon: one JVM serving every plugin call (jcni daemon --socket $sock)"
# In its own network namespace: it acts in the namespace of each calling shim (passed as a file descriptor).
ip netns exec "$dns" "$bin/jcni" daemon --socket "$sock" > "$work/daemon.log" 2>&1 &
daemon_pid=$!
for _ in $(seq 600); do
  [ -S "$sock" ] && echo '{"cniVersion":"1.0.0"}' | CNI_COMMAND=VERSION JCNI_SOCKET=$sock JCNI_SHIM_DEBUG=1 \
    "$bin/loopback" 2>&1 >/dev/null | grep -q resident && break
  kill -0 "$daemon_pid" 2>/dev/null || { cat "$work/daemon.log" >&2; exit 1; }
  sleep 0.1
done
echo "   daemon pid $daemon_pid listening on $sock"

say "4. ADD: each pod through the chain (jcni add demo POD --exec-only: the shims in $bin)"
declare -A ip_of
add_pod() { # pod cap -> prints the address and the path of each plugin call
  local pod=$1 cap=$2 result addr
  result=$(jcni add demo "$pod" --container-id "$pod" --cap "$cap" 2> "$work/stderr") || { cat "$work/stderr" >&2; return 1; }
  addr=$(printf '%s' "$result" | grep -o '"address" *: *"[^"]*"' | head -1 | sed 's/.*"\([^"]*\)"$/\1/')
  ip_of[$pod]=${addr%/*}
  printf '   %-14s eth0 %s\n' "$pod" "$addr"
  paths < "$work/stderr"
}
for pod in "${pods[@]}"; do
  cap='{}'
  [ "$pod" = "${pods[0]}" ] && cap='{"portMappings":[{"hostPort":8080,"containerPort":80,"protocol":"tcp"}]}'
  add_pod "$pod" "$cap"
done
echo "   the runtime cached each final result like libcni does:"
ls "$work/cache/results" | sed 's/^/     /'

say "5. Pod to pod across the bridge (ping)"
for dst in "${pods[1]}" "${pods[2]}"; do
  ip netns exec "${pods[0]}" ping -c 1 -W 2 "${ip_of[$dst]}" >/dev/null
  echo "   ${pods[0]} -> $dst (${ip_of[$dst]}): ok"
done
ip netns exec "${pods[2]}" ping -c 1 -W 2 10.244.1.1 >/dev/null && echo "   ${pods[2]} -> gateway 10.244.1.1: ok"

say "6. hostPort 8080 on the node reaches port 80 in ${pods[0]} (portmap)"
ip netns exec "${pods[0]}" sh -c 'while true; do echo "hello from pod1 (port 80)" | nc -l -p 80 -q 1 >/dev/null 2>&1; done' &
server_pid=$!
sleep 0.5
reply=$(ip netns exec "$client" nc -w 3 "$uplink_node" 8080 </dev/null || true)
echo "   client $uplink_client -> node $uplink_node:8080 answered: ${reply:-<nothing>}"
[ -n "$reply" ]
kill "$server_pid" 2>/dev/null; ip netns pids "${pods[0]}" | xargs -r kill 2>/dev/null; server_pid=

say "7. DEL: every pod (reverse chain order; rules and reservations go away)"
for pod in "${pods[@]}"; do
  jcni del demo "$pod" --container-id "$pod" 2> "$work/stderr"
  echo "   $pod deleted"
  paths < "$work/stderr"
done
echo "   what the daemon served (jcni daemon status):"
ip netns exec "$dns" "$bin/jcni" daemon status --socket "$sock" 2>&1 | sed 's/^/     /'

say "8. The daemon stops: the shims fall back to a JVM per call (libexec/<type>), only slower"
stop_daemon
echo "   daemon stopped"
add_pod "$late" '{}'
ip netns exec "$late" ping -c 1 -W 2 10.244.1.1 >/dev/null && echo "   $late -> gateway 10.244.1.1: ok"
jcni del demo "$late" --container-id "$late" 2> "$work/stderr"
echo "   $late deleted"
paths < "$work/stderr"
echo "   reservations left: $(ls "$work/ipam/demo" 2>/dev/null | grep -c '^10\.' || true)"
echo "   cached results left: $(ls "$work/cache/results" 2>/dev/null | wc -l)"

say "9. Namespaces removed; the machine's own network was never touched"
cleanup
trap - EXIT
left=$(ip netns list | grep -c "^$p-" || true)
echo "   namespaces of this run left: $left"
[ "$left" = 0 ]
echo
echo "Demo finished: 3 pods wired, pinged, port-mapped and removed through jcni's shims and daemon, and one more"
echo "through the fallback with the daemon stopped."
