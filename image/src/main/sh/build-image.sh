#!/usr/bin/env bash
# Builds the jcni node image as an OCI archive without a container daemon or registry:
#   layer 1: a Debian bookworm minbase rootfs with the tools the plugins exec (mmdebstrap, cached by its inputs)
#   layer 2: /jcni = the dist tree (shims, launchers, jars), the node-agent, a jlinked Java runtime, image scripts
# then writes the OCI layout (blobs, config, manifest, index.json) by hand and tars it (podman load -i / skopeo).
# Reproducible: fixed mtimes (SOURCE_DATE_EPOCH, default the last commit's time), sorted entries, uid/gid 0,
# gzip -n. The base layer is reproducible for the same Debian package versions (mmdebstrap honours
# SOURCE_DATE_EPOCH); pin them with --mirror pointing at a snapshot.debian.org date.
#
# usage: build-image.sh --dist DIR --agent DIR --out DIR --version V [--java-home DIR] [--base-cache DIR]
#                       [--mirror URL] [--rebuild-base]
# Needs root (mmdebstrap in root mode), the Debian packages mmdebstrap and a JDK with jlink.
set -euo pipefail

here=$(cd "$(dirname "$0")" && pwd)
dist= agent= out= version= java_home=${JAVA_HOME:-} base_cache=${XDG_CACHE_HOME:-$HOME/.cache}/jcni/image
mirror=${JCNI_IMAGE_MIRROR:-} rebuild_base=0
while [ $# -gt 0 ]; do
  case "$1" in
    --dist) dist=$2; shift 2 ;;
    --agent) agent=$2; shift 2 ;;
    --out) out=$2; shift 2 ;;
    --version) version=$2; shift 2 ;;
    --java-home) java_home=$2; shift 2 ;;
    --base-cache) base_cache=$2; shift 2 ;;
    --mirror) mirror=$2; shift 2 ;;
    --rebuild-base) rebuild_base=1; shift ;;
    *) echo "build-image.sh: unknown option $1" >&2; exit 2 ;;
  esac
done
[ -n "$dist" ] && [ -n "$agent" ] && [ -n "$out" ] && [ -n "$version" ] \
  || { echo "usage: build-image.sh --dist DIR --agent DIR --out DIR --version V" >&2; exit 2; }
[ -n "$java_home" ] || java_home=$(dirname "$(dirname "$(readlink -f "$(command -v java)")")")
[ "$(id -u)" = 0 ] || { echo "build-image.sh: mmdebstrap needs root" >&2; exit 1; }
for tool in mmdebstrap:mmdebstrap sha256sum:coreutils gzip:gzip tar:tar; do
  command -v "${tool%%:*}" >/dev/null || { echo "build-image.sh: ${tool%%:*} missing (Debian package ${tool##*:})" >&2; exit 1; }
done
[ -x "$java_home/bin/jlink" ] || { echo "build-image.sh: no jlink in $java_home (a JDK is needed, not a JRE)" >&2; exit 1; }

# The dist tree: new layout dist/target/jcni/{bin,libexec,lib}, else the old dist/{bin,libexec,lib}.
if [ -d "$dist/target/jcni/bin" ]; then tree=$dist/target/jcni; else tree=$dist; fi
[ -x "$tree/bin/jcni" ] && [ -x "$tree/libexec/jcni-shim" ] \
  || { echo "build-image.sh: no dist tree in $dist (run: mvn -pl dist -am package)" >&2; exit 1; }
agent_jar=$(ls "$agent"/node-agent-*.jar 2>/dev/null | grep -v -- '-sources.jar$' | head -1)
[ -n "$agent_jar" ] && [ -d "$agent/lib" ] || { echo "build-image.sh: no node-agent jar in $agent" >&2; exit 1; }

if [ -z "${SOURCE_DATE_EPOCH:-}" ]; then
  SOURCE_DATE_EPOCH=$(git -C "$here" log -1 --format=%ct 2>/dev/null || echo 0)
fi
export SOURCE_DATE_EPOCH
created=$(date -u -d "@$SOURCE_DATE_EPOCH" +%Y-%m-%dT%H:%M:%SZ)
case "$(uname -m)" in x86_64) arch=amd64 ;; aarch64) arch=arm64 ;; *) arch=$(uname -m) ;; esac

t0=$(date +%s%N)
work=$out/image-work
rm -rf "$work"; mkdir -p "$work" "$base_cache"
trap 'rm -rf "$work"' EXIT

