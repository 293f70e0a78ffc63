#!/bin/sh
# Installs what the demo and the tests need on a Debian 12 machine that has
# only node/npm: the Debian packages (when root) and the pinned Bun plus
# libraries from npm. Safe to run repeatedly; does nothing when all is there.
# `setup.sh bench` also installs what `npm run bench` builds its C ESAPI
# baseline with (gcc, the tpm2-tss headers, pkg-config).
set -eu
cd "$(dirname "$0")/.."

DEBS="openssl ca-certificates curl swtpm swtpm-tools tpm2-tools python3 python3-venv python3-gpg libefivar1 softhsm2 opensc libnss3-dev qemu-system-x86 ovmf cpio kmod e2fsprogs libtss2-esys-3.0.2-0 libtss2-tctildr0 libtss2-mu0 libtss2-rc0 libtss2-tcti-swtpm0 libtss2-tcti-device0"
BENCH_DEBS="gcc libc6-dev libtss2-dev libssl-dev pkg-config"
if [ "${1:-}" = "bench" ]; then
  DEBS="$DEBS $BENCH_DEBS"
fi
missing=""
for p in $DEBS; do
  dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || missing="$missing $p"
done
if [ -n "$missing" ]; then
  if [ "$(id -u)" = "0" ]; then
    echo "setup: installing Debian packages:$missing" >&2
    export DEBIAN_FRONTEND=noninteractive
    apt-get update -q >/dev/null
    # shellcheck disable=SC2086
    apt-get install -y -q --no-install-recommends $missing >/dev/null
  else
    echo "setup: missing Debian packages:$missing (run as root or install them: apt-get install$missing)" >&2
    exit 1
  fi
fi

stamp=node_modules/.edge-agent-lock
if [ ! -x node_modules/.bin/bun ] || ! cmp -s package-lock.json "$stamp" 2>/dev/null; then
  echo "setup: installing npm packages (Bun and libraries)" >&2
  npm ci --no-audit --no-fund --loglevel=error >/dev/null
  cp package-lock.json "$stamp"
fi
node_modules/.bin/bun --version >/dev/null
