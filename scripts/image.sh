#!/usr/bin/env bash
# The image job: builds the node image (image/target/jcni-image-<version>.oci.tar) with the Maven build, no
# container daemon, then runs it with podman exactly as deploy/jcni.yaml says (deploy/test/podman-run.sh: init
# container installs the plugins into a scratch host, daemon and vxlan agent containers, two pods driven through
# the installed shims). Root. Prints the image size, the build time and the test's timings.
# Options go to Maven, e.g. -o, -Djcni.dist.skipArchives=true (the image ships no class-data archives),
# -Djcni.image.mirror=http://snapshot.debian.org/archive/debian/20250520T000000Z (pins the Debian base).
set -euo pipefail
cd "$(dirname "$0")/.."
[ "$(id -u)" = 0 ] || { echo "scripts/image.sh: needs root (mmdebstrap, podman, network namespaces)" >&2; exit 1; }
bash scripts/setup.sh image
t0=$(date +%s)
mvn -B -ntp -q -Pimage -pl image -am package -DskipTests "$@"
t1=$(date +%s)
echo "== image built by Maven in $((t1 - t0)) s (dist, node-agent and the image; the Debian base is cached in ~/.cache/jcni/image)"
bash deploy/test/podman-run.sh
