/**
 * sd_notify(3) without libsystemd: one datagram per state change to the
 * Unix socket systemd names in NOTIFY_SOCKET (Type=notify services, the
 * watchdog). Bun's socket API has no Unix datagram sockets, so the three
 * libc calls go through bun:ffi; libc is opened only when NOTIFY_SOCKET is
 * set, so an agent not run by systemd pays nothing.
 */
import { dlopen, FFIType, type Library, ptr } from "bun:ffi";
import { AgentError } from "./errors.ts";
import type { Logger } from "./logger.ts";

const AF_UNIX = 1;
const SOCK_DGRAM = 2;
const SOCK_CLOEXEC = 0o2000000;
/** A notify socket whose reader went away must not kill the agent with SIGPIPE. */
const MSG_NOSIGNAL = 0x4000;
/** sizeof(sockaddr_un.sun_path) on Linux. */
const SUN_PATH_MAX = 108;

export class SdNotifyError extends AgentError {
  constructor(message: string) {
    super("sdnotify", message);
  }
}

/**
 * struct sockaddr_un for NOTIFY_SOCKET: a path, or an abstract name when it
 * starts with "@" (a leading NUL byte, and the length covers the name only).
 */
export function notifySocketAddress(socket: string): { addr: Uint8Array; len: number } {
  const abstract = socket.startsWith("@");
  const name = Buffer.from(abstract ? socket.slice(1) : socket, "utf8");
  if (socket === "" || (!abstract && !socket.startsWith("/"))) throw new SdNotifyError("NOTIFY_SOCKET is neither an absolute path nor an abstract name");
  if (name.length + 1 > SUN_PATH_MAX) throw new SdNotifyError("NOTIFY_SOCKET is longer than a Unix socket address");
  const addr = new Uint8Array(2 + SUN_PATH_MAX);
  new DataView(addr.buffer).setUint16(0, AF_UNIX, true);
  addr.set(name, abstract ? 3 : 2);
  // Abstract names are not NUL-terminated; paths carry their terminator.
  return { addr, len: abstract ? 3 + name.length : 2 + name.length + 1 };
}

type Libc = Library<{
  socket: { args: [FFIType.i32, FFIType.i32, FFIType.i32]; returns: FFIType.i32 };
  sendto: { args: [FFIType.i32, FFIType.ptr, FFIType.u64, FFIType.i32, FFIType.ptr, FFIType.u32]; returns: FFIType.i64 };
  close: { args: [FFIType.i32]; returns: FFIType.i32 };
}>;

let libc: Libc | undefined;
function openLibc(): Libc {
  libc ??= dlopen("libc.so.6", {
    socket: { args: [FFIType.i32, FFIType.i32, FFIType.i32], returns: FFIType.i32 },
    sendto: { args: [FFIType.i32, FFIType.ptr, FFIType.u64, FFIType.i32, FFIType.ptr, FFIType.u32], returns: FFIType.i64 },
    close: { args: [FFIType.i32], returns: FFIType.i32 },
  });
  return libc;
}

/** Sends `state` ("READY=1", "WATCHDOG=1", ... newline-separated) to `socket`; one socket per message, as libsystemd does. */
export function sdNotifyTo(socket: string, state: string): void {
  const { addr, len } = notifySocketAddress(socket);
  const c = openLibc();
  const fd = c.symbols.socket(AF_UNIX, SOCK_DGRAM | SOCK_CLOEXEC, 0);
  if (fd < 0) throw new SdNotifyError("socket(AF_UNIX, SOCK_DGRAM) failed");
  try {
    const msg = Buffer.from(state, "utf8");
    const sent = Number(c.symbols.sendto(fd, ptr(msg), msg.length, MSG_NOSIGNAL, ptr(addr), len));
    if (sent !== msg.length) throw new SdNotifyError(`sendto NOTIFY_SOCKET sent ${sent} of ${msg.length} bytes`);
  } finally {
    c.symbols.close(fd);
  }
}

export interface SdNotifier {
  /** READY=1: the service is up (Type=notify). */
  ready(): void;
  /** STOPPING=1, and the watchdog pings end. */
  stopping(): void;
  /** Whether systemd asked for notifications at all. */
  readonly enabled: boolean;
  /** Watchdog ping interval in ms, when systemd set WatchdogSec for this process. */
  readonly watchdogMs?: number;
}

/**
 * The notifier for this process from its environment. WATCHDOG=1 goes out
 * every half WATCHDOG_USEC, as sd_watchdog_enabled(3) advises, from the
 * event loop: a stuck loop stops the pings and systemd restarts the agent.
 * A failed send is logged once and never stops the agent.
 */
export function sdNotifier(log: Pick<Logger, "warn" | "info">, env: Record<string, string | undefined> = process.env, pid = process.pid): SdNotifier {
  const socket = env.NOTIFY_SOCKET;
  const usec = Number(env.WATCHDOG_USEC);
  const forUs = env.WATCHDOG_PID === undefined || Number(env.WATCHDOG_PID) === pid;
  const watchdogMs = socket && Number.isFinite(usec) && usec > 0 && forUs ? Math.max(1, Math.floor(usec / 2000)) : undefined;
  let warned = false;
  let timer: ReturnType<typeof setInterval> | undefined;
  const send = (state: string) => {
    if (!socket) return;
    try {
      sdNotifyTo(socket, state);
    } catch (e) {
      if (!warned) log.warn("sd_notify failed", { state, error: (e as Error).message });
      warned = true;
    }
  };
  return {
    enabled: Boolean(socket),
    watchdogMs,
    ready() {
      send("READY=1\nSTATUS=status socket up");
      if (watchdogMs !== undefined && !timer) {
        timer = setInterval(() => send("WATCHDOG=1"), watchdogMs);
        timer.unref?.();
        log.info("systemd watchdog pings", { intervalMs: watchdogMs });
      }
    },
    stopping() {
      if (timer) clearInterval(timer);
      timer = undefined;
      send("STOPPING=1");
    },
  };
}
