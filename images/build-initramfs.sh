#!/bin/sh
# Builds the edge-agent device image for QEMU/x86-64: a kernel and an
# initramfs holding busybox, the compiled agent, the libraries it loads and
# images/init as PID 1. Everything comes from Debian packages fetched with
# `apt-get download` and unpacked with `dpkg-deb -x`; nothing is installed on
# the host.
#
# usage: images/build-initramfs.sh [--agent FILE] [--out DIR] [--release NAME]
#   --agent FILE    compiled agent (default dist/edge-agent; `npm run build`)
#   --out DIR       where vmlinuz and initrd.img go (default dist/image)
#   --release NAME  /etc/eve-release, the version the device quotes (default edge-image)
# environment:
#   EDGE_AGENT_IMAGE_CACHE   cache dir (default ~/.cache/edge-agent/images)
#   EDGE_AGENT_IMAGE_KERNEL  kernel package (default: what linux-image-cloud-amd64 depends on)
#
# The initrd is two archives back to back: a gzip "base" (busybox, libraries,
# kernel modules, CA certificates), built once per package set and cached, and
# an uncompressed archive with the agent and init, rebuilt every run. The
# agent is ~110 MB of mostly incompressible-at-speed code; gunzipping it under
# TCG costs seconds per boot, copying it costs nothing.
set -eu

# depmod lives in /usr/sbin, which a non-root PATH may lack.
PATH=$PATH:/usr/sbin:/sbin
HERE=$(cd "$(dirname "$0")" && pwd)
REPO=$(dirname "$HERE")
AGENT="$REPO/dist/edge-agent"
OUT="$REPO/dist/image"
RELEASE=edge-image
while [ $# -gt 0 ]; do
  case "$1" in
    --agent) AGENT=$2; shift 2 ;;
    --out) OUT=$2; shift 2 ;;
    --release) RELEASE=$2; shift 2 ;;
    -h|--help) sed -n '2,17p' "$0" | sed 's/^# \{0,1\}//'; exit 0 ;;
    *) echo "build-initramfs: unknown argument $1" >&2; exit 2 ;;
  esac
done
CACHE=${EDGE_AGENT_IMAGE_CACHE:-${XDG_CACHE_HOME:-$HOME/.cache}/edge-agent/images}
DEBS="$CACHE/debs"
ARCH_LIB=usr/lib/x86_64-linux-gnu

say() { echo "build-initramfs: $*" >&2; }
die() { say "$*"; exit 1; }

[ -x "$AGENT" ] || die "no agent executable at $AGENT (run: npm run build)"
for tool in apt-get dpkg-deb cpio gzip depmod ldd sha256sum; do
  command -v "$tool" >/dev/null 2>&1 || die "missing host tool: $tool (Debian: apt-get install cpio kmod)"
done
mkdir -p "$DEBS" "$OUT"

# Packages whose files end up in the image. The tpm2-tss names are Debian 12's.
PKGS="busybox-static libc6 libssl3 libtss2-esys-3.0.2-0 libtss2-sys1 libtss2-mu0 libtss2-tctildr0 libtss2-rc0 libtss2-tcti-device0 ca-certificates"

apt_download() {
  # As root apt drops to the _apt user, which cannot write into a cache under /root.
  if [ "$(id -u)" = 0 ]; then set -- -o APT::Sandbox::User=root "$@"; fi
  (cd "$DEBS" && apt-get download -q "$@" >/dev/null)
}

refreshed=""
apt_refresh() {
  [ -z "$refreshed" ] || return 0
  refreshed=1
  if [ "$(id -u)" = 0 ]; then
    say "apt-get update"
    apt-get update -q >/dev/null || true
  fi
}

# The kernel package is resolved once and remembered, so a warm build never
# asks apt anything.
resolve_kernel() {
  KPKG=$(apt-cache depends linux-image-cloud-amd64 2>/dev/null | awk '$1 == "Depends:" && $2 ~ /^linux-image-/ { print $2; exit }')
  if [ -z "$KPKG" ]; then apt_refresh; KPKG=$(apt-cache depends linux-image-cloud-amd64 2>/dev/null | awk '$1 == "Depends:" && $2 ~ /^linux-image-/ { print $2; exit }'); fi
  [ -n "$KPKG" ] || die "cannot resolve the cloud kernel package (apt-cache depends linux-image-cloud-amd64); set EDGE_AGENT_IMAGE_KERNEL"
  echo "$KPKG" > "$CACHE/kernel-package"
}
KPKG=${EDGE_AGENT_IMAGE_KERNEL:-}
if [ -z "$KPKG" ] && [ -s "$CACHE/kernel-package" ]; then KPKG=$(cat "$CACHE/kernel-package"); fi
[ -n "$KPKG" ] || resolve_kernel

