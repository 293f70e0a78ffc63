/**
 * Shared set-up for scenarios that run the agent against the real Adam
 * controller: a fresh Adam per test, EVE /config directories pointing at it,
 * agents with a wire dump, and helpers that read Adam's side of the story
 * (admin API, log, file-driver tree) rather than the agent's status document.
 */
import { afterEach, beforeAll } from "bun:test";
import { existsSync, linkSync, readFileSync, readdirSync, rmSync, statSync, watch, writeFileSync } from "node:fs";
import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join, resolve } from "node:path";
import {
  AdamAdminError,
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
import { startSwtpm, type Swtpm } from "../../harness/swtpm.ts";
import { parseEventLog, replayIntoTpm } from "../../harness/eventlog.ts";
import { codec, type EdgeDevConfig, type ZAttestReq, type ZAttestResponse } from "../../../src/protocol/index.ts";

/**
 * A cold `go install` of Adam downloads and compiles its dependencies (about
 * 30 s here); only the first test of a run pays it, inside beforeAll.
 */
export const INSTALL_TIMEOUT_MS = 10 * 60_000;
/** Per scenario: Adam start (three RSA keys) plus one or two agent boots. */
export const SCENARIO_TIMEOUT_MS = 60_000;
/** Slower config polls and retries than the harness default, for Adam's unlocked file writes. */
export const ADAM_TIMERS = { configIntervalMs: 4000, attestRetryMs: 1000 };
/** A recorded OVMF boot: replayed into every measured swtpm and given to the agent as its event log. */
export const EVENT_LOG = resolve(import.meta.dir, "../../fixtures/harness/eventlog-ovmf.bin");

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

export interface BootOptions {
  /**
   * Run on the TPM backend against this swtpm, with EVENT_LOG as the event
   * log. Without it the agent runs with the TPM off.
   */
  tpm?: Swtpm;
}

/** Protojson ZInfoMsg records, one per message, as Adam's X-Stream admin call passes them on. */
export interface InfoStream {
  /** Every message received since the stream opened, oldest first. */
  readonly messages: readonly Record<string, any>[];
  close(): Promise<void>;
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
  boot(dev: DeviceRoot, opts?: BootOptions): AgentRun;
  /**
   * A swtpm that looks like it went through measured boot (EVENT_LOG replayed
   * into it), stopped after this test's agents. It serves one client at a
   * time: stop the agent before running tpm2-tools on it.
   */
  measuredTpm(): Promise<Swtpm>;
  /**
   * Opens Adam's streaming info call for `uuid`. Only messages that arrive
   * while it is open are seen, so open it before the boot to be watched.
   */
  infoStream(adam: Adam, uuid: string): Promise<InfoStream>;
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
  const swtpms: Swtpm[] = [];
  const streams: InfoStream[] = [];
  const seeders: (() => void)[] = [];

  beforeAll(async () => {
    install = await installAdam();
    console.log(`adam ${install.version} (${install.pinned ? "pinned" : "fallback"}): ${install.cached ? "cached" : "built"} in ${install.ms} ms`);
  }, INSTALL_TIMEOUT_MS);

  afterEach(async () => {
    // SIGKILL: a scenario that already finished has nothing left to flush.
    await Promise.all(agents.splice(0).map((r) => r.agent.stop(true)));
    await Promise.all(streams.splice(0).map((s) => s.close()));
    await Promise.all(swtpms.splice(0).map((s) => s.stop()));
    for (const close of seeders.splice(0)) close();
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
      seeders.push(seedDeviceOptions(a.dbDir));
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

    boot(dev, opts = {}) {
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
        toml: `serial = ${JSON.stringify(dev.serial)}\n${tpm}`,
        env: { EDGE_AGENT_WIRE_DUMP: wireDir },
        logFile: join(dev.root, `agent-${n}.log`),
        // v0.1.3 rewrites options.json without locking; fewer concurrent polls keep it intact.
        timers: ADAM_TIMERS,
      });
      const run = { agent, wireDir };
      agents.push(run);
      return run;
    },

    async measuredTpm() {
      const sw = await startSwtpm();
      swtpms.push(sw);
      await replayIntoTpm(parseEventLog(new Uint8Array(readFileSync(EVENT_LOG))).events, sw.tcti);
      return sw;
    },

    async infoStream(adam, uuid) {
      // Adam's streaming handler never checks the UUID; the check keeps a typo from watching nothing.
      if (!(await adam.admin.deviceList()).includes(uuid)) throw new Error(`infoStream: Adam has no device ${uuid}`);
      const s = await openInfoStream(adam, uuid);
      streams.push(s);
      return s;
    },

    diagnosed(body) {
      return async () => {
        try {
          await body();
        } catch (e) {
          const parts = [e instanceof Error ? (e.stack ?? e.message) : String(e)];
          for (const a of adams) parts.push(`--- adam log (${a.logPath}) ---\n${tail(a.log(), 60)}`);
          for (const s of streams) parts.push(`--- adam info stream: ${s.messages.length} messages, last ---\n${JSON.stringify(s.messages.at(-1) ?? null).slice(0, 1500)}`);
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

function formatExchange(x: WireExchange): string {
  return `${String(x.seq).padStart(4, "0")} ${x.method} ${x.url} -> ${x.status ?? `error: ${x.error}`}`;
}

/** The wire dump as lines, /attest ones with request type and Adam's verdict, for failure reports. */
function describeWire(dir: string): string {
  let attests = new Map<number, WireAttest>();
  try {
    attests = new Map(wireAttests(dir).map((a) => [a.seq, a]));
  } catch {
    // A dump that does not decode is still worth listing plainly.
  }
  return wireExchanges(dir)
    .map((x) => {
      const a = attests.get(x.seq);
      if (!a) return formatExchange(x);
      const verdict = a.resp?.quoteResp?.response ?? a.resp?.storage_keys_resp?.response;
      return `${formatExchange(x)} req=${a.req.reqType}${a.resp ? ` resp=${a.resp.respType}` : ""}${verdict !== undefined ? ` code=${verdict}` : ""}`;
    })
    .join("\n");
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

/** What v0.1.3's CreateBaseDeviceOptions writes: Go's encoding/json of an empty DeviceOptions. */
const ADAM_BASE_DEVICE_OPTIONS = '{"nonce":"","integrityToken":"","receivedPCRTemplate":null,"attested":false}';

/**
 * v0.1.3 creates device/<uuid>/options.json lazily, in whichever of the
 * device's first /attest and /config handlers reads it first, each with
 * os.Create (truncate) and a plain write, unlocked. EVE's first contact
 * sends the cert upload, the nonce request and a config poll together; when a
 * short default write lands after the longer nonce write, the file keeps the
 * longer one's tail ("invalid character 's' after top-level value") and Adam
 * answers 500 to every /attest and /config of that device from then on.
 * Creating the same default file, atomically, the moment registration makes
 * the device dir leaves the nonce write as the file's only writer. Returns
 * the function that stops watching.
 */
function seedDeviceOptions(dbDir: string): () => void {
  const devices = join(dbDir, "device");
  const watcher = watch(devices, (_event, name) => {
    if (!name) return;
    const dir = join(devices, String(name));
    const scratch = join(dbDir, `.options-seed-${String(name)}`);
    try {
      if (!statSync(dir).isDirectory()) return;
      writeFileSync(scratch, ADAM_BASE_DEVICE_OPTIONS);
      // link() never replaces: if Adam got there first, its file stays as it is.
      linkSync(scratch, join(dir, "options.json"));
    } catch {
      // Gone again, or already there: nothing to seed.
    } finally {
      rmSync(scratch, { force: true });
    }
  });
  return () => watcher.close();
}

/**
 * Reads Adam's admin data again while v0.1.3's unlocked file writes make it
 * fail: options.json and certs.json are truncated before they are rewritten
 * (empty or partial JSON, or 400), and a requests dump can end inside a
 * record that is being appended.
 */
export async function settled<T>(what: string, read: () => Promise<T>, attempts = 20): Promise<T> {
  for (let i = 1; ; i++) {
    try {
      return await read();
    } catch (e) {
      const racy = e instanceof SyntaxError || (e instanceof AdamAdminError && (e.status === 400 || e.status === 500));
      if (!racy || i >= attempts) throw new Error(`${what}: ${e instanceof Error ? e.message : String(e)}`, { cause: e });
      await Bun.sleep(100);
    }
  }
}

async function openInfoStream(adam: Adam, uuid: string): Promise<InfoStream> {
  const abort = new AbortController();
  // Adam sends the headers at once and then one protojson line per message it receives.
  const res = await adam.fetch(`/admin/device/${uuid}/info`, {
    headers: { "X-Stream": "true", Accept: "application/json" },
    signal: abort.signal,
  });
  if (res.status !== 200 || !res.body) throw new Error(`Adam's info stream answered ${res.status}: ${await res.text()}`);
  const messages: Record<string, any>[] = [];
  const reader = res.body.getReader();
  const reading = (async () => {
    const text = new TextDecoder();
    let pending = "";
    try {
      for (;;) {
        const { value, done } = await reader.read();
        if (done) return;
        pending += text.decode(value, { stream: true });
        for (let nl = pending.indexOf("\n"); nl >= 0; nl = pending.indexOf("\n")) {
          const line = pending.slice(0, nl).trim();
          pending = pending.slice(nl + 1);
          if (line) messages.push(JSON.parse(line) as Record<string, any>);
        }
      }
    } catch (e) {
      // The abort in close() ends the read; anything else is a real failure.
      if (!abort.signal.aborted) throw e;
    }
  })();
  return {
    messages,
    async close() {
      abort.abort();
      await reading;
    },
  };
}

/** One /attest exchange from the wire dump, with the ZAttestReq sent and the ZAttestResponse Adam signed. */
export interface WireAttest extends WireExchange {
  req: ZAttestReq;
  resp?: ZAttestResponse;
}

/** One /config exchange; `config` is the EdgeDevConfig of a 200 answer. */
export interface WireConfig extends WireExchange {
  config?: EdgeDevConfig;
}

/** The clear payload of an AuthContainer as the agent dumped it; undefined for an empty body. */
function dumpedPayload(dir: string, x: WireExchange, ext: "req" | "res"): Uint8Array | undefined {
  const bytes = new Uint8Array(readFileSync(join(dir, `${String(x.seq).padStart(4, "0")}-${x.action}.${ext}`)));
  if (bytes.length === 0) return undefined;
  return codec.AuthContainer.decode(bytes).protectedPayload?.payload;
}

/** The /attest exchanges of a wire dump, decoded, in send order. */
export function wireAttests(dir: string): WireAttest[] {
  return wireExchanges(dir)
    .filter((x) => x.action === "attest")
    .map((x) => {
      const req = codec.ZAttestReq.decode(dumpedPayload(dir, x, "req")!);
      const res = x.status === 201 ? dumpedPayload(dir, x, "res") : undefined;
      return { ...x, req, ...(res ? { resp: codec.ZAttestResponse.decode(res) } : {}) };
    });
}

/** The /config exchanges of a wire dump, a 200's config decoded, in send order. */
export function wireConfigs(dir: string): WireConfig[] {
  return wireExchanges(dir)
    .filter((x) => x.action === "config")
    .map((x) => {
      const res = x.status === 200 ? dumpedPayload(dir, x, "res") : undefined;
      const config = res ? codec.ConfigResponse.decode(res).config : undefined;
      return { ...x, ...(config ? { config } : {}) };
    });
}
