/**
 * What the pull-mode scenarios share: the real Keylime (verifier, registrar,
 * tenant), the in-repo EVE test controller the agent onboards to first, and
 * a device (swtpm with a private EK CA and the recorded OVMF boot replayed,
 * a device root, the agent as a real process with [keylime] mode = "pull").
 * Everything the scenarios assert goes through the verifier, the tenant and
 * the registrar.
 */
import { copyFileSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { codec } from "../../../src/protocol/index.ts";
import { type RunningController, startTestController } from "../../controller/index.ts";
import { type AgentProcess, startAgent } from "../../harness/agent.ts";
import { removeTempRoots, tempRoot, writeDeviceConfig } from "../../harness/device.ts";
import { expectedPcrs, parseEventLog, readPcrs, replayIntoTpm } from "../../harness/eventlog.ts";
import { type Keylime, startKeylime, type TenantResult } from "../../harness/keylime.ts";
import { makeOnboardingCert, type OnboardingCert } from "../../harness/pki.ts";
import { acceptsConnections, freePort, waitFor } from "../../harness/proc.ts";
import { privateEkCa, type Swtpm, startSwtpm } from "../../harness/swtpm.ts";
import { EVENT_LOG } from "../flow/fixture.ts";

export interface PullRig {
  kl: Keylime;
  ctl: RunningController;
  onboard: OnboardingCert;
  sw: Swtpm;
  mtls: boolean;
  /** PCRs 0..7 as tpm2_pcrread read them before the agent first ran (the replayed boot). */
  pcrs: Map<number, string>;
  uuid: string;
  root: string;
  contactPort: number;
  payloadDir: string;
  wireDir: string;
  /** Starts the agent (again): a new process on the same device root and TPM. */
  startAgent(): AgentProcess;
  /** Waits until the registrar holds the agent, activated, and its contact port takes connections. */
  waitRegistered(): Promise<void>;
  agent(): AgentProcess | undefined;
  /** `-c add` with a PCR policy over 0..7 and the given extra arguments. */
  add(policy: Record<number, string>, extra?: string[]): Promise<TenantResult>;
  /** The verifier's view through `keylime_tenant -c cvstatus`. */
  cvstatus(): Promise<Record<string, unknown>>;
  /** Polls cvstatus until `pred` holds; returns the last answer. */
  waitCv(pred: (s: Record<string, unknown>) => boolean, what: string, timeoutMs?: number): Promise<Record<string, unknown>>;
  /** `-c delete`, waiting until the verifier no longer holds the agent. */
  remove(): Promise<void>;
  stop(): Promise<void>;
}

const SERIAL = "KL-PULL-1";

export async function startPullRig(opts: { mtls: boolean; uuid: string; allowPayloadScript?: boolean }): Promise<PullRig> {
  const ekCa = privateEkCa();
  const store = mkdtempSync(join(tmpdir(), "edge-agent-kl-store-"));
  copyFileSync(ekCa.issuerCert, join(store, "issuercert.pem"));
  const [kl, ctl, onboard, sw] = await Promise.all([
    startKeylime({ tpmCertStore: store, agentMtls: opts.mtls, quoteInterval: 2 }),
    startTestController(),
    makeOnboardingCert(),
    startSwtpm({ ekCa }),
  ]);
  await ctl.addOnboard(onboard.certPem, [SERIAL]);
  ctl.controller.newDeviceConfig = codec.EdgeDevConfig.encode({ id: { version: "1" } });
  const events = parseEventLog(new Uint8Array(readFileSync(EVENT_LOG))).events;
  await replayIntoTpm(events, sw.tcti);
  // The device's real PCRs, read from the TPM before the agent holds it, and
  // checked against a software replay of the same log.
  const pcrs = await readPcrs(sw.tcti, "sha256", [0, 1, 2, 3, 4, 5, 6, 7]);
  const replayed = expectedPcrs(events);
  for (const [p, v] of pcrs) if (replayed.get(p) !== v) throw new Error(`PCR ${p} is ${v} after the replay, the log says ${replayed.get(p)}`);

  const root = tempRoot("edge-agent-kl-pull-");
  const payloadDir = mkdtempSync(join("/dev/shm", "edge-agent-kl-pull-"));
  rmSync(payloadDir, { recursive: true });
  const wireDir = join(root, "run", "wire");
  const contactPort = await freePort();
  writeDeviceConfig(root, { server: ctl.server, rootCertPem: ctl.pki.trustPem, onboard: { certPem: onboard.certPem, keyPem: onboard.keyPem } });
  const toml = [
    `serial = ${JSON.stringify(SERIAL)}`,
    `eventLogPath = ${JSON.stringify(EVENT_LOG)}`,
    "[tpm]",
    'mode = "required"',
    `tcti = ${JSON.stringify(sw.tcti)}`,
    "[keylime]",
    "enabled = true",
    'mode = "pull"',
    `uuid = ${JSON.stringify(opts.uuid)}`,
    `registrarUrl = ${JSON.stringify(kl.registrarUrl)}`,
    'contactIp = "127.0.0.1"',
    `contactPort = ${contactPort}`,
    `mtls = ${opts.mtls}`,
    ...(opts.mtls ? [`trustedClientCa = ${JSON.stringify(kl.caCert)}`] : []),
    `payloadDir = ${JSON.stringify(payloadDir)}`,
    `allowPayloadScript = ${opts.allowPayloadScript ?? false}`,
    // No IMA on this host's test TPM: a path that does not exist, as on a kernel without IMA.
    `imaLogPath = ${JSON.stringify(join(root, "no-ima"))}`,
    "retryInitialMs = 300",
    "retryMaxMs = 2000",
    "",
  ].join("\n");
  let current: AgentProcess | undefined;
  const started: AgentProcess[] = [];

  const cvstatus = async () => {
    const s = await kl.cvstatus(opts.uuid);
    if (!s) throw new Error(`cvstatus printed nothing for ${opts.uuid}`);
    return s;
  };
  const rig: PullRig = {
    kl,
    ctl,
    onboard,
    sw,
    mtls: opts.mtls,
    pcrs,
    uuid: opts.uuid,
    root,
    contactPort,
    payloadDir,
    wireDir,
    startAgent() {
      current = startAgent({ root, toml, env: { EDGE_AGENT_WIRE_DUMP: wireDir } });
      started.push(current);
      return current;
    },
    agent: () => current,
    async waitRegistered() {
      await waitFor(async () => (await kl.registrarAgent(opts.uuid))?.active, 120_000, { intervalMs: 500, what: "the registrar to hold the agent, activated" });
      // The server starts right after activation: the tenant must not find the port closed.
      await waitFor(() => acceptsConnections(contactPort), 30_000, { intervalMs: 200, what: `the agent's contact port ${contactPort}` });
    },
    add(policy, extra = []) {
      const tpmPolicy = JSON.stringify(Object.fromEntries(Object.entries(policy).map(([k, v]) => [k, [v]])));
      return kl.tenant(["-c", "add", "-u", opts.uuid, "-t", "127.0.0.1", "-tp", String(contactPort), "--tpm_policy", tpmPolicy, ...extra], {
        timeoutMs: 180_000,
      });
    },
    cvstatus,
    async waitCv(pred, what, timeoutMs = 90_000) {
      let last: Record<string, unknown> = {};
      try {
        await waitFor(
          async () => {
            last = await cvstatus().catch(() => ({}));
            return pred(last);
          },
          timeoutMs,
          { intervalMs: 1000, what },
        );
      } catch (e) {
        throw new Error(`${(e as Error).message}; last cvstatus: ${JSON.stringify(last)}`);
      }
      return last;
    },
    async remove() {
      const r = await kl.tenant(["-c", "delete", "-u", opts.uuid], { timeoutMs: 120_000 });
      if (r.code !== 0) throw new Error(`tenant -c delete exited ${r.code}: ${r.stderr.slice(-2000)}`);
    },
    async stop() {
      for (const a of started) await a.stop().catch(() => undefined);
      await kl.stop();
      await ctl.cleanup();
      await onboard.cleanup();
      await sw.stop();
      rmSync(store, { recursive: true, force: true });
      rmSync(payloadDir, { recursive: true, force: true });
      removeTempRoots();
    },
  };
  return rig;
}

/** A PCR policy over 0..7 from the device's real values, with `wrong` PCRs changed. */
export function policyOf(pcrs: Map<number, string>, wrong: number[] = []): Record<number, string> {
  const out: Record<number, string> = {};
  for (const [p, v] of pcrs) out[p] = wrong.includes(p) ? v.replace(/.$/, (c) => (c === "0" ? "1" : "0")) : v;
  return out;
}

/** Writes a payload file for `-f`. */
export function payloadFile(dir: string, text: string): string {
  const p = join(dir, "payload.txt");
  writeFileSync(p, text);
  return p;
}
