/**
 * Set-up shared by the controller suite's scenarios: controllers from the
 * suite's peer factory, EVE /config directories pointing at them, agents
 * with a wire dump per boot, measured swtpms, and the helpers that read the
 * controller's side of the story (admin API, its own records) rather than
 * the agent's status document.
 */
import { afterAll, afterEach, beforeAll, beforeEach } from "bun:test";
import { existsSync, readFileSync } from "node:fs";
import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import type { InfoStream, RequestRecord } from "../../harness/admin/index.ts";
import { type AgentProcess, startAgent } from "../../harness/agent.ts";
import { writeDeviceConfig } from "../../harness/device.ts";
import { OVMF_EVENT_LOG as EVENT_LOG, parseEventLog, replayIntoTpm } from "../../harness/eventlog.ts";
import type { ControllerPeer, PeerFactory } from "../../harness/peers/index.ts";
import { makeOnboardingCert, type OnboardingCert } from "../../harness/pki.ts";
import { waitFor } from "../../harness/proc.ts";
import { type Swtpm, startSwtpm } from "../../harness/swtpm.ts";
import { describeWire } from "../../harness/wire.ts";

export { EVENT_LOG };

/** Per scenario: a controller start (Adam makes three RSA keys) plus one or two agent boots. */
export const SCENARIO_TIMEOUT_MS = 60_000;

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

export interface BootOptions {
  /** Run on the TPM backend against this swtpm, with EVENT_LOG as the event log. Without it the TPM is off. */
  tpm?: Swtpm;
  /** Timer overrides on top of the controller's own (ControllerPeer.agentTimers). */
  timers?: Record<string, number>;
  /** Sections appended to the agent's TOML after [tpm] (keys, certs, identity, ...). */
  toml?: string;
  /** Extra environment for the agent process (SOFTHSM2_CONF, ...). */
  env?: Record<string, string>;
}

export interface ControllerRig {
  readonly peers: PeerFactory;
  /** A fresh controller of the suite's kind. */
  controller(): Promise<ControllerPeer>;
  onboardingCert(): Promise<OnboardingCert>;
  /** A device root whose /config points at `peer` with `onboard` as its onboarding identity. */
  device(peer: ControllerPeer, onboard: OnboardingCert, serial: string): Promise<DeviceRoot>;
  /** Boots `edge-agent run` on the device; each boot gets its own wire dump dir and log. */
  boot(peer: ControllerPeer, dev: DeviceRoot, opts?: BootOptions): AgentRun;
  /**
   * A swtpm that looks like it went through measured boot (EVENT_LOG
   * replayed into it). It serves one client at a time: stop the agent
   * before running tpm2-tools on it.
   */
  measuredTpm(): Promise<Swtpm>;
  /** The controller's X-Stream info call for `uuid`; open it before the boot to be watched. */
  infoStream(peer: ControllerPeer, uuid: string): Promise<InfoStream>;
  /**
   * Runs `body`; on failure, appends the controllers' logs, the agent log
   * tails and the wire dumps to the error, since CI keeps nothing else.
   */
  diagnosed(body: () => Promise<void>): () => Promise<void>;
}

/**
 * Registers the describe's hooks and returns its rig; call at the top of a
 * describeEachPeer body. What is made inside a beforeAll lives until the
 * describe's afterAll (a device carried through several tests); what a
 * test makes is gone after that test. Agents are killed after each test.
 */
