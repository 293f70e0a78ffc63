#!/bin/sh
# Makes the device's config archive: an uncompressed cpio with /edge-config/,
# which images/init turns into EVE's /config and the agent's configuration.
# Append it to the image's initrd (run-qemu.sh --config does that).
#
# usage: images/make-config.sh --out FILE [options]
#   --server HOST:PORT       controller (EVE /config/server)
#   --root-cert FILE         controller trust anchors (/config/root-certificate.pem)
#   --onboard-cert FILE      onboarding certificate (/config/onboard.cert.pem)
#   --onboard-key FILE       onboarding key (/config/onboard.key.pem)
#   --serial SN              hardware serial (agent TOML `serial`)
#   --soft-serial SN         EVE soft serial (/config/soft_serial)
#   --agent-toml FILE        agent.d fragment (timers, log level, ...)
#   --file NAME=FILE         any other /config file
set -eu

say() { echo "make-config: $*" >&2; }
OUT=""
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
C="$work/edge-config"
mkdir -p "$C"
put() { [ -f "$2" ] || { say "$2: no such file"; exit 2; }; cp "$2" "$C/$1"; }
while [ $# -gt 0 ]; do
  [ $# -ge 2 ] || { say "$1 needs a value"; exit 2; }
  case "$1" in
    --out) OUT=$2 ;;
    --server) echo "$2" > "$C/server" ;;
    --root-cert) put root-certificate.pem "$2" ;;
    --onboard-cert) put onboard.cert.pem "$2" ;;
    --onboard-key) put onboard.key.pem "$2" ;;
    --serial) echo "$2" > "$C/serial" ;;
    --soft-serial) echo "$2" > "$C/soft_serial" ;;
    --agent-toml) put agent.toml "$2" ;;
    --file) put "${2%%=*}" "${2#*=}" ;;
    *) say "unknown argument $1"; exit 2 ;;
  esac
  shift 2
done
[ -n "$OUT" ] || { say "--out FILE is required"; exit 2; }
[ ! -f "$C/onboard.key.pem" ] || chmod 0600 "$C/onboard.key.pem"
(cd "$work" && find edge-config | sort | cpio -o -H newc -R 0:0 --quiet) > "$OUT"