missing_debs() {
  missing=""
  for p in $PKGS $KPKG; do
    ls "$DEBS/${p}_"*.deb >/dev/null 2>&1 || missing="$missing $p"
  done
}
missing_debs
if [ -n "$missing" ]; then
  say "apt-get download$missing"
  # shellcheck disable=SC2086
  if ! apt_download $missing; then
    # Stale package lists, or a remembered kernel the mirror has dropped.
    apt_refresh
    [ -n "${EDGE_AGENT_IMAGE_KERNEL:-}" ] || resolve_kernel
    missing_debs
    # shellcheck disable=SC2086
    [ -z "$missing" ] || apt_download $missing || die "apt-get download failed for:$missing"
  fi
fi

deb_of() {
  # Newest cached version when an older one is still lying around.
  ls "$DEBS/${1}_"*.deb | sort -V | tail -n 1
}

# What the agent links against decides which libc pieces the base carries.
agent_needs=$(ldd "$AGENT" | awk '/=>/ { print $1; next } /ld-linux/ { n = split($1, p, "/"); print p[n] }' | sort -u | tr '\n' ' ')
key=$( { cat "$0"; echo "$agent_needs"; for p in $PKGS $KPKG; do basename "$(deb_of "$p")"; done; } | sha256sum | cut -c1-16)
BASE="$CACHE/base-$key"

