#!/usr/bin/env bash
# Runs deploy/jcni.yaml's DaemonSet for real with podman, on a throwaway node: a network namespace (the node's
# "host network") and a scratch directory standing in for the node's root file system. podman's flags come from
# the manifest (deploy/test/podman-args.py), so this breaks when the manifest is wrong. Then it drives two pods
# through the plugins the init container installed (the jcni CLI as a libcni runtime, exec only), pings between
# them, and checks that the calls were served by the daemon in the container.
#
# usage: sudo deploy/test/podman-run.sh [IMAGE.oci.tar]     (default image/target/jcni-image-*.oci.tar)
# podman runs on scratch storage (--root/--runroot/--tmpdir under a temp dir) with the CNI network backend
# forced by a scratch containers.conf: the machine's podman storage and networks are never touched.
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
repo=$(cd "$here/../.." && pwd)
manifest=${JCNI_MANIFEST:-$repo/deploy/jcni.yaml}
P=jim   # prefix of everything this test creates

if [ "${1:-}" != --inner ]; then
  # ------------------------------------------------------------------ outer: node namespace, scratch dirs, cleanup
  [ "$(id -u)" = 0 ] || { echo "SKIP podman-run: needs root (network namespaces, podman)"; exit 0; }
  for t in podman:podman ip:iproute2 nft:nftables python3:python3 ping:iputils-ping openssl:openssl unshare:util-linux nsenter:util-linux; do
    command -v "${t%%:*}" >/dev/null || { echo "SKIP podman-run: ${t%%:*} missing (Debian package ${t##*:})"; exit 0; }
  done
  python3 -c 'import yaml' 2>/dev/null || { echo "SKIP podman-run: python3-yaml missing (Debian package python3-yaml)"; exit 0; }
  archive=${1:-$(ls "$repo"/image/target/jcni-image-*.oci.tar 2>/dev/null | head -1)}
  [ -f "$archive" ] || { echo "podman-run: no image archive (build it: mvn -Pimage -pl image -am package)" >&2; exit 1; }
  cli=$repo/dist/target/jcni/bin/jcni
  [ -x "$cli" ] || { echo "podman-run: no dist tree (mvn -pl dist -am package)" >&2; exit 1; }

  tmp=$(mktemp -d /tmp/$P-podman.XXXXXX)
  node=$P-node-$$ p1=$P-p1-$$ p2=$P-p2-$$
  cleanup() {
    set +e
    # containers were removed by the inner part; anything left (a killed run) is found by its scratch paths
    for pid in $(pgrep -f -- "$tmp/" 2>/dev/null); do kill -KILL "$pid" 2>/dev/null; done
    sleep 0.5
    for n in "$p1" "$p2" "$node"; do ip netns del "$n" 2>/dev/null; done
    grep -F " $tmp/" /proc/self/mounts | cut -d' ' -f2 | sort -r | while read -r m; do umount -l "$m"; done
    rm -rf "$tmp"
    # podman's cgroupfs parent groups (global, not per mount namespace), when this run made them; empty by now
    if [ "$had_libpod_cgroup" = 0 ]; then
      for _ in 1 2 3 4 5 6 7 8 9 10; do   # conmon may still be leaving its group
        for d in /sys/fs/cgroup/*/libpod_parent; do
          [ -d "$d" ] && { rmdir "$d"/conmon 2>/dev/null; rmdir "$d" 2>/dev/null; }
        done
        ls -d /sys/fs/cgroup/*/libpod_parent >/dev/null 2>&1 || break
        sleep 0.5
      done
    fi
  }
  had_libpod_cgroup=0
  ls -d /sys/fs/cgroup/*/libpod_parent >/dev/null 2>&1 && had_libpod_cgroup=1
  trap cleanup EXIT
  for n in "$node" "$p1" "$p2"; do ip netns add "$n"; ip -n "$n" link set lo up; done
  export JIM_TMP=$tmp JIM_NODE=$node JIM_P1=$p1 JIM_P2=$p2 JIM_ARCHIVE=$archive JIM_CLI=$cli
  # One mount namespace for everything below, slave to the machine's: podman's overlay mounts, the scratch host's
  # bind mounts and the runtime all see the same tree, and nothing leaks out. Not `ip netns exec` (it remounts
  # /sys without the cgroup mounts); crun also refuses the hybrid cgroup layout here, so this namespace sees the
  # v1 hierarchies only. Then the node's network namespace: its "host network".
  unshare -m --propagation slave sh -c 'umount /sys/fs/cgroup/unified 2>/dev/null; exec nsenter --net="/run/netns/$1" bash "$2" --inner' \
    sh "$node" "$0"
  exit $?
fi

# -------------------------------------------------------------------- inner: inside the node's namespaces
tmp=$JIM_TMP node=$JIM_NODE
hr=$tmp/host                       # the node's root file system, as far as the DaemonSet's hostPaths go
mkdir -p "$hr" "$tmp/cni" "$tmp/cache"
cat > "$tmp/containers.conf" <<EOF
[containers]
log_driver = "k8s-file"
[network]
network_backend = "cni"
network_config_dir = "$tmp/cni"
cni_plugin_dirs = ["/usr/lib/cni"]
[engine]
cgroup_manager = "cgroupfs"
events_logger = "file"
events_logfile_path = "$tmp/events.log"
EOF
export CONTAINERS_CONF=$tmp/containers.conf
pm() {
  podman --root "$tmp/storage" --runroot "$tmp/runroot" --tmpdir "$tmp/libpod" --volumepath "$tmp/volumes" \
    --storage-driver overlay --cgroup-manager cgroupfs --events-backend file "$@"
}
# podman's default rlimits exceed what this machine lets a process raise to: keep ours (test environment only,
# not from the manifest; the kubelet sets none)
lim=(--ulimit nofile=4096:4096 --ulimit nproc=4096:4096)
ok=0 bad=0
pass() { echo "PASS $*"; ok=$((ok + 1)); }
failed() { echo "FAIL $*"; bad=$((bad + 1)); }
check() { local what=$1; shift; if "$@"; then pass "$what"; else failed "$what"; fi; }
die() { echo "FAIL $*"; exit 1; }
quiet() { "$@" >/dev/null 2>&1; }
cleanup_inner() {
  set +e
  pm rm -f -t 0 -a >/dev/null 2>&1
  pm rmi -a -f >/dev/null 2>&1
  # podman's overlay mounts and the scratch host's binds live in this mount namespace only
  grep -F " $tmp/" /proc/self/mounts | cut -d' ' -f2 | sort -r | while read -r m; do umount -l "$m"; done
  umount -l /opt 2>/dev/null
}
trap cleanup_inner EXIT
trap 'echo "FAIL podman-run: line $LINENO: $BASH_COMMAND exited non-zero"' ERR
args() { python3 "$here/podman-args.py" "$manifest" "$@" --host-root "$hr" --node-name "$P-node"; }
derive() { mapfile -d '' "$1" < <(args "${@:2}") && [ "${#1}" -gt 0 ]; }

# ---- the image
t0=$(date +%s%N)
loaded=$(pm load -q -i "$JIM_ARCHIVE" 2>&1) || die "podman load: $loaded"
id=$(echo "$loaded" | sed -n 's/^Loaded image[^:]*: *//p' | tail -1)
image=$(python3 -c 'import sys,yaml; d=[x for x in yaml.safe_load_all(open(sys.argv[1])) if x and x.get("kind")=="DaemonSet"][0]; print(d["spec"]["template"]["spec"]["containers"][0]["image"])' "$manifest")
pm tag "$id" "$image" || die "podman tag $id $image"
t1=$(date +%s%N)
echo "image: $JIM_ARCHIVE ($(du -m "$JIM_ARCHIVE" | cut -f1) MiB archive, $(pm image inspect --format '{{.Size}}' "$image" | awk '{printf "%.0f", $1/1048576}') MiB in storage), loaded in $(( (t1 - t0) / 1000000 )) ms as $image"

