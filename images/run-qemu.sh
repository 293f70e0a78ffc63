#!/bin/sh
# Boots the image in QEMU with a swtpm TPM 2.0 and QEMU's user network, in
# which the host's 127.0.0.1 is 10.0.2.2 for the guest.
#
# usage: images/run-qemu.sh --tpm DIR [options]
#   --tpm DIR           swtpm state; manufactured with an EK certificate when
#                       empty, kept between boots (the device's TPM)
#   --image DIR         vmlinuz + initrd.img (default dist/image)
#   --disk FILE         persistent disk (make-disk.sh): /config and /persist,
#                       kept between boots (the device's storage)
#   --config FILE       config archive (make-config.sh), appended to the initrd;
#                       for a device without a disk (every boot is a first boot)
#   --append ARGS       kernel command line additions (edge.serial=..., see images/init)
#   --firmware NAME     ovmf (default: measures kernel, initrd, command line) or seabios
#   --console FILE      guest console (default: this terminal)
#   --results FILE      second serial port: the framed result blocks (default DIR/results.txt)
#   --timeout SECONDS   stop QEMU after this long (default 300)
#   --mem MB            guest memory (default 1024)
#   --smp N             guest CPUs (default 2)
# environment: EDGE_AGENT_QEMU_ACCEL=kvm|tcg overrides the accelerator check.
# Exit status is QEMU's: 0 after the guest powered off, 124 on timeout.
set -eu

HERE=$(cd "$(dirname "$0")" && pwd)
IMAGE="$(dirname "$HERE")/dist/image"
TPM="" DISK="" CONFIG="" APPEND="" FIRMWARE=ovmf CONSOLE="" RESULTS="" TIMEOUT=300 MEM=1024 SMP=2
while [ $# -gt 0 ]; do
  [ $# -ge 2 ] || { echo "run-qemu: $1 needs a value" >&2; exit 2; }
  case "$1" in
    --tpm) TPM=$2 ;;
    --image) IMAGE=$2 ;;
    --disk) DISK=$2 ;;
    --config) CONFIG=$2 ;;
    --append) APPEND=$2 ;;
    --firmware) FIRMWARE=$2 ;;
    --console) CONSOLE=$2 ;;
    --results) RESULTS=$2 ;;
    --timeout) TIMEOUT=$2 ;;
    --mem) MEM=$2 ;;
    --smp) SMP=$2 ;;
    *) echo "run-qemu: unknown argument $1" >&2; exit 2 ;;
  esac
  shift 2
done
say() { echo "run-qemu: $*" >&2; }
[ -n "$TPM" ] || { say "--tpm DIR is required"; exit 2; }
[ -s "$IMAGE/vmlinuz" ] && [ -s "$IMAGE/initrd.img" ] || { say "no image in $IMAGE (run images/build-initramfs.sh)"; exit 2; }
command -v qemu-system-x86_64 >/dev/null || { say "qemu-system-x86_64 missing (apt-get install qemu-system-x86 ovmf)"; exit 2; }
mkdir -p "$TPM"
TPM=$(cd "$TPM" && pwd)
RESULTS=${RESULTS:-$TPM/results.txt}

case "$FIRMWARE" in
  ovmf)
    [ -r /usr/share/ovmf/OVMF.fd ] || { say "/usr/share/ovmf/OVMF.fd missing (apt-get install ovmf)"; exit 2; }
    BIOS="-bios /usr/share/ovmf/OVMF.fd" ;;
  seabios) BIOS="" ;;
  *) say "--firmware is ovmf or seabios"; exit 2 ;;
esac

# /dev/kvm can exist and still be useless (nested kvm_pvm without vmx/svm:
# guests die with "emulation failure" long after start, so no fallback).
ACCEL=${EDGE_AGENT_QEMU_ACCEL:-}
if [ -z "$ACCEL" ]; then
  if [ -w /dev/kvm ] && grep -qwE 'vmx|svm' /proc/cpuinfo && [ ! -d /sys/module/kvm_pvm ]; then ACCEL=kvm; else ACCEL=tcg; fi
fi
case "$ACCEL" in
  kvm) ACCEL_ARGS="-accel kvm -cpu host" ;;
  # Bun needs x86-64-v2 at least; -cpu max gives it under TCG.
  tcg) ACCEL_ARGS="-accel tcg,thread=multi -cpu max" ;;
  *) say "EDGE_AGENT_QEMU_ACCEL is kvm or tcg"; exit 2 ;;