build_base() {
  work="$CACHE/.work-$$"
  rm -rf "$work"
  mkdir -p "$work/unpack" "$work/root"
  trap 'rm -rf "$work"' EXIT
  for p in $PKGS $KPKG; do dpkg-deb -x "$(deb_of "$p")" "$work/unpack"; done
  U="$work/unpack"
  R="$work/root"

  # Merged-/usr layout: one library dir, and the paths the loader and
  # scripts expect point into it.
  mkdir -p "$R/usr/bin" "$R/$ARCH_LIB" "$R/usr/lib64" "$R/etc/ssl/certs" "$R/etc/edge-agent/agent.d" \
    "$R/proc" "$R/sys" "$R/dev" "$R/run" "$R/tmp" "$R/config" "$R/persist" "$R/root"
  ln -s usr/bin "$R/bin"
  ln -s usr/bin "$R/sbin"
  ln -s bin "$R/usr/sbin"
  ln -s usr/lib "$R/lib"
  ln -s usr/lib64 "$R/lib64"

  cp "$U/bin/busybox" "$R/usr/bin/busybox"
  for a in $("$U/bin/busybox" --list); do
    [ "$a" = busybox ] || ln -s busybox "$R/usr/bin/$a"
  done

  # Every ELF the image runs or the agent dlopens, and everything those need.
  # ldd is run with the unpacked tree first on the search path, so the
  # answers name libraries that the packages above actually ship.
  libdirs="$U/lib/x86_64-linux-gnu:$U/$ARCH_LIB"
  roots="$AGENT"
  for so in libtss2-esys.so.0 libtss2-tctildr.so.0 libtss2-rc.so.0 libtss2-mu.so.0 libtss2-tcti-device.so.0; do
    f=$(ls "$U/lib/x86_64-linux-gnu/$so" "$U/$ARCH_LIB/$so" 2>/dev/null | head -n 1)
    [ -n "$f" ] || die "$so is not in the downloaded tpm2-tss packages"
    roots="$roots $f"
  done
  names=$(for f in $roots; do
      basename "$f"
      LD_LIBRARY_PATH="$libdirs" ldd "$f" | awk '/=>/ { print $1; next } /ld-linux/ { n = split($1, p, "/"); print p[n] }'
    done | sort -u)
  for n in $names; do
    case "$n" in edge-agent|linux-vdso.so.*) continue ;; esac
    f=$(ls "$U/lib/x86_64-linux-gnu/$n" "$U/$ARCH_LIB/$n" "$U/lib64/$n" 2>/dev/null | head -n 1)
    [ -n "$f" ] || die "$n (needed by the agent or tpm2-tss) is in none of: $PKGS"
    # -L: the image keeps real files under the soname, no version symlink chains.
    cp -L "$f" "$R/$ARCH_LIB/$n"
  done
  ln -s ../lib/x86_64-linux-gnu/ld-linux-x86-64.so.2 "$R/usr/lib64/ld-linux-x86-64.so.2"

  # update-ca-certificates would run at install time; do its bundling here.
  cat "$U"/usr/share/ca-certificates/mozilla/*.crt > "$R/etc/ssl/certs/ca-certificates.crt"

  # Only the network card's and the data disk's modules, and the ciphers
  # fscrypt needs for the vault directory (AES-256-XTS is xts over ecb(aes),
  # AES-256-CTS is cts over cbc(aes), the v2 key derivation HMAC-SHA512;
  # aes, cbc, hmac and fscrypt itself are built in), with a modules.dep made
  # for exactly them (ext4 is built into the cloud kernel).
  kver=$(ls "$U/lib/modules")
  [ "$(echo "$kver" | wc -l)" = 1 ] || die "expected one kernel in the unpacked tree, found: $kver"
  depmod -b "$U" "$kver"
  mods=$(awk -F'[: ]+' '$1 ~ /\/(virtio_pci|virtio_net|virtio_blk|xts|ecb|cts|sha512_generic)\.ko$/ { for (i = 1; i <= NF; i++) if ($i != "") print $i }' \
    "$U/lib/modules/$kver/modules.dep" | sort -u)
  [ -n "$mods" ] || die "virtio_pci/virtio_net/virtio_blk modules not found in $KPKG"
  for m in $mods; do
    mkdir -p "$R/usr/lib/modules/$kver/$(dirname "$m")"
    cp "$U/lib/modules/$kver/$m" "$R/usr/lib/modules/$kver/$m"
  done
  for f in modules.order modules.builtin modules.builtin.modinfo; do cp "$U/lib/modules/$kver/$f" "$R/usr/lib/modules/$kver/"; done
  depmod -b "$R" "$kver"

  printf 'root:x:0:0:root:/root:/bin/sh\n' > "$R/etc/passwd"
  printf 'root:x:0:\ntss:x:59:\n' > "$R/etc/group"
  printf '127.0.0.1 localhost\n' > "$R/etc/hosts"
  echo edge-device > "$R/etc/hostname"

  mkdir -p "$work/base"
  cp "$U/boot/vmlinuz-$kver" "$work/base/vmlinuz"
  echo "$kver" > "$work/base/kernel-version"
  (cd "$R" && find . -mindepth 1 | sort | cpio -o -H newc -R 0:0 --quiet) | gzip -6 -n > "$work/base/base.cpio.gz"
  # The next archive must start on a 4-byte boundary for the kernel's unpacker.
  size=$(stat -c %s "$work/base/base.cpio.gz")
  pad=$(( (4 - size % 4) % 4 ))
  [ "$pad" = 0 ] || head -c "$pad" /dev/zero >> "$work/base/base.cpio.gz"
  (cd "$R" && find . -type f | sort) > "$work/base/files"
  # A concurrent build may have won the race; its base is as good as ours.
  mv -T "$work/base" "$BASE" 2>/dev/null || say "base already built by another run"
  rm -rf "$work"
  trap - EXIT
}

if [ ! -s "$BASE/base.cpio.gz" ]; then
  t0=$(date +%s)
  say "building base image $BASE"
  build_base
  say "base built in $(( $(date +%s) - t0 )) s"
  # Older bases are dead weight once the package set has moved on.
  for old in "$CACHE"/base-*; do [ "$old" = "$BASE" ] || rm -rf "$old"; done
fi

# The layer that changes with every agent build: init, the agent, its config.
layer="$OUT/.layer-$$"
rm -rf "$layer"
mkdir -p "$layer/usr/bin" "$layer/etc/edge-agent"
trap 'rm -rf "$layer"' EXIT
cp "$HERE/init" "$layer/init"
chmod 0755 "$layer/init"
cp "$HERE/agent.toml" "$layer/etc/edge-agent/agent.toml"
echo "$RELEASE" > "$layer/etc/eve-release"
cp "$AGENT" "$layer/usr/bin/edge-agent"
chmod 0755 "$layer/usr/bin/edge-agent"

tmp="$OUT/.initrd-$$"
cp "$BASE/base.cpio.gz" "$tmp"
(cd "$layer" && find . -mindepth 1 | sort | cpio -o -H newc -R 0:0 --quiet) >> "$tmp"
mv "$tmp" "$OUT/initrd.img"
cp "$BASE/vmlinuz" "$OUT/vmlinuz"
cp "$BASE/kernel-version" "$OUT/kernel-version"
say "wrote $OUT/vmlinuz and $OUT/initrd.img ($(( $(stat -c %s "$OUT/initrd.img") / 1048576 )) MiB, kernel $(cat "$OUT/kernel-version"))"