# a real node has /var/run/netns as a shared mount (ip netns makes it one): HostToContainer needs that
mkdir -p "$hr/var/run/netns"
mount --bind "$hr/var/run/netns" "$hr/var/run/netns"
mount --make-shared "$hr/var/run/netns"

# ---- init container: the conflist comes in through the ConfigMap key, as an operator would give it
subnet=10.250.$(( $$ % 200 )).0/24
cat > "$tmp/conflist" <<EOF
{"cniVersion":"1.0.0","name":"$P-net","plugins":[
 {"type":"bridge","bridge":"$P-br0","isGateway":true,"ipMasq":true,"ipam":{"type":"host-local","subnet":"$subnet"}},
 {"type":"portmap","capabilities":{"portMappings":true}}]}
EOF
declare -a a
mapfile -d '' a < <(args install --prepare --configmap "jcni-config/cni-conflist=$tmp/conflist") || die "podman-args install"
echo "+ podman run --rm --name $P-install ${a[*]}" | sed "s|$tmp|\$TMP|g"
t0=$(date +%s%N)
pm run --rm --name "$P-install" "${lim[@]}" "${a[@]}" || die "the init container failed"
t1=$(date +%s%N)
echo "init container: $(( (t1 - t0) / 1000000 )) ms"
check "init: /opt/jcni/current is a link to the version" test -L "$hr/opt/jcni/current" -a -x "$hr/opt/jcni/current/bin/jcni"
for t in bridge host-local portmap ptp loopback vxlan; do
  check "init: /opt/cni/bin/$t placed -> $(readlink "$hr/opt/cni/bin/$t")" test -L "$hr/opt/cni/bin/$t"
