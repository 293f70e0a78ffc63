import { closeSync, existsSync, mkdirSync, openSync, writeFileSync } from "node:fs";
import { join, resolve } from "node:path";
import type { Subprocess } from "bun";
import { fetchStatus, type StatusDocument } from "../../src/status/index.ts";

const REPO = resolve(import.meta.dir, "../..");
const BUN = process.execPath;

export interface AgentProcess {
  proc: Subprocess;
  socket: string;
  logFile: string;
  status(): Promise<StatusDocument | undefined>;
  waitFor(pred: (s: StatusDocument) => boolean, timeoutMs?: number): Promise<StatusDocument>;
  /** SIGTERM and wait; `hard` sends SIGKILL (a crash). */
  stop(hard?: boolean): Promise<number | null>;
}

export interface AgentOptions {
  /** Device root (config/, persist/, run/). */
  root: string;
  /** Extra TOML placed before any table header (top-level keys and whole tables). */
  toml?: string;
  /** Timer overrides on top of FAST_TIMERS. */
  timers?: Record<string, number>;
  env?: Record<string, string>;
  logFile?: string;
  /** Run this compiled executable instead of `bun src/cli.ts`. */
  binary?: string;
}

/** Fast timers so tests exercise retries in seconds, not minutes. */
export const FAST_TIMERS: Record<string, number> = {
  backoffInitialMs: 200,
  backoffMaxMs: 1000,
  dialTimeoutMs: 2000,
  sendTimeoutMs: 5000,
  fastPathMs: 5000,
  configIntervalMs: 1000,
  deviceInfoIntervalMs: 3000,
  attestRetryMs: 500,
  deferredMinMs: 300,
  deferredMaxMs: 1500,
  uuidRecheckMs: 2000,
  certIntervalMs: 30000,
};

/** Starts `edge-agent run` as a real child process against a device root. */
export function startAgent(opts: AgentOptions): AgentProcess {
  mkdirSync(opts.root, { recursive: true });
  const socket = join(opts.root, "run", "edge-agent", "status.sock");
  const cfgFile = join(opts.root, "agent.toml");
  const timers = Object.entries({ ...FAST_TIMERS, ...opts.timers })
    .map(([k, v]) => `${k} = ${v}`)
    .join("\n");
  writeFileSync(
    cfgFile,
    `root = ${JSON.stringify(opts.root)}\n${opts.toml ?? ""}\n[status]\nsocket = ${JSON.stringify(socket)}\n[log]\nlevel = "debug"\n[timers]\n${timers}\n`,
  );
  const logFile = opts.logFile ?? join(opts.root, "agent.log");
  const fd = openSync(logFile, "a");
  const cmd = opts.binary ? [opts.binary] : [BUN, join(REPO, "src/cli.ts")];
  const proc = Bun.spawn([...cmd, "run", "--config", cfgFile], {
    cwd: REPO,
    stdout: fd,
    stderr: fd,
    env: { ...process.env, ...opts.env },
  });
  closeSync(fd);
  const status = async (): Promise<StatusDocument | undefined> => {
    if (!existsSync(socket)) return undefined;
    try {
      return await fetchStatus(socket, 2000);
    } catch {
      return undefined;
    }
  };
  return {
    proc,
    socket,
    logFile,
    status,
    async waitFor(pred, timeoutMs = 30_000) {
      const deadline = Date.now() + timeoutMs;
      let last: StatusDocument | undefined;
      while (Date.now() < deadline) {
        if (proc.exitCode !== null) throw new Error(`agent exited with ${proc.exitCode}; see ${logFile}`);
        last = await status();
        if (last && pred(last)) return last;
        await Bun.sleep(100);
      }
      throw new Error(`agent did not reach the expected state in ${timeoutMs} ms; last status: ${JSON.stringify(last)}; log: ${logFile}`);
    },
    async stop(hard = false) {
      if (proc.exitCode === null) proc.kill(hard ? "SIGKILL" : "SIGTERM");
      const t = setTimeout(() => proc.kill("SIGKILL"), 10_000);
      await proc.exited;
      clearTimeout(t);
      return proc.exitCode;
    },
  };
}
