import { dlopen, FFIType, read } from "bun:ffi";
import { closeSync, constants as fsc, ftruncateSync, mkdirSync, openSync, readFileSync, writeSync } from "node:fs";
import { dirname } from "node:path";
import { AgentError } from "../shared/index.ts";

export class InstanceLockError extends AgentError {
  /** PID written by the holder, when it could be read. */
  readonly holderPid: number | undefined;
  constructor(kind: "lock.held" | "lock.io", message: string, holderPid?: number, options?: { cause?: unknown }) {
    super(kind, message, options);
    this.holderPid = holderPid;
  }
}

const LOCK_EX = 2;
const LOCK_NB = 4;
const LOCK_UN = 8;
const EINTR = 4;
const EWOULDBLOCK = 11;

let libc: { flock(fd: number, op: number): number; errno(): number } | undefined;

/**
 * flock(2) through libc: node:fs has no advisory locks, and flock is the one
 * lock the kernel drops by itself when the holder dies (kill -9 included), so
 * a crash can never leave a device locked out.
 */
function lib(): NonNullable<typeof libc> {
  if (libc) return libc;
  const l = dlopen("libc.so.6", {
    flock: { args: [FFIType.i32, FFIType.i32], returns: FFIType.i32 },
    __errno_location: { args: [], returns: FFIType.ptr },
  });
  libc = {
    flock: (fd, op) => l.symbols.flock(fd, op),
    errno: () => {
      const p = l.symbols.__errno_location();
      return p ? read.i32(p, 0) : 0;
    },
  };
  return libc;
}

export interface InstanceLock {
  readonly path: string;
  /** Drops the lock; the kernel does the same when the process ends. */
  release(): void;
}

function readHolder(path: string): number | undefined {
  try {
    const pid = Number.parseInt(readFileSync(path, "utf8").trim(), 10);
    return Number.isSafeInteger(pid) && pid > 0 ? pid : undefined;
  } catch {
    return undefined;
  }
}

/**
 * Takes the one-agent-per-device lock at `path`, or throws `lock.held`
 * naming the PID of the agent that has it. The PID in the file is only a
 * label for that message: ownership is the kernel's flock, so a stale file
 * from a crashed agent is simply taken over.
 */
export function acquireInstanceLock(path: string): InstanceLock {
  let fd: number;
  try {
    mkdirSync(dirname(path), { recursive: true, mode: 0o750 });
    // O_NOFOLLOW: a symlink planted at the lock path must not make us truncate another file.
    fd = openSync(path, fsc.O_RDWR | fsc.O_CREAT | fsc.O_NOFOLLOW, 0o644);
  } catch (e) {
    throw new InstanceLockError("lock.io", `cannot open lock file ${path}: ${(e as Error).message}`, undefined, { cause: e });
  }
  const { flock, errno } = lib();
  let rc: number;
  let err = 0;
  do {
    rc = flock(fd, LOCK_EX | LOCK_NB);
    err = rc === 0 ? 0 : errno();
  } while (rc !== 0 && err === EINTR);
  if (rc !== 0) {
    closeSync(fd);
    if (err === EWOULDBLOCK) {
      // The holder writes its PID right after taking the lock: give it a moment, so the message can name it.
      let pid = readHolder(path);
      for (let i = 0; pid === undefined && i < 50; i++) {
        Bun.sleepSync(10);
        pid = readHolder(path);
      }
      throw new InstanceLockError("lock.held", `another edge-agent${pid ? ` (pid ${pid})` : ""} already runs on this device (lock ${path})`, pid);
    }
    throw new InstanceLockError("lock.io", `flock ${path} failed (errno ${err})`);
  }
  try {
    ftruncateSync(fd, 0);
    writeSync(fd, `${process.pid}\n`, 0);
  } catch (e) {
    flock(fd, LOCK_UN);
    closeSync(fd);
    throw new InstanceLockError("lock.io", `cannot write lock file ${path}: ${(e as Error).message}`, undefined, { cause: e });
  }
  let held = true;
  return {
    path,
    release() {
      if (!held) return;
      held = false;
      // The file stays: unlinking it would let a newcomer lock a fresh inode while a waiter holds the old one.
      flock(fd, LOCK_UN);
      closeSync(fd);
    },
  };
}
