import { afterAll, beforeAll } from "bun:test";
import { readFileSync, rmSync } from "node:fs";
import { join } from "node:path";
import { EsysTpm } from "../../../native/tss2/index.ts";
import { parseCertificatesPem } from "../../../src/pki/index.ts";
import { codec } from "../../../src/protocol/index.ts";
import { deviceLayout } from "../../../src/state/index.ts";
import type { StatusDocument } from "../../../src/status/index.ts";
import { openTpm } from "../../../src/tpm/index.ts";
import { VaultManager } from "../../../src/vault/index.ts";
import { type RunningController, startTestController } from "../../controller/index.ts";
import { type AgentProcess, startAgent } from "../../harness/agent.ts";
import { tempRoot, writeDeviceConfig } from "../../harness/device.ts";
import { OVMF_EVENT_LOG, parseEventLog, replayIntoTpm } from "../../harness/eventlog.ts";
import { makeOnboardingCert, type OnboardingCert } from "../../harness/pki.ts";
import { type Swtpm, startSwtpm } from "../../harness/swtpm.ts";

export const EVENT_LOG = OVMF_EVENT_LOG;

export interface TrustedBootFixture {
  sw: Swtpm;
  ctl: RunningController;
  root: string;
  serial: string;
  agent(env?: Record<string, string>): AgentProcess;
  /** Stops every agent started so far (swtpm serves one client at a time). */
  stopAgents(): Promise<void>;
  tool(args: string[]): string;
}

/**
 * One measured-boot device per test file: a swtpm with a recorded OVMF boot
 * replayed into it, the test controller over TLS, and a device root whose
 * agent runs on the TPM backend with the same event log.
 */
export function useTrustedBoot(serial: string): TrustedBootFixture {
  const fx = { serial, root: tempRoot("edge-agent-tb-") } as TrustedBootFixture;
  const agents: AgentProcess[] = [];
  let onboard: OnboardingCert;
  beforeAll(async () => {
    fx.sw = await startSwtpm();
    await replayIntoTpm(parseEventLog(new Uint8Array(readFileSync(EVENT_LOG))).events, fx.sw.tcti);
    fx.ctl = await startTestController();
    onboard = await makeOnboardingCert();
    await fx.ctl.addOnboard(onboard.certPem, [serial]);
    writeDeviceConfig(fx.root, { server: fx.ctl.server, rootCertPem: fx.ctl.pki.trustPem, onboard: { certPem: onboard.certPem, keyPem: onboard.keyPem } });
  });
  afterAll(async () => {
    await Promise.all(agents.map((a) => a.stop(true)));
    await fx.ctl?.cleanup();
    await onboard?.cleanup();
    await fx.sw?.stop();
    if (!process.env.EDGE_AGENT_KEEP_TEST_DIRS) rmSync(fx.root, { recursive: true, force: true });
  });
  fx.agent = (env = {}) => {
    const a = startAgent({
      root: fx.root,
      toml: `serial = ${JSON.stringify(serial)}\neventLogPath = ${JSON.stringify(EVENT_LOG)}\n[tpm]\nmode = "required"\ntcti = ${JSON.stringify(fx.sw.tcti)}\n`,
      env,
    });
    agents.push(a);
    return a;
  };
  fx.stopAgents = async () => {
    await Promise.all(agents.map((a) => a.stop()));
  };
  fx.tool = (args) => fx.sw.tool(args).stdout;
  return fx;
}

export function trusted(s: StatusDocument): boolean {
  return s.device.onboarded && s.attestation.state === "Complete" && s.vault.status === "ENABLED" && s.vault.locked === false && s.config.received === true;
}

/**
 * Opens the device's vault in the test process (its agent stopped: swtpm
 * serves one client) and returns the version of the config the agent kept
 * there, or undefined when the vault stays locked.
 */
export async function configInVault(tcti: string, root: string): Promise<string | undefined> {
  const tpm = await openTpm({ tcti, connect: (t) => EsysTpm.open(t) });
  try {
    await tpm.ensureKeys({ credential: readFileSync(join(root, "config/tpm_credential"), "utf8").trim() });
    const layout = deviceLayout(root);
    const point = parseCertificatesPem(readFileSync(layout.config.deviceCert))[0]!.publicKey;
    const v = new VaultManager({ layout, tpm, deviceCertPoint: (point as { point: Uint8Array }).point });
    const st = await v.open();
    if (st.locked) return undefined;
    const bytes = await v.store.get("config.current");
    v.close();
    return bytes ? codec.EdgeDevConfig.decode(bytes).id?.version : undefined;
  } finally {
    await tpm.close();
  }
}

/** ZInfoMsg records the controller stored for the device (protojson), through the admin client. */
export async function infoLines(ctl: RunningController, uuid: string): Promise<Record<string, any>[]> {
  return await ctl.client.deviceInfo(uuid);
}