export function useControllerRig(peers: PeerFactory): ControllerRig {
  type Cleanup = () => Promise<void> | void;
  const perTest: Cleanup[] = [];
  const perDescribe: Cleanup[] = [];
  // beforeAll hooks run before the first beforeEach, so until then anything made belongs to the describe.
  let inTests = false;
  const owned = (c: Cleanup) => (inTests ? perTest : perDescribe).push(c);
  const agents: AgentRun[] = [];
  const controllers: ControllerPeer[] = [];
  const streams: InfoStream[] = [];
  const bootCount = new Map<string, number>();

  const release = async (list: Cleanup[]) => {
    // Newest first: streams before controllers, controllers before their files.
    for (const c of list.splice(0).reverse()) await c();
  };
  beforeAll(() => {
    inTests = false;
  });
  beforeEach(() => {
    inTests = true;
  });
  afterEach(async () => {
    // SIGKILL: a scenario that already finished has nothing left to flush.
    await Promise.all(agents.splice(0).map((r) => r.agent.stop(true)));
    await release(perTest);
  });
  afterAll(async () => {
    await release(perDescribe);
  });

  const rig: ControllerRig = {
    peers,

    async controller() {
      const peer = await peers.start();
      controllers.push(peer);
      owned(async () => {
        controllers.splice(controllers.indexOf(peer), 1);
        await peer.stop();
      });
      return peer;
    },

    async onboardingCert() {
      const c = await makeOnboardingCert();
      owned(() => c.cleanup());
      return c;
    },

    async device(peer, onboard, serial) {
      const root = await mkdtemp(join(tmpdir(), `edge-agent-${peer.kind}-device-`));
      owned(() => (process.env.EDGE_AGENT_KEEP_TEST_DIRS ? undefined : rm(root, { recursive: true, force: true })));
      writeDeviceConfig(root, await peer.deviceFiles(onboard));
      return { root, serial };
    },

    boot(peer, dev, opts = {}) {
      const n = (bootCount.get(dev.root) ?? 0) + 1;
      bootCount.set(dev.root, n);
      // One dump dir per boot, so each boot's exchanges are read on their own
      // (the dump numbers on after files already in its dir).
      const wireDir = join(dev.root, `wire-${n}`);
      const tpm = opts.tpm
        ? `eventLogPath = ${JSON.stringify(EVENT_LOG)}\n[tpm]\nmode = "required"\ntcti = ${JSON.stringify(opts.tpm.tcti)}\n`
        : `[tpm]\nmode = "off"\n`;
      const agent = startAgent({
        root: dev.root,
        // The serial goes in as a hardware serial, so the controller matches on ZRegisterMsg.serial alone.
        toml: `serial = ${JSON.stringify(dev.serial)}\n${tpm}${opts.toml ?? ""}\n`,
        env: { ...opts.env, EDGE_AGENT_WIRE_DUMP: wireDir },
        logFile: join(dev.root, `agent-${n}.log`),
        timers: { ...peer.agentTimers, ...opts.timers },
      });
      const run = { agent, wireDir };
      agents.push(run);
      return run;
    },

    async measuredTpm() {
      const sw = await startSwtpm();
      owned(() => sw.stop());
      await replayIntoTpm(parseEventLog(new Uint8Array(readFileSync(EVENT_LOG))).events, sw.tcti);
      return sw;
    },

    async infoStream(peer, uuid) {
      const s = await peer.client.infoStream(uuid);
      streams.push(s);
      owned(async () => {
        streams.splice(streams.indexOf(s), 1);
        await s.close();
      });
      return s;
    },

    diagnosed(body) {
      return async () => {
        try {
          await body();
        } catch (e) {
          const parts = [e instanceof Error ? (e.stack ?? e.message) : String(e)];
          for (const c of controllers) parts.push(`--- ${peers.title} log ---\n${tail(c.log(), 60)}`);
          for (const s of streams)
            parts.push(`--- info stream: ${s.messages.length} messages, last ---\n${JSON.stringify(s.messages.at(-1) ?? null).slice(0, 1500)}`);
          for (const r of agents) {
            parts.push(`--- agent log (${r.agent.logFile}) ---\n${tail(readOr(r.agent.logFile), 40)}`);
            parts.push(`--- wire dump (${r.wireDir}) ---\n${describeWire(r.wireDir)}`);
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

class AgentExited extends Error {
  override readonly name = "AgentExited";
}

/**
 * Polls `pred` until it holds, failing at once if the agent process exits;
 * a crashed agent would otherwise surface only as a timeout.
 */
export async function until<T>(run: AgentRun, what: string, pred: () => T | Promise<T>, timeoutMs = 30_000): Promise<NonNullable<T>> {
  const exited = () => new AgentExited(`agent exited with ${run.agent.proc.exitCode} while waiting for ${what}`);
  return await waitFor(
    async () => {
      if (run.agent.proc.exitCode !== null) throw exited();
      return await pred();
    },
    timeoutMs,
    { what, intervalMs: 150 },
  ).catch((e) => {
    if (run.agent.proc.exitCode !== null) throw Object.assign(exited(), { cause: e });
    throw e;
  });
}

/**
 * Waits until the controller has registered exactly one device and the
 * agent has persisted a UUID, and returns the controller's UUID. Both sides
 * must have finished: the controller creates the device at /register, the
 * agent writes its file only after a verified /uuid.
 */
export async function onboardedOn(peer: ControllerPeer, dev: DeviceRoot, run: AgentRun, timeoutMs = 30_000): Promise<string> {
  return await until(
    run,
    "the controller to list the device and the agent to persist a UUID",
    async () => {
      const list = await peer.client.deviceList();
      return list.length === 1 && persistedUuid(dev.root) !== undefined ? list[0] : undefined;
    },
    timeoutMs,
  );
}

/** Request records whose URL ends with `/action`. */
export function requestsFor(records: readonly RequestRecord[], action: string): RequestRecord[] {
  return records.filter((r) => new URL(r.url, "https://x").pathname.endsWith(`/${action}`));
}
