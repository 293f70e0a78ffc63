#!/bin/sh
# Makes the device's persistent disk: an ext4 image (virtio-blk in QEMU)
# holding EVE's /config, filled from the onboarding files, an empty /persist
# and the agent's own configuration fragments. Made with `mkfs.ext4 -d`: no
# loop mount, no root needed. images/init mounts it and the agent keeps its
# identity, certificates, checkpoints and vault there across boots.
#
# usage: images/make-disk.sh --out FILE [options]
#   --server HOST:PORT       controller (EVE /config/server)
#   --root-cert FILE         controller trust anchors (/config/root-certificate.pem)
#   --onboard-cert FILE      onboarding certificate (/config/onboard.cert.pem)
#   --onboard-key FILE       onboarding key (/config/onboard.key.pem)
#   --serial SN              hardware serial (agent TOML `serial`)
#   --soft-serial SN         EVE soft serial (/config/soft_serial)
#   --agent-toml FILE        agent.d fragment (timers, log level, ...)
#   --file NAME=FILE         any other /config file
#   --size MB                disk size (default 64)
#
# Layout of the filesystem (label EDGE-DATA):
#   /config/                    EVE's /config, mounted there by init
#   /persist/                   EVE's /persist, mounted there by init
#   /edge-agent/agent.d/*.toml  copied to /etc/edge-agent/agent.d/ at boot
# The filesystem has the `encrypt` feature, so fscrypt policies can be set
# on /persist directories.
set -eu
PATH=$PATH:/usr/sbin:/sbin

say() { echo "make-disk: $*" >&2; }
OUT="" SIZE=64
command -v mkfs.ext4 >/dev/null 2>&1 || { say "mkfs.ext4 missing (apt-get install e2fsprogs)"; exit 2; }
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
R="$work/root"
mkdir -p "$R/config" "$R/persist" "$R/edge-agent/agent.d"
put() { [ -f "$2" ] || { say "$2: no such file"; exit 2; }; cp "$2" "$1"; }
while [ $# -gt 0 ]; do
  [ $# -ge 2 ] || { say "$1 needs a value"; exit 2; }
  case "$1" in
    --out) OUT=$2 ;;
    --server) echo "$2" > "$R/config/server" ;;
    --root-cert) put "$R/config/root-certificate.pem" "$2" ;;
    --onboard-cert) put "$R/config/onboard.cert.pem" "$2" ;;
    --onboard-key) put "$R/config/onboard.key.pem" "$2" ;;
    --serial) printf 'serial = "%s"\n' "$2" > "$R/edge-agent/agent.d/50-serial.toml" ;;
    --soft-serial) echo "$2" > "$R/config/soft_serial" ;;
    --agent-toml) put "$R/edge-agent/agent.d/60-config.toml" "$2" ;;
    --file) put "$R/config/${2%%=*}" "${2#*=}" ;;
    --size) SIZE=$2 ;;
    *) say "unknown argument $1"; exit 2 ;;
  esac
  shift 2
done
[ -n "$OUT" ] || { say "--out FILE is required"; exit 2; }
[ ! -f "$R/config/onboard.key.pem" ] || chmod 0600 "$R/config/onboard.key.pem"
chmod 0700 "$R/persist"
rm -f "$OUT"
# root_owner: the files belong to root in the guest whoever made the image.
mkfs.ext4 -q -F -L EDGE-DATA -O encrypt -E root_owner=0:0 -d "$R" "$OUT" "${SIZE}M" >&2 \
  || { say "mkfs.ext4 failed"; exit 1; }
say "wrote $OUT (${SIZE} MB ext4, files: $(cd "$R" && find . -type f | sort | tr '\n' ' '))"