done
check "init: no example plugins in /opt/cni/bin" test ! -e "$hr/opt/cni/bin/debug" -a ! -e "$hr/opt/cni/bin/mycni"
check "init: conflist from the ConfigMap in /etc/cni/net.d" \
  test "$(cat "$tmp/conflist")" = "$(cat "$hr/etc/cni/net.d/10-jcni.conflist" 2>&1)"

# ---- main containers
mapfile -d '' a < <(args daemon --prepare) || die "podman-args daemon"
echo "+ podman run -d --name $P-daemon ${a[*]}" | sed "s|$tmp|\$TMP|g"
t_start=$(date +%s%N)
pm run -d --name "$P-daemon" "${lim[@]}" "${a[@]}" >/dev/null || die "the daemon container did not start"
mapfile -d '' probe < <(args daemon --probe)
ready=0
for _ in $(seq 1 300); do
  if pm exec "$P-daemon" "${probe[@]}" 2>/dev/null; then ready=1; break; fi
  pm container exists "$P-daemon" && [ "$(pm inspect -f '{{.State.Running}}' "$P-daemon")" = true ] || break
  sleep 0.1
done
t_ready=$(date +%s%N)
[ "$ready" = 1 ] || { pm logs "$P-daemon" | tail -20; die "daemon: readiness probe (${probe[*]}) never passed"; }
pass "daemon: readiness probe passed $(( (t_ready - t_start) / 1000000 )) ms after podman run"

# HostToContainer: a namespace mounted on the host after the container started shows up inside it
touch "$hr/var/run/netns/$P-late"
mount --bind "/run/netns/$JIM_P1" "$hr/var/run/netns/$P-late"
check "daemon: /var/run/netns propagates host mounts into the container (HostToContainer)" \
  test "$(pm exec "$P-daemon" stat -f -c %T "/var/run/netns/$P-late" 2>&1)" = nsfs
umount "$hr/var/run/netns/$P-late"; rm -f "$hr/var/run/netns/$P-late"

