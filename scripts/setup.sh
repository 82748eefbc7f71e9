#!/usr/bin/env bash
# Installs the Debian packages a job needs before it starts, so a fresh Debian 12 machine (JDK 17, Maven and
# iproute2 only) runs the README's commands without a failure half-way through. Usage: setup.sh demo|test|image
# Says which packages it installs; a package that cannot be had stops here with one line naming it.
set -euo pipefail
job=${1:-test}
# tool -> Debian package; what each job needs
demo_pkgs=(maven:mvn iproute2:ip iputils-ping:ping netcat-openbsd:nc nftables:nft iptables:iptables gcc:gcc libc6-dev:)
test_pkgs=("${demo_pkgs[@]}" conntrack:conntrack containernetworking-plugins: iperf3:iperf3 musl-tools:musl-gcc python3:python3 time: util-linux:setpriv podman:podman)
image_pkgs=("${demo_pkgs[@]}" musl-tools:musl-gcc python3:python3 python3-yaml: openssl:openssl podman:podman mmdebstrap:mmdebstrap)   # image job: scripts/image.sh
case "$job" in
  image) want=("${image_pkgs[@]}") ;;
  demo) want=("${demo_pkgs[@]}") ;;
  test) want=("${test_pkgs[@]}") ;;
  *) echo "usage: $0 demo|test|image" >&2; exit 2 ;;
esac
need=()
for entry in "${want[@]}"; do
  pkg=${entry%%:*}
  dpkg -s "$pkg" >/dev/null 2>&1 || need+=("$pkg")
done
[ ${#need[@]} -eq 0 ] && exit 0
if [ "$(id -u)" != 0 ]; then
  echo "jcni $job needs these Debian packages: ${need[*]} (run as root, or: sudo apt-get install ${need[*]})" >&2
  # without root the root-only tests skip anyway; the demo checks for root itself
  [ "$job" = test ] && exit 0 || exit 1
fi
echo "== installing Debian packages for the $job: ${need[*]}"
export DEBIAN_FRONTEND=noninteractive
apt-get update -qq >/dev/null 2>&1 || true
for pkg in "${need[@]}"; do
  if ! apt-get install -y -qq --no-install-recommends "$pkg" >/dev/null 2>&1; then
    echo "jcni $job: the Debian package '$pkg' could not be installed (apt-get install $pkg failed); install it and run again" >&2
    exit 1
  fi
done
