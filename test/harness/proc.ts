/**
 * Process helpers shared by the test harness: free ports, polling, child
 * processes whose output goes to a log file, and stopping a process tree.
 *
 * Linux only: liveness and descendants come from /proc.
 */
import { closeSync, openSync, readdirSync, readFileSync } from "node:fs";
import { connect, createServer } from "node:net";

/** Asks the kernel for an unused loopback TCP port (bind to 0, read, close). */
export async function freePort(host = "127.0.0.1"): Promise<number> {
  return await new Promise<number>((resolve, reject) => {
    const srv = createServer();
    srv.unref();
    srv.once("error", reject);
    srv.listen(0, host, () => {
      const addr = srv.address();
      srv.close(() => {
        if (addr && typeof addr === "object") resolve(addr.port);
        else reject(new Error("freePort: server has no TCP address"));
      });
    });
  });
}

async function portIsFree(port: number, host: string): Promise<boolean> {
  return await new Promise<boolean>((resolve) => {
    const srv = createServer();
    srv.unref();
    srv.once("error", () => resolve(false));
    srv.listen(port, host, () => srv.close(() => resolve(true)));
  });
}

/**
 * Two adjacent free ports P and P+1, for tools such as swtpm whose control
 * port is conventionally the data port plus one.
 */
/** Whether something accepts TCP connections on `port` now (a server that finished starting). */
export function acceptsConnections(port: number, host = "127.0.0.1"): Promise<boolean> {
  return new Promise((resolve) => {
    const s = connect({ host, port });
    s.once("connect", () => {
      s.destroy();
      resolve(true);
    });
    s.once("error", () => resolve(false));
  });
}

export async function freePortPair(host = "127.0.0.1", attempts = 50): Promise<number> {
  for (let i = 0; i < attempts; i++) {
    const p = await freePort(host);
    if (p < 65535 && (await portIsFree(p + 1, host))) return p;
  }
  throw new Error(`freePortPair: no two adjacent free ports on ${host} after ${attempts} attempts`);
}

export class WaitTimeoutError extends Error {
  override readonly name = "WaitTimeoutError";
}

export interface WaitOptions {
  intervalMs?: number;
  /** Named in the timeout message so a failing test says what it waited for. */
  what?: string;
  /** Gives up early, rejecting with the signal's reason (e.g. the awaited process died). */
  signal?: AbortSignal;
}

/**
 * Polls `fn` until it returns a truthy value and returns that value. A throw
 * counts as "not yet"; the last one is attached to the timeout error, which is
 * usually the most useful clue when the wait fails.
 */
export async function waitFor<T>(fn: () => T | Promise<T>, timeoutMs: number, opts: WaitOptions = {}): Promise<NonNullable<T>> {
  const interval = opts.intervalMs ?? 100;
  const deadline = Date.now() + timeoutMs;
  let lastError: unknown;
  for (;;) {
    opts.signal?.throwIfAborted();
    try {
      const v = await fn();
      if (v) return v as NonNullable<T>;
    } catch (e) {
      lastError = e;
    }
    if (Date.now() >= deadline) break;
    await Bun.sleep(Math.min(interval, Math.max(0, deadline - Date.now())));
  }
  opts.signal?.throwIfAborted();
  const what = opts.what ?? "condition";
  const suffix = lastError instanceof Error ? `; last error: ${lastError.message}` : "";
  throw new WaitTimeoutError(`timed out after ${timeoutMs} ms waiting for ${what}${suffix}`, {
    cause: lastError,
  });
}

/** Process state letter from /proc/PID/stat, or undefined if there is no such process. */
function procState(pid: number): string | undefined {
  let stat: string;
  try {
    stat = readFileSync(`/proc/${pid}/stat`, "utf8");
  } catch {
    return undefined;
  }
  // The command name is in parentheses and may itself contain spaces or ')'.
  const rest = stat.slice(stat.lastIndexOf(")") + 2);
  return rest.split(" ")[0];
}

function parentPid(pid: number): number | undefined {
  let stat: string;
  try {
    stat = readFileSync(`/proc/${pid}/stat`, "utf8");
  } catch {
    return undefined;
  }
  const fields = stat.slice(stat.lastIndexOf(")") + 2).split(" ");
  return Number(fields[1]);
}

/** True while the process exists and is not a zombie waiting to be reaped. */
export function isAlive(pid: number): boolean {
  const s = procState(pid);
  return s !== undefined && s !== "Z" && s !== "X";
}

/** All descendants of `pid` (children, grandchildren, ...), found through /proc. */
export function descendants(pid: number): number[] {
  const children = new Map<number, number[]>();
  for (const name of readdirSync("/proc")) {
    const p = Number(name);
    if (!Number.isInteger(p) || p <= 0) continue;
    const pp = parentPid(p);
    if (pp === undefined) continue;
    const list = children.get(pp);
    if (list) list.push(p);
    else children.set(pp, [p]);
  }
  const out: number[] = [];
  const stack = [pid];
  while (stack.length > 0) {
    const cur = stack.pop()!;
    for (const c of children.get(cur) ?? []) {
      out.push(c);
      stack.push(c);
    }
  }
  return out;
}

