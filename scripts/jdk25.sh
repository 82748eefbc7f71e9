#!/usr/bin/env bash
# The JDK 25 pass of CI: tests of the library layers on Temurin 25 (compiled for --release 17 as always), then
# the packaged launchers run by JDK 25. Run after scripts/test.sh (it uses the packaged dist/).
set -euo pipefail
cd "$(dirname "$0")/.."
jdk=${JDK25_HOME:-/usr/lib/jvm/temurin-25-jdk-amd64}
if [ ! -x "$jdk/bin/java" ]; then
  echo "JDK 25 pass skipped: no JDK 25 at $jdk (set JDK25_HOME)"
  exit 0
fi
echo "== JDK 25: $("$jdk/bin/java" -version 2>&1 | head -1)"
# FfmBackendTest and the virtual-thread NetNs test run for real here (they skip on 17)
JAVA_HOME=$jdk mvn -B -ntp -o test -pl cni-spec,cni-api,cni-system,cni-netlink,cni-runtime,plugins-ipam -am
# smoke: the packaged plugins, started by JDK 25, in a namespace of our own
ns=jci25-$$
cleanup() { ip netns del "$ns" 2>/dev/null || true; }
trap cleanup EXIT
ip netns add "$ns"
out=$(echo '{"cniVersion":"1.1.0"}' | JCNI_JAVA_HOME=$jdk CNI_COMMAND=VERSION dist/target/jcni/bin/loopback)
echo "$out" | grep -q '"supportedVersions"' || { echo "JDK 25 VERSION smoke failed: $out"; exit 1; }
conf='{"cniVersion":"1.1.0","name":"jci25","type":"loopback"}'
out=$(echo "$conf" | JCNI_JAVA_HOME=$jdk CNI_COMMAND=ADD CNI_CONTAINERID=c25 CNI_NETNS=/run/netns/$ns CNI_IFNAME=lo \
  CNI_PATH=dist/target/jcni/bin dist/target/jcni/bin/loopback)
echo "$out" | grep -q '"interfaces"' || { echo "JDK 25 loopback ADD smoke failed: $out"; exit 1; }
ip -n "$ns" link show lo | grep -q 'UP' || { echo "JDK 25 smoke: lo is not up"; exit 1; }
echo "$conf" | JCNI_JAVA_HOME=$jdk CNI_COMMAND=DEL CNI_CONTAINERID=c25 CNI_NETNS=/run/netns/$ns CNI_IFNAME=lo \
  CNI_PATH=dist/target/jcni/bin dist/target/jcni/bin/loopback
echo "JDK 25 smoke: 1 passed, 0 failed"
