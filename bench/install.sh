#!/usr/bin/env bash
# The operator's path, measured in scratch directories (never /opt/jcni, /opt/cni/bin or /etc/systemd): the release
# tarball's size, the installed size, and the time from `jcni install` starting to the first call served through
# the CNI bin directory, on the direct path (a JVM per call) and resident (a `jcni daemon` started from the
# installed tree on a scratch socket), against the Go reference plugins' installed size.
#
#   sudo bash bench/install.sh            (after mvn package; root only for the resident part)
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
go=${GO_CNI:-/usr/lib/cni}
tgz=$(ls "$root"/dist/target/jcni-*-linux-*.tar.gz 2>/dev/null | head -1)
[ -n "$tgz" ] || { echo "no dist/target/jcni-*-linux-*.tar.gz: run 'mvn -q package -DskipTests' first" >&2; exit 1; }
tmp=$(mktemp -d /tmp/jin-bench-install.XXXXXX)
daemon=
cleanup() {
  [ -n "$daemon" ] && kill "$daemon" 2>/dev/null && wait "$daemon" 2>/dev/null || true
  rm -rf "$tmp"
}
trap cleanup EXIT
now() { date +%s%N; }
msince() { echo $(( ($(now) - $1) / 1000000 )); }
kib() { du -sk "$1" | cut -f1; }

tar xzf "$tgz" -C "$tmp"
x=$(ls -d "$tmp"/jcni-*/)
x=${x%/}
prefix=$tmp/opt-jcni bin=$tmp/cni-bin
mkdir -p "$bin"
version='{"cniVersion":"1.0.0"}'

echo "== jcni install (class-data archives made for the node) -> first direct call through $bin/host-local"
t0=$(now)
"$x/bin/jcni" install --prefix "$prefix" --bin-dir "$bin" --no-systemd --unit-dir "$tmp/units" > "$tmp/install.log"
t_install=$(msince "$t0")
echo "$version" | CNI_COMMAND=VERSION JCNI_DIRECT=1 "$bin/host-local" > /dev/null
t_direct=$(msince "$t0")
sed 's/^/  /' "$tmp/install.log"

t_resident=-
if [ "$(id -u)" = 0 ]; then
  echo "== jcni daemon from the installed tree -> first resident call"
  t1=$(now)
  "$prefix/current/bin/jcni" daemon --socket "$tmp/jcni.sock" > "$tmp/daemon.log" 2>&1 &
  daemon=$!
  for _ in $(seq 600); do
    if echo "$version" | CNI_COMMAND=VERSION JCNI_SOCKET=$tmp/jcni.sock JCNI_SHIM_DEBUG=1 "$bin/host-local" 2>&1 \
        >/dev/null | grep -q resident; then break; fi
    sleep 0.05
  done
  t_resident=$(( t_install + $(msince "$t1") ))
fi

echo "== no-archive install (what --no-archives saves) into a second prefix"
t0=$(now)
"$x/bin/jcni" install --prefix "$tmp/opt-jcni2" --bin-dir "$(mkdir -p "$tmp/cni-bin2" && echo "$tmp/cni-bin2")" \
  --no-systemd --no-daemon --no-archives > /dev/null
echo "$version" | CNI_COMMAND=VERSION JCNI_DIRECT=1 "$tmp/cni-bin2/host-local" > /dev/null
t_direct_noarch=$(msince "$t0")

v=$(cat "$x/VERSION")
printf '\n%-58s %10s\n' "figure" "value"
printf '%-58s %7s KiB\n' "release tarball $(basename "$tgz")" "$(( $(stat -c %s "$tgz") / 1024 ))"
printf '%-58s %7s KiB\n' "installed tree $prefix/$v" "$(kib "$prefix/$v")"
printf '%-58s %7s KiB\n' "  of which runtime/ (jlinked JDK)" "$(kib "$prefix/$v/runtime")"
printf '%-58s %7s KiB\n' "  of which lib/ (jars, jffi, class-data archive)" "$(kib "$prefix/$v/lib")"
printf '%-58s %7s KiB\n' "Go reference plugins installed ($go)" "$(kib "$go")"
gotgz=$(tar czf - -C "$go" . | wc -c)
printf '%-58s %7s KiB  (jcni/Go %s)\n' "Go reference plugins as a .tar.gz (made here, gzip -6)" "$(( gotgz / 1024 ))" \
  "$(awk -v a="$(stat -c %s "$tgz")" -v b="$gotgz" 'BEGIN { printf "%.2f", a / b }')"
printf '%-58s %7s ms\n' "jcni install (copy, archives, smoke call, links)" "$t_install"
printf '%-58s %7s ms\n' "install start -> first served call, direct" "$t_direct"
printf '%-58s %7s ms\n' "install start -> first served call, resident" "$t_resident"
printf '%-58s %7s ms\n' "install --no-archives start -> first direct call" "$t_direct_noarch"
