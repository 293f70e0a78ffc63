/**
 * Shared set-up for scenarios that run the agent against the real Adam
 * controller: a fresh Adam per test, EVE /config directories pointing at it,
 * agents with a wire dump, and helpers that read Adam's side of the story
 * (admin API, log, file-driver tree) rather than the agent's status document.
 */
import { afterEach, beforeAll } from "bun:test";
import { existsSync, readFileSync, readdirSync } from "node:fs";
import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import {
  adamDeviceConfig,
  installAdam,
  startAdam,
  writeDeviceConfig,
  type Adam,
  type AdamInstall,
  type RequestRecord,
  type StartAdamOptions,
} from "../../harness/adam.ts";
import { startAgent, type AgentProcess } from "../../harness/agent.ts";
import { makeOnboardingCert, type OnboardingCert } from "../../harness/pki.ts";
import { waitFor } from "../../harness/proc.ts";

/**
 * A cold `go install` of Adam downloads and compiles its dependencies (about
 * 30 s here); only the first test of a run pays it, inside beforeAll.
 */
export const INSTALL_TIMEOUT_MS = 10 * 60_000;
/** Per scenario: Adam start (three RSA keys) plus one or two agent boots. */
export const SCENARIO_TIMEOUT_MS = 60_000;
/** Slower config polls and retries than the harness default, for Adam's unlocked file writes. */
export const ADAM_TIMERS = { configIntervalMs: 4000, attestRetryMs: 1000 };

/** One boot of the agent and the directory its wire dump goes to. */
export interface AgentRun {
  agent: AgentProcess;
  wireDir: string;
}

/** A device directory (config/, persist/) and the hardware serial its agent reports. */
export interface DeviceRoot {
  root: string;
  serial: string;
}

/** One exchange from the agent's wire dump, in send order. */
export interface WireExchange {
  seq: number;
  action: string;
  method: string;
  url: string;
  status: number | null;
  error?: string;
}

export interface AdamRig {
  /** The Adam build every scenario in the file uses (set in beforeAll). */
  readonly install: AdamInstall;
  /** A fresh Adam for this test; `opts` as for the harness's startAdam (install is filled in). */
  startAdam(opts?: Omit<StartAdamOptions, "install">): Promise<Adam>;
  onboardingCert(): Promise<OnboardingCert>;
  /** A device root whose /config points at `adam` with `onboard` as its onboarding identity. */
  device(adam: Adam, onboard: OnboardingCert, serial: string): Promise<DeviceRoot>;
  /** Boots `edge-agent run` on the device; each boot gets its own wire dump dir. */
  boot(dev: DeviceRoot): AgentRun;
  /**
   * Runs `body`; on failure, appends Adam's log tail, the agent log tails and
   * the wire dumps of this test to the error, since CI keeps nothing else.
   */
  diagnosed(body: () => Promise<void>): () => Promise<void>;
}

/**
 * Registers the file's hooks and returns the rig. Call once at the top level
 * of a test file. A missing Go toolchain (with no cached build) makes
 * beforeAll throw, which fails every test of the file instead of skipping.
 */
export function useAdamRig(): AdamRig {
  let install: AdamInstall | undefined;
  const adams: Adam[] = [];
  const agents: AgentRun[] = [];
  const roots: string[] = [];
  const certs: OnboardingCert[] = [];
  const bootCount = new Map<string, number>();

  beforeAll(async () => {
    install = await installAdam();
    console.log(`adam ${install.version} (${install.pinned ? "pinned" : "fallback"}): ${install.cached ? "cached" : "built"} in ${install.ms} ms`);
  }, INSTALL_TIMEOUT_MS);

  afterEach(async () => {
    // SIGKILL: a scenario that already finished has nothing left to flush.
    await Promise.all(agents.splice(0).map((r) => r.agent.stop(true)));
    await Promise.all(adams.splice(0).map((a) => a.stop()));
    await Promise.all(roots.splice(0).map((r) => rm(r, { recursive: true, force: true })));
    await Promise.all(certs.splice(0).map((c) => c.cleanup()));
    bootCount.clear();
  });

  const rig: AdamRig = {
    get install() {
      if (!install) throw new Error("useAdamRig: install is read before beforeAll ran");
      return install;
    },

    async startAdam(opts = {}) {
      const a = await startAdam({ ...opts, install: rig.install });
      adams.push(a);
      return a;
    },

    async onboardingCert() {
      const c = await makeOnboardingCert();
      certs.push(c);
      return c;
    },

    async device(adam, onboard, serial) {
      const root = await mkdtemp(join(tmpdir(), "edge-agent-adam-device-"));
      roots.push(root);
      // No soft_serial: the serial goes in the agent's TOML as a hardware
      // serial, so Adam matches on ZRegisterMsg.serial alone.
      await writeDeviceConfig(root, await adamDeviceConfig(adam, { onboardCertPem: onboard.certPem, onboardKeyPem: onboard.keyPem }));
      return { root, serial };
    },

    boot(dev) {
      const n = (bootCount.get(dev.root) ?? 0) + 1;
      bootCount.set(dev.root, n);
      // The dump numbers exchanges from 1 in every process, so a second boot
      // into the same dir would overwrite the first boot's files.
      const wireDir = join(dev.root, `wire-${n}`);
      const agent = startAgent({
        root: dev.root,
        toml: `serial = ${JSON.stringify(dev.serial)}\n[tpm]\nmode = "off"\n`,
        env: { EDGE_AGENT_WIRE_DUMP: wireDir },
        logFile: join(dev.root, `agent-${n}.log`),
        // v0.1.3 rewrites options.json without locking; fewer concurrent polls keep it intact.
        timers: ADAM_TIMERS,
      });
      const run = { agent, wireDir };
      agents.push(run);
      return run;
    },

    diagnosed(body) {
      return async () => {
        try {
          await body();
        } catch (e) {
          const parts = [e instanceof Error ? (e.stack ?? e.message) : String(e)];
          for (const a of adams) parts.push(`--- adam log (${a.logPath}) ---\n${tail(a.log(), 60)}`);
          for (const r of agents) {
            parts.push(`--- agent log (${r.agent.logFile}) ---\n${tail(readOr(r.agent.logFile), 40)}`);
            parts.push(`--- wire dump (${r.wireDir}) ---\n${wireExchanges(r.wireDir).map(formatExchange).join("\n")}`);
          }
          const err = new Error(parts.join("\n"));
          if (e instanceof Error) err.stack = err.message;
          throw err;
        }
      };
    },
  };
  return rig;
}

