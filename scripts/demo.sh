#!/usr/bin/env bash
# The jcni demo: three pods on one simulated node, wired by jcni's bridge + host-local + portmap through jcni's
# runtime (the same chain a kubelet runtime would execute), then torn down again.
#
# Everything happens in network namespaces this script creates (a node, three pods, an outside client); the
# machine's own network namespace is never changed. Needs root. Builds the project first if needed.
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
if [ "$(id -u)" != 0 ]; then
  echo "The demo creates network namespaces and needs root: sudo $0" >&2
  exit 1
fi
bash "$root/scripts/setup.sh" demo   # Debian packages the demo uses (ping, nc, nft, iptables, a C compiler)
if [ ! -x "$root/dist/bin/jcni" ] || [ ! -x "$root/dist/bin/bridge" ]; then
  echo "== building jcni (mvn package, tests skipped) =="
  (cd "$root" && mvn -q -B -ntp -DskipTests package)
fi
bin=$root/dist/bin

p=jd$$                              # unique prefix for everything this run creates
node=$p-node client=$p-client
pods=("$p-pod1" "$p-pod2" "$p-pod3")
work=$(mktemp -d /tmp/jcni-demo.XXXXXX)
uplink_node=10.250.$(( $$ % 200 )).1 uplink_client=10.250.$(( $$ % 200 )).2

say() { printf '\n\033[1m== %s\033[0m\n' "$*"; }
in_node() { ip netns exec "$node" "$@"; }
jcni() { in_node "$bin/jcni" "$@" --conf-dir "$work/net.d" --cni-path "$bin" --cache-dir "$work/cache"; }

cleanup() {
  set +e
  for pod in "${pods[@]}"; do
    [ -e "/run/netns/$pod" ] && jcni del demo "$pod" --container-id "$pod" >/dev/null 2>&1
  done
  for ns in "${pods[@]}" "$client" "$node"; do
    [ -e "/run/netns/$ns" ] && ip netns pids "$ns" | xargs -r kill 2>/dev/null
    [ -e "/run/netns/$ns" ] && "$bin/jcni" netns del "$ns" >/dev/null 2>&1
  done
  [ -n "${server_pid:-}" ] && kill "$server_pid" 2>/dev/null
  rm -rf "$work"
}
trap cleanup EXIT

say "1. Namespaces: a node, three pods and an outside client (jcni netns add)"
for ns in "$node" "$client" "${pods[@]}"; do
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

say "3. ADD: each pod through the chain (jcni add demo POD)"
declare -A ip_of
for pod in "${pods[@]}"; do
  cap='{}'
  [ "$pod" = "${pods[0]}" ] && cap='{"portMappings":[{"hostPort":8080,"containerPort":80,"protocol":"tcp"}]}'
  result=$(jcni add demo "$pod" --container-id "$pod" --cap "$cap")
  addr=$(printf '%s' "$result" | grep -o '"address" *: *"[^"]*"' | head -1 | sed 's/.*"\([^"]*\)"$/\1/')
  ip_of[$pod]=${addr%/*}
  printf '   %-14s eth0 %s\n' "$pod" "$addr"
done
echo "   the runtime cached each final result like libcni does:"
ls "$work/cache/results" | sed 's/^/     /'

say "4. Pod to pod across the bridge (ping)"
for dst in "${pods[1]}" "${pods[2]}"; do
  ip netns exec "${pods[0]}" ping -c 1 -W 2 "${ip_of[$dst]}" >/dev/null
  echo "   ${pods[0]} -> $dst (${ip_of[$dst]}): ok"
done
ip netns exec "${pods[2]}" ping -c 1 -W 2 10.244.1.1 >/dev/null && echo "   ${pods[2]} -> gateway 10.244.1.1: ok"

say "5. hostPort 8080 on the node reaches port 80 in ${pods[0]} (portmap)"
ip netns exec "${pods[0]}" sh -c 'while true; do echo "hello from pod1 (port 80)" | nc -l -p 80 -q 1 >/dev/null 2>&1; done' &
server_pid=$!
sleep 0.5
reply=$(ip netns exec "$client" nc -w 3 "$uplink_node" 8080 </dev/null || true)
echo "   client $uplink_client -> node $uplink_node:8080 answered: ${reply:-<nothing>}"
[ -n "$reply" ]
kill "$server_pid" 2>/dev/null; ip netns pids "${pods[0]}" | xargs -r kill 2>/dev/null; server_pid=

say "6. DEL: every pod (reverse chain order; rules and reservations go away)"
for pod in "${pods[@]}"; do
  jcni del demo "$pod" --container-id "$pod"
  echo "   $pod deleted"
done
echo "   reservations left: $(ls "$work/ipam/demo" 2>/dev/null | grep -c '^10\.' || true)"
echo "   cached results left: $(ls "$work/cache/results" 2>/dev/null | wc -l)"

say "7. Namespaces removed; the machine's own network was never touched"
cleanup
trap - EXIT
left=$(ip netns list | grep -c "^$p-" || true)
echo "   namespaces of this run left: $left"
[ "$left" = 0 ]
echo
echo "Demo finished: 3 pods wired, pinged, port-mapped and removed through jcni's plugins."