esac

if [ ! -s "$TPM/tpm2-00.permall" ]; then
  swtpm_setup --tpm2 --tpmstate "$TPM" --create-ek-cert --create-platform-cert --lock-nvram >"$TPM/swtpm-setup.log" 2>&1 \
    || { say "swtpm_setup failed:"; cat "$TPM/swtpm-setup.log" >&2; exit 1; }
fi
# A QEMU killed hard (power loss) may leave its swtpm behind, holding the
# state directory's lock; the device's next boot gets the TPM anyway.
old=$(cat "$TPM/swtpm.pid" 2>/dev/null || true)
if [ -n "$old" ] && kill -0 "$old" 2>/dev/null && grep -q swtpm "/proc/$old/cmdline" 2>/dev/null; then
  kill "$old" 2>/dev/null || true
  n=0
  while kill -0 "$old" 2>/dev/null && [ $n -lt 40 ]; do sleep 0.05; n=$((n + 1)); done
  kill -9 "$old" 2>/dev/null || true
fi
rm -f "$TPM/swtpm-sock" "$TPM/swtpm.pid"
swtpm socket --tpm2 --tpmstate dir="$TPM" --ctrl type=unixio,path="$TPM/swtpm-sock" \
  --pid file="$TPM/swtpm.pid" --log file="$TPM/swtpm.log" -d
n=0
while [ ! -S "$TPM/swtpm-sock" ] && [ $n -lt 100 ]; do sleep 0.05; n=$((n + 1)); done
[ -S "$TPM/swtpm-sock" ] || { say "swtpm did not create its socket"; exit 1; }
SWTPM_PID=$(cat "$TPM/swtpm.pid" 2>/dev/null || true)

DISK_ARGS=""
if [ -n "$DISK" ]; then
  [ -f "$DISK" ] || { say "--disk $DISK: no such file (images/make-disk.sh makes one)"; exit 2; }
  DISK_ARGS="-drive file=$DISK,if=none,id=data,format=raw -device virtio-blk-pci,drive=data"
fi

INITRD="$IMAGE/initrd.img"
if [ -n "$CONFIG" ]; then
  INITRD="$TPM/initrd-with-config.img"
  cat "$IMAGE/initrd.img" "$CONFIG" > "$INITRD"
fi

stop_swtpm() {
  # swtpm ends by itself when QEMU closes the socket; make sure of it.
  [ -n "$SWTPM_PID" ] || return 0
  n=0
  while kill -0 "$SWTPM_PID" 2>/dev/null && [ $n -lt 40 ]; do sleep 0.05; n=$((n + 1)); done
  kill "$SWTPM_PID" 2>/dev/null || true
}
trap stop_swtpm EXIT

if [ -n "$CONSOLE" ]; then SERIAL0="file:$CONSOLE"; else SERIAL0=stdio; fi
# no_timer_check: under TCG on a loaded host the kernel's IO-APIC timer check
# can miss its ticks and panic ("IO-APIC + timer doesn't work!"); the
# emulated timer works, the check is what fails.
say "accel $ACCEL, firmware $FIRMWARE, ${MEM} MB, timeout ${TIMEOUT}s"
set +e
# shellcheck disable=SC2086
timeout -k 5 "$TIMEOUT" qemu-system-x86_64 -nodefaults -no-user-config -M q35 $ACCEL_ARGS -m "$MEM" -smp "$SMP" \
  $BIOS -kernel "$IMAGE/vmlinuz" -initrd "$INITRD" \
  -append "console=ttyS0 quiet panic=-1 no_timer_check $APPEND" \
  -chardev socket,id=chrtpm,path="$TPM/swtpm-sock" \
  -tpmdev emulator,id=tpm0,chardev=chrtpm -device tpm-tis,tpmdev=tpm0 \
  -netdev user,id=n0 -device virtio-net-pci,netdev=n0,romfile= $DISK_ARGS \
  -display none -monitor none -serial "$SERIAL0" -serial "file:$RESULTS" -no-reboot
rc=$?
set -e
[ -z "$CONFIG" ] || rm -f "$INITRD"
say "qemu exited with $rc"
exit $rc