# ---- pods, through the installed shims, in this node namespace. The shims link into /opt/jcni/current: the
# scratch host's /opt is bound over /opt in this mount namespace only. The daemon's socket is the scratch host's.
mount --bind "$hr/opt" /opt
rt() {
  JCNI_SOCKET=$hr/run/jcni/jcni.sock JCNI_SHIM_DEBUG=1 "$JIM_CLI" "$@" --exec-only --conf-dir "$hr/etc/cni/net.d" --cni-path /opt/cni/bin \
    --cache-dir "$tmp/cache"
}
t_first=
for i in 1 2; do
  ns=$(eval echo "\$JIM_P$i")
  cap='{"portMappings":[{"hostPort":'$((18080 + i))',"containerPort":80,"protocol":"tcp"}]}'
  if out=$(rt add "$P-net" "$ns" --container-id "$P-c$i" --cap "$cap" 2>"$tmp/add$i.err"); then
    [ -n "$t_first" ] || t_first=$(date +%s%N)
    pass "pod $i: ADD $(echo "$out" | tr -d ' \n' | grep -o '"address":"[^"]*"' | head -1)"
  else
    failed "pod $i: ADD: $out $(cat "$tmp/add$i.err")"
  fi
  check "pod $i: bridge (host-local in-process) and portmap served by the daemon in the container" \
    test "$(grep -c -e '^jcni-shim: bridge ADD: resident' -e '^jcni-shim: portmap ADD: resident' "$tmp/add$i.err")" = 2
done
[ -n "$t_first" ] && echo "install (init container start) to first served ADD: $(( (t_first - t0) / 1000000 )) ms"
ip1=$(ip -n "$JIM_P1" -4 -o addr show eth0 | awk '{print $4}' | cut -d/ -f1)
ip2=$(ip -n "$JIM_P2" -4 -o addr show eth0 | awk '{print $4}' | cut -d/ -f1)
check "ping pod 1 ($ip1) -> pod 2 ($ip2)" quiet ip netns exec "$JIM_P1" ping -c 2 -W 2 "$ip2"
check "ping pod 2 -> pod 1" quiet ip netns exec "$JIM_P2" ping -c 2 -W 2 "$ip1"
check "host-local leases written by the daemon under the host's /var/lib/cni" \
  test -f "$hr/var/lib/cni/networks/$P-net/$ip1" -a -f "$hr/var/lib/cni/networks/$P-net/$ip2"
check "portmap: the node's ruleset has the hostPorts (nft/iptables from the image)" \
  sh -c "{ nft list ruleset; iptables-save 2>/dev/null; } | grep -q 18081"
status=$(pm exec "$P-daemon" /jcni/bin/jcni daemon status --socket /run/jcni/jcni.sock 2>&1 || true)
echo "$status" | sed -n '1,3p;/by type/,/latency/p' | sed 's/^/  daemon status: /'
check "daemon status counts the calls" sh -c "echo '$status' | grep -Eq 'bridge ADD +2 calls'"

for i in 1 2; do
  ns=$(eval echo "\$JIM_P$i")
  cap='{"portMappings":[{"hostPort":'$((18080 + i))',"containerPort":80,"protocol":"tcp"}]}'
  if rt del "$P-net" "$ns" --container-id "$P-c$i" --cap "$cap" >"$tmp/del$i.out" 2>"$tmp/del$i.err" \
    && [ "$(grep -c -e '^jcni-shim: bridge DEL: resident' -e '^jcni-shim: portmap DEL: resident' "$tmp/del$i.err")" = 2 ]; then
    pass "pod $i: DEL served by the daemon"
  else
    failed "pod $i: DEL: $(cat "$tmp/del$i.out" "$tmp/del$i.err")"
  fi
done
check "DEL: leases released" test -z "$(ls "$hr/var/lib/cni/networks/$P-net" | grep -v -e lock -e last_reserved)"
check "DEL: hostPorts gone from the ruleset" sh -c "! { nft list ruleset; iptables-save 2>/dev/null; } | grep -q 18081"
ip link del "$P-br0" 2>/dev/null || true

# ---- vxlan agent: against a fake API server on the node (127.0.0.1 in the node's namespace), given what the
# kubelet injects for the pod's service account (token, ca.crt, namespace; KUBERNETES_SERVICE_HOST/PORT)
ip link add "$P-ul" type veth peer name "$P-ul1" && ip link set "$P-ul1" up && ip addr add 192.168.251.1/24 dev "$P-ul" && ip link set "$P-ul" up
sa=$tmp/sa
mkdir -p "$sa"
openssl req -x509 -newkey rsa:2048 -nodes -keyout "$tmp/api.key" -out "$sa/ca.crt" -subj "/CN=$P-api" \
  -addext subjectAltName=IP:127.0.0.1 -days 1 2>/dev/null || die "openssl: no test certificate"
printf %s "$P-token" > "$sa/token"   # no newline, as the kubelet writes it
printf kube-system > "$sa/namespace"
node_json() { # name internalIP podCIDR
  printf '{"apiVersion":"v1","kind":"Node","metadata":{"name":"%s","uid":"%s","resourceVersion":"1"},' "$1" "$1"
  printf '"spec":{"podCIDR":"%s"},"status":{"addresses":[{"type":"InternalIP","address":"%s"}]}}' "$3" "$2"
}
echo "[$(node_json "$P-node" 192.168.251.1 10.251.1.0/24),$(node_json "$P-peer" 192.168.251.2 10.251.2.0/24)]" \
  > "$tmp/nodes.json"
port=16443
python3 "$here/fake-apiserver.py" 127.0.0.1 "$port" "$sa/ca.crt" "$tmp/api.key" "$tmp/nodes.json" 2>"$tmp/api.log" &
api_pid=$!
mapfile -d '' a < <(args vxlan-agent --prepare --kubelet-env KUBERNETES_SERVICE_HOST=127.0.0.1 \
  --kubelet-env "KUBERNETES_SERVICE_PORT=$port" --kubelet-mount "$sa:/var/run/secrets/kubernetes.io/serviceaccount:ro") \
  || die "podman-args vxlan-agent"
echo "+ podman run -d --name $P-agent ${a[*]}" | sed "s|$tmp|\$TMP|g"
t_start=$(date +%s%N)
pm run -d --name "$P-agent" "${lim[@]}" "${a[@]}" >/dev/null || die "the vxlan-agent container did not start"
mapfile -d '' probe < <(args vxlan-agent --probe)
ready=0
for _ in $(seq 1 600); do
  if pm exec "$P-agent" "${probe[@]}" 2>/dev/null; then ready=1; break; fi
  [ "$(pm inspect -f '{{.State.Running}}' "$P-agent" 2>/dev/null)" = true ] || break
  sleep 0.1
done
t_ready=$(date +%s%N)
if [ "$ready" = 1 ]; then
  pass "vxlan-agent: readiness probe passed $(( (t_ready - t_start) / 1000000 )) ms after podman run (TLS + service account)"
else
  failed "vxlan-agent: readiness probe (${probe[*]}) never passed"
  pm logs "$P-agent" 2>&1 | grep -v "^\s*at " | tail -15
  tail -5 "$tmp/api.log"
fi
check "vxlan-agent: VTEP jcni.vxlan1 in the node's namespace, route to the peer's pod subnet" \
  sh -c "ip -d link show jcni.vxlan1 | grep -q 'vxlan id 1' && ip route show 10.251.2.0/24 | grep -q 'dev jcni.vxlan1'"
check "vxlan-agent: peers file on the host's /run/jcni" grep -q "\"$P-peer\"" "$hr/run/jcni/vxlan-peers.json"
pm logs "$P-agent" 2>&1 | grep -m3 -e 'node added' -e 'replace route' | sed 's/^/  agent log: /' || true
pm stop -t 30 "$P-agent" >/dev/null
check "vxlan-agent: SIGTERM removes the ready file" test ! -e "$hr/run/jcni/vxlan-ready"
kill "$api_pid" 2>/dev/null; wait "$api_pid" 2>/dev/null || true
ip link del jcni.vxlan1 2>/dev/null || true
ip link del "$P-ul" 2>/dev/null || true

# ---- SIGTERM: the daemon stops cleanly within the grace period and removes its socket
t0=$(date +%s%N)
pm stop -t 40 "$P-daemon" >/dev/null
code=$(pm inspect -f '{{.State.ExitCode}}' "$P-daemon")
check "daemon: exits 0 on SIGTERM ($(( ($(date +%s%N) - t0) / 1000000 )) ms), socket removed" \
  test "$code" = 0 -a ! -e "$hr/run/jcni/jcni.sock"

echo "podman-run: $ok passed, $bad failed"
[ "$bad" = 0 ]
