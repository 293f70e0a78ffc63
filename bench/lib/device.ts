/**
 * The parts a bench boot needs, from the test harness: the in-repo test
 * controller over TLS on 127.0.0.1 (with every device request recorded, so
 * a boot's round trips can be replayed for its floor), and a measured-boot
 * device (its own swtpm with the recorded OVMF boot replayed, EVE's /config
 * files) running the compiled agent with the default timers.
 */
import { closeSync, mkdirSync, openSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { join, resolve } from "node:path";
import type { Subprocess } from "bun";
import { codec } from "../../src/protocol/index.ts";
import type { StatusDocument } from "../../src/status/index.ts";
import { type RunningController, startTestController } from "../../test/controller/index.ts";
import { tempRoot, writeDeviceConfig } from "../../test/harness/device.ts";
import { parseEventLog, replayIntoTpm, type TcgEvent } from "../../test/harness/eventlog.ts";
import { makeOnboardingCert, type OnboardingCert } from "../../test/harness/pki.ts";
import { type Swtpm, startSwtpm } from "../../test/harness/swtpm.ts";
import { cpuMs } from "./procfs.ts";

export const EVENT_LOG = resolve(import.meta.dir, "../../test/fixtures/harness/eventlog-ovmf.bin");
const EVENTS: TcgEvent[] = parseEventLog(new Uint8Array(readFileSync(EVENT_LOG))).events;

export interface RecordedRequest {
  at: number;
  method: string;
  url: string;
  headers: Record<string, string>;
  body: string;
}

export interface BenchController {
  ctl: RunningController;
  requests: RecordedRequest[];
  /** Requests recorded in [from, to] (performance.now() times). */
  between(from: number, to: number): RecordedRequest[];
  stop(): Promise<void>;
}

/** The test controller, onboarding any serial, giving each new device a config (so a boot can end trusted). */
export async function startBenchController(): Promise<BenchController> {
  const ctl = await startTestController({ start: false });
  const requests: RecordedRequest[] = [];
  const inner = ctl.controller.app.fetch;
  // Bun.serve reads app.fetch when the controller starts, so the recorder sits in front of every route.
  (ctl.controller.app as { fetch: typeof inner }).fetch = async (req: Request, ...rest: unknown[]) => {
    const at = performance.now();
    const body = req.method === "GET" || req.method === "HEAD" ? "" : Buffer.from(await req.clone().arrayBuffer()).toString("base64");
    const headers: Record<string, string> = {};
    req.headers.forEach((v, k) => {
      if (!["host", "content-length", "connection"].includes(k)) headers[k] = v;
    });
    requests.push({ at, method: req.method, url: req.url, headers, body });
    return (inner as (r: Request, ...a: unknown[]) => Response | Promise<Response>)(req, ...rest);
  };
  ctl.restart();
  const onboard: OnboardingCert = await makeOnboardingCert();
  await ctl.addOnboard(onboard.certPem, ["*"]);
  ctl.controller.newDeviceConfig = codec.EdgeDevConfig.encode({ id: { version: "1" } });
  benchOnboard = onboard;
  return {
    ctl,
    requests,
    between: (from, to) => requests.filter((r) => r.at >= from && r.at <= to),
    async stop() {
      await ctl.cleanup();
      await onboard.cleanup();
    },
  };
}

let benchOnboard: OnboardingCert | undefined;

/** onboarded, attested, vault unlocked, config received: the state a boot is timed to. */
export function trusted(s: StatusDocument): boolean {
  const att = s.attestation as { state?: string };
  const vault = s.vault as { status?: string; locked?: boolean };
  const config = s.config as { received?: boolean };
  return s.device.onboarded && att.state === "Complete" && vault.status === "ENABLED" && vault.locked === false && config.received === true;
}

export interface Boot {
  /** spawn to the status answer that first said trusted */
  wallMs: number;
  /** utime + stime read right after that answer */
  cpuMs: number;
  /** status polls it took (each costs the agent a little CPU) */
  polls: number;
  /** the device's requests to the controller from spawn to trusted */
  requests: RecordedRequest[];
  /** the status document bytes that said trusted */
  statusBody: Uint8Array;
}

export interface RunningAgent {
  pid: number;
  proc: Subprocess;
  socket: string;
  configFile: string;
  boot: Boot;
  stop(): Promise<void>;
}

export interface BenchDevice {
  sw: Swtpm;
  root: string;
  /** Starts the agent and waits until its status says trusted. */
  boot(binary: string, opts?: { timeoutMs?: number; env?: Record<string, string> }): Promise<RunningAgent>;
  /** A reboot: PCRs reset and the firmware's measurements replayed, /run emptied. */
  powerCycle(): Promise<void>;
  dispose(): Promise<void>;
}

const POLL_MS = 20;
/** The environment images/edge-agent.service (and the image's init) gives the agent, so it starts as deployed. */
const UNIT_ENV: Record<string, string> = { BUN_GC_TIMER_INTERVAL: "30000" };

async function getStatus(socket: string): Promise<{ doc: StatusDocument; bytes: Uint8Array } | undefined> {
  try {
    const res = await fetch("http://localhost/v1/status", { unix: socket, signal: AbortSignal.timeout(2000) } as RequestInit);
    if (!res.ok) return undefined;
    const bytes = new Uint8Array(await res.arrayBuffer());
    return { doc: JSON.parse(new TextDecoder().decode(bytes)) as StatusDocument, bytes };
  } catch {
    return undefined;
  }
}

export async function benchDevice(bc: BenchController, serial: string): Promise<BenchDevice> {
  const sw = await startSwtpm();
  const root = tempRoot("edge-agent-bench-");
  await replayIntoTpm(EVENTS, sw.tcti);
  writeDeviceConfig(root, {
    server: bc.ctl.server,
    rootCertPem: bc.ctl.pki.trustPem,
    onboard: { certPem: benchOnboard!.certPem, keyPem: benchOnboard!.keyPem },
  });
  const socket = join(root, "run", "edge-agent", "status.sock");
  const configFile = join(root, "agent.toml");
  // The product's defaults for everything else: timers, log level, TPM settings.
  writeFileSync(
    configFile,
    `root = ${JSON.stringify(root)}\nserial = ${JSON.stringify(serial)}\neventLogPath = ${JSON.stringify(EVENT_LOG)}\n` +
      `[tpm]\nmode = "required"\ntcti = ${JSON.stringify(sw.tcti)}\n[status]\nsocket = ${JSON.stringify(socket)}\n`,
  );
  const agents: RunningAgent[] = [];
  return {
    sw,
    root,
    async boot(binary, { timeoutMs = 60_000, env = {} } = {}) {
      const logFile = join(root, "agent.log");
      const fd = openSync(logFile, "a");
      const t0 = performance.now();
      const proc = Bun.spawn([binary, "run", "--config", configFile], {
        stdout: fd,
        stderr: fd,
        stdin: "ignore",
        env: { ...UNIT_ENV, ...process.env, ...env },
      });
      closeSync(fd);
      const stop = async () => {
        if (proc.exitCode === null) proc.kill("SIGTERM");
        const t = setTimeout(() => proc.kill("SIGKILL"), 10_000);
        await proc.exited;
        clearTimeout(t);
      };
      let polls = 0;
      try {
        for (;;) {
          if (proc.exitCode !== null) throw new Error(`agent exited ${proc.exitCode}; see ${logFile}`);
          if (performance.now() - t0 > timeoutMs) throw new Error(`agent not trusted after ${timeoutMs} ms; see ${logFile}`);
          const s = await getStatus(socket);
          if (s) polls++;
          if (s && trusted(s.doc)) {
            const t1 = performance.now();
            const cpu = cpuMs(proc.pid);
            const agent: RunningAgent = {
              pid: proc.pid,
              proc,
              socket,
              configFile,
              boot: { wallMs: t1 - t0, cpuMs: cpu, polls, requests: bc.between(t0, t1), statusBody: s.bytes },
              stop,
            };
            agents.push(agent);
            return agent;
          }
          await Bun.sleep(POLL_MS);
        }
      } catch (e) {
        await stop();
        throw e;
      }
    },
    async powerCycle() {
      await sw.pause();
      await sw.resume();
      await replayIntoTpm(EVENTS, sw.tcti);
      rmSync(join(root, "run"), { recursive: true, force: true });
      mkdirSync(join(root, "run"), { recursive: true });
    },
    async dispose() {
      await Promise.all(agents.map((a) => a.stop()));
      await sw.stop();
      rmSync(root, { recursive: true, force: true });
    },
  };
}