# ---- layer 1: Debian base. nft/iptables/conntrack: what the plugins exec (ProcessRunner, fixed system PATH).
suite=bookworm
packages=nftables,iptables,conntrack
base_epoch=1735689600   # fixed, so the base does not change with every commit
key=$(printf '%s\n' "$suite" minbase "$packages" "$mirror" "$base_epoch" "$arch" v1 | sha256sum | cut -c1-16)
base=$base_cache/base-$suite-$key.tar
if [ "$rebuild_base" = 1 ] || [ ! -s "$base" ]; then
  echo "jcni image: building the Debian $suite base ($packages) with mmdebstrap"
  SOURCE_DATE_EPOCH=$base_epoch mmdebstrap --quiet --variant=minbase --architectures="$arch" \
    --include="$packages" \
    --dpkgopt='path-exclude=/usr/share/man/*' --dpkgopt='path-exclude=/usr/share/doc/*' \
    --dpkgopt='path-include=/usr/share/doc/*/copyright' --dpkgopt='path-exclude=/usr/share/locale/*' \
    --dpkgopt='path-exclude=/usr/share/info/*' \
    "$suite" "$base_cache/.tmp-$key.tar" ${mirror:+"$mirror"}   # the .tar suffix picks mmdebstrap's output format
  mv -f "$base_cache/.tmp-$key.tar" "$base"
else
  echo "jcni image: Debian base from cache $base"
fi

# ---- layer 2: /jcni
stage=$work/stage/jcni
mkdir -p "$stage"
if [ "$tree" = "$dist" ]; then   # old layout: the tree's entries sit among the module's sources
  cp -a "$tree/bin" "$tree/libexec" "$tree/lib" "$stage/"
  for e in runtime VERSION; do [ ! -e "$tree/$e" ] || cp -a "$tree/$e" "$stage/"; done
else
  cp -a "$tree/." "$stage/"
fi
# class-data archives are only valid for the lib/ path and JDK build they were made with: not shipped (`jcni
# install` trains its own for the installed path)
find "$stage/lib" -maxdepth 1 \( -name '*.jsa' -o -name '*.aot' -o -name '*.aot.config' \) -delete
mkdir -p "$stage/node-agent"
cp -a "$agent/lib" "$stage/node-agent/lib"
cp -a "$agent_jar" "$stage/node-agent/node-agent.jar"
# Two Java runtimes. /jcni/runtime is the dist's jlinked runtime/ when the dist has one (the launchers prefer it, and
# `jcni install` copies it onto the node), else the same module set jlinked here: the plugins and the daemon need
# java.base, java.logging, jdk.unsupported (jffi, signals). The node agent gets a larger one of its own, so the
# nodes do not carry fabric8's modules: jdeps adds java.net.http, java.sql and java.desktop (java.beans) for fabric8
# and snakeyaml; jdk.crypto.ec for ECDHE TLS to the API server; naming/management/xml/jgss/zipfs for the client's
# optional paths (auth providers, kubeconfig parsing).
# JAVA_RUNTIME_VERSION in release, as the dist's own runtime has it: launchers and `jcni install` name class-data
# archives after it
jrv=$(sed -n 's/^JAVA_RUNTIME_VERSION="\(.*\)"$/\1/p' "$java_home/release")
[ -n "$jrv" ] || jrv=$("$java_home/bin/java" -XshowSettings:properties -version 2>&1 | sed -n 's/^ *java.runtime.version = //p')
jl() { "$java_home/bin/jlink" --add-modules "$1" --strip-debug --no-header-files --no-man-pages \
  --release-info "add:JAVA_RUNTIME_VERSION=$jrv-jlinked" --output "$2"; }
[ -x "$stage/runtime/bin/java" ] || jl java.base,java.logging,jdk.unsupported "$stage/runtime"
jl java.base,java.desktop,java.logging,java.management,java.naming,java.net.http,java.security.jgss,java.sql,java.xml,jdk.crypto.ec,jdk.unsupported,jdk.zipfs \
  "$stage/node-agent/runtime"
# entrypoint scripts of the image (see image/README.md)
mkdir -p "$stage/image"
for f in init install-standin node-agent; do install -m 0755 "$here/$f" "$stage/image/$f"; done
[ -f "$tree/VERSION" ] && cp -a "$tree/VERSION" "$stage/VERSION" || printf '%s\n' "$version" > "$stage/VERSION"