function signal(pid: number, sig: NodeJS.Signals): void {
  try {
    process.kill(pid, sig);
  } catch {
    // Already gone: that is the outcome we want.
  }
}

/**
 * Stops `pid` and its descendants: SIGTERM, then SIGKILL for whatever is
 * still alive after `graceMs`. Resolves once none of them is alive, or throws
 * if even SIGKILL did not get rid of them (so a leak fails the test).
 */
export async function killTree(pid: number, graceMs = 3000): Promise<void> {
  const all = [...descendants(pid), pid];
  for (const p of all) signal(p, "SIGTERM");
  const gone = () => all.every((p) => !isAlive(p));
  try {
    await waitFor(gone, graceMs, { intervalMs: 50, what: `pid ${pid} to exit after SIGTERM` });
    return;
  } catch {
    // fall through to SIGKILL
  }
  for (const p of all) if (isAlive(p)) signal(p, "SIGKILL");
  await waitFor(gone, 5000, { intervalMs: 50, what: `pid ${pid} to exit after SIGKILL` });
}

export interface LoggedProcess {
  readonly pid: number;
  readonly logPath: string;
  /** Exit code (or 128+signal) once the process has ended. */
  readonly exited: Promise<number>;
  /** The log file so far ("" if it is not there yet). */
  log(): string;
  /** killTree, then wait until Bun has reaped the child. Safe to call twice. */
  stop(graceMs?: number): Promise<void>;
}

export interface SpawnLoggedOptions {
  cwd?: string;
  env?: Record<string, string | undefined>;
  /** stdout and stderr are both appended here, interleaved as written. */
  logPath: string;
}

// Children still running when the test process exits would outlive it; the
// exit hook is the last line of defence when a test forgets stop() or crashes.
const running = new Set<number>();
let exitHookInstalled = false;
function installExitHook(): void {
  if (exitHookInstalled) return;
  exitHookInstalled = true;
  process.once("exit", () => {
    for (const pid of running) {
      for (const p of [...descendants(pid), pid]) signal(p, "SIGKILL");
    }
  });
}

/** Starts a long-running command with its output in a log file. */
export function spawnLogged(cmd: string[], opts: SpawnLoggedOptions): LoggedProcess {
  const fd = openSync(opts.logPath, "a");
  let child: ReturnType<typeof Bun.spawn>;
  try {
    child = Bun.spawn({
      cmd,
      cwd: opts.cwd,
      env: opts.env,
      stdin: "ignore",
      stdout: fd,
      stderr: fd,
    });
  } finally {
    // The child has its own copy of the descriptor.
    closeSync(fd);
  }
  const pid = child.pid;
  running.add(pid);
  installExitHook();
  const exited = child.exited.then((code) => {
    running.delete(pid);
    return code;
  });
  return {
    pid,
    logPath: opts.logPath,
    exited,
    log: () => {
      try {
        return readFileSync(opts.logPath, "utf8");
      } catch {
        return "";
      }
    },
    stop: async (graceMs = 3000) => {
      if (isAlive(pid)) await killTree(pid, graceMs);
      await exited;
    },
  };
}

export interface RunResult {
  code: number;
  stdout: string;
  stderr: string;
}

export class CommandError extends Error {
  override readonly name = "CommandError";
  constructor(
    readonly cmd: readonly string[],
    readonly result: RunResult,
  ) {
    const err = result.stderr.trim() || result.stdout.trim();
    super(`${cmd.join(" ")} exited ${result.code}${err ? `: ${err}` : ""}`);
  }
}

export interface RunOptions {
  cwd?: string;
  env?: Record<string, string | undefined>;
  stdin?: Uint8Array | string;
  /** Kill the command after this long (the result then has a non-zero code). */
  timeoutMs?: number;
}

/** Runs a short command to completion and captures its output. */
export async function run(cmd: string[], opts: RunOptions = {}): Promise<RunResult> {
  const child = Bun.spawn({
    cmd,
    cwd: opts.cwd,
    env: opts.env,
    stdin: opts.stdin === undefined ? "ignore" : toBytes(opts.stdin),
    stdout: "pipe",
    stderr: "pipe",
    timeout: opts.timeoutMs,
    killSignal: "SIGKILL",
  });
  const [stdout, stderr, code] = await Promise.all([new Response(child.stdout).text(), new Response(child.stderr).text(), child.exited]);
  return { code, stdout, stderr };
}

function toBytes(v: Uint8Array | string): Uint8Array {
  return typeof v === "string" ? new TextEncoder().encode(v) : v;
}

/** Like run(), but throws CommandError on a non-zero exit. */
export async function runChecked(cmd: string[], opts: RunOptions = {}): Promise<RunResult> {
  const r = await run(cmd, opts);
  if (r.code !== 0) throw new CommandError(cmd, r);
  return r;
}