function readOr(path: string): string {
  try {
    return readFileSync(path, "utf8");
  } catch {
    return "(missing)";
  }
}

function tail(text: string, lines: number): string {
  return text.trimEnd().split("\n").slice(-lines).join("\n");
}

function formatExchange(x: WireExchange): string {
  return `${String(x.seq).padStart(4, "0")} ${x.method} ${x.url} -> ${x.status ?? `error: ${x.error}`}`;
}

/** The agent's wire dump, oldest first; empty while nothing was sent. */
export function wireExchanges(dir: string): WireExchange[] {
  if (!existsSync(dir)) return [];
  const out: WireExchange[] = [];
  for (const f of readdirSync(dir).sort()) {
    const m = /^(\d{4})-(.+)\.json$/.exec(f);
    if (!m) continue;
    let meta: { method: string; url: string; status: number | null; error?: string };
    try {
      meta = JSON.parse(readFileSync(join(dir, f), "utf8"));
    } catch {
      // The .json is written last and not atomically; a half-written one is
      // an exchange that is still being recorded.
      continue;
    }
    out.push({ seq: Number(m[1]), action: m[2]!, method: meta.method, url: meta.url, status: meta.status, ...(meta.error ? { error: meta.error } : {}) });
  }
  return out;
}

/** The UUID the agent persisted in /persist/status/uuid, or undefined before onboarding. */
export function persistedUuid(root: string): string | undefined {
  const p = join(root, "persist", "status", "uuid");
  return existsSync(p) ? readFileSync(p, "utf8").trim() : undefined;
}

/** DER bytes of the first certificate in a PEM text, for comparing certs regardless of line wrapping. */
export function pemDer(pem: string): Buffer {
  const m = /-----BEGIN CERTIFICATE-----([\s\S]+?)-----END CERTIFICATE-----/.exec(pem);
  if (!m) throw new Error(`no certificate in ${JSON.stringify(pem.slice(0, 80))}`);
  return Buffer.from(m[1]!.replace(/\s+/g, ""), "base64");
}

/**
 * Polls `pred` until it holds, failing at once if the agent process exits;
 * a crashed agent would otherwise surface only as a timeout.
 */
export async function until<T>(run: AgentRun, what: string, pred: () => T | Promise<T>, timeoutMs = 30_000): Promise<NonNullable<T>> {
  return await waitFor(
    async () => {
      if (run.agent.proc.exitCode !== null) throw new AgentExited(`agent exited with ${run.agent.proc.exitCode} while waiting for ${what}`);
      return await pred();
    },
    timeoutMs,
    { what, intervalMs: 150 },
  ).catch((e) => {
    if (run.agent.proc.exitCode !== null) throw new AgentExited(`agent exited with ${run.agent.proc.exitCode} while waiting for ${what}`, { cause: e });
    throw e;
  });
}

class AgentExited extends Error {
  override readonly name = "AgentExited";
}

/**
 * Waits until Adam has registered exactly one device and the agent has
 * persisted a UUID, and returns Adam's UUID. Both sides must have finished:
 * Adam creates the device at /register, the agent writes its file only
 * after a verified /uuid.
 */
export async function onboardedOnAdam(adam: Adam, dev: DeviceRoot, run: AgentRun, timeoutMs = 30_000): Promise<string> {
  return await until(
    run,
    "Adam to list the device and the agent to persist a UUID",
    async () => {
      const list = await adam.admin.deviceList();
      return list.length === 1 && persistedUuid(dev.root) !== undefined ? list[0] : undefined;
    },
    timeoutMs,
  );
}

/** Adam's request records whose URL ends with `/action`. */
export function requestsFor(records: readonly RequestRecord[], action: string): RequestRecord[] {
  return records.filter((r) => new URL(r.url, "https://x").pathname.endsWith(`/${action}`));
}

/** Lines of Adam's log that report a refused /register (v0.1.3 and the pin log the same prefix). */
export function registerRefusals(adam: Adam): string[] {
  return adam.log().split("\n").filter((l) => l.includes("Failed in registerProcess"));
}