# ---- reproducible tar/gzip helpers
rtar() { # rtar OUT DIR ENTRY...: sorted, fixed mtime, root-owned, no atime/ctime
  local o=$1 d=$2; shift 2
  tar --sort=name --mtime="@$SOURCE_DATE_EPOCH" --clamp-mtime --owner=0 --group=0 --numeric-owner \
    --mode='go-w' --format=posix --pax-option='exthdr.name=%d/PaxHeaders/%f,delete=atime,delete=ctime' \
    -C "$d" -cf "$o" "$@"
}
blobs=$work/layout/blobs/sha256
mkdir -p "$blobs"
sha() { sha256sum "$1" | cut -d' ' -f1; }
size() { stat -c %s "$1"; }
add_layer() { # add_layer TAR -> sets diff, dig, len
  diff=$(sha "$1")
  gzip -n -6 -c "$1" > "$work/layer.gz"
  dig=$(sha "$work/layer.gz"); len=$(size "$work/layer.gz")
  mv "$work/layer.gz" "$blobs/$dig"
}
add_layer "$base"; base_diff=$diff base_dig=$dig base_len=$len
rtar "$work/jcni.tar" "$work/stage" jcni
add_layer "$work/jcni.tar"; jcni_diff=$diff jcni_dig=$dig jcni_len=$len

# ---- config, manifest, index
env_json='"PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin","JAVA_HOME=/jcni/runtime","JCNI_HOME=/jcni","LC_ALL=C.UTF-8"'
cat > "$work/config.json" <<EOF
{"architecture":"$arch","os":"linux","created":"$created","config":{"Env":[$env_json],"Entrypoint":["/jcni/bin/jcni"],"Cmd":["daemon"],"WorkingDir":"/","Labels":{"org.opencontainers.image.title":"jcni","org.opencontainers.image.version":"$version","org.opencontainers.image.created":"$created"}},"rootfs":{"type":"layers","diff_ids":["sha256:$base_diff","sha256:$jcni_diff"]},"history":[{"created":"$created","created_by":"mmdebstrap --variant=minbase --include=$packages $suite"},{"created":"$created","created_by":"jcni $version: /jcni (dist, node-agent, jlinked runtime)"}]}
EOF
cfg_dig=$(sha "$work/config.json"); cfg_len=$(size "$work/config.json"); mv "$work/config.json" "$blobs/$cfg_dig"
cat > "$work/manifest.json" <<EOF
{"schemaVersion":2,"mediaType":"application/vnd.oci.image.manifest.v1+json","config":{"mediaType":"application/vnd.oci.image.config.v1+json","digest":"sha256:$cfg_dig","size":$cfg_len},"layers":[{"mediaType":"application/vnd.oci.image.layer.v1.tar+gzip","digest":"sha256:$base_dig","size":$base_len},{"mediaType":"application/vnd.oci.image.layer.v1.tar+gzip","digest":"sha256:$jcni_dig","size":$jcni_len}],"annotations":{"org.opencontainers.image.version":"$version","org.opencontainers.image.created":"$created"}}
EOF
man_dig=$(sha "$work/manifest.json"); man_len=$(size "$work/manifest.json"); mv "$work/manifest.json" "$blobs/$man_dig"
ref=jcni/jcni:$version
cat > "$work/layout/index.json" <<EOF
{"schemaVersion":2,"manifests":[{"mediaType":"application/vnd.oci.image.manifest.v1+json","digest":"sha256:$man_dig","size":$man_len,"annotations":{"org.opencontainers.image.ref.name":"$ref"}}]}
EOF
printf '{"imageLayoutVersion":"1.0.0"}' > "$work/layout/oci-layout"

archive=$out/jcni-image-$version.oci.tar
rtar "$archive.tmp" "$work/layout" oci-layout index.json blobs
mv -f "$archive.tmp" "$archive"
printf 'sha256:%s\n' "$man_dig" > "$out/jcni-image-$version.digest"
t1=$(date +%s%N)
unpacked=$(( $(size "$base") + $(size "$work/jcni.tar") ))
echo "jcni image: $archive (manifest sha256:$man_dig)"
awk -v a="$(size "$archive")" -v b="$base_len" -v j="$jcni_len" -v u="$unpacked" -v t=$((t1 - t0)) 'BEGIN {
  printf "jcni image: archive %.1f MiB (base layer %.1f MiB gz, jcni layer %.1f MiB gz), unpacked %.1f MiB, built in %.1f s\n",
    a / 1048576, b / 1048576, j / 1048576, u / 1048576, t / 1e9 }'
