import { readFileSync, rmSync } from "node:fs";
import { resolve } from "node:path";
import { ZAttestReqType } from "../../../src/protocol/index.ts";
import type { StatusDocument } from "../../../src/status/index.ts";
import type { RunningController } from "../../controller/index.ts";
import { type AgentProcess, startAgent } from "../../harness/agent.ts";
import { tempRoot, writeDeviceConfig } from "../../harness/device.ts";
import { parseEventLog, replayIntoTpm } from "../../harness/eventlog.ts";
import type { OnboardingCert } from "../../harness/pki.ts";
import { type Swtpm, startSwtpm } from "../../harness/swtpm.ts";

export const EVENT_LOG = resolve(import.meta.dir, "../../fixtures/harness/eventlog-ovmf.bin");

export interface MeasuredDevice {
  sw: Swtpm;
  root: string;
  serial: string;
  /** Starts the agent on this device; `timers` go on top of the harness's fast timers. */
  agent(opts?: { timers?: Record<string, number>; env?: Record<string, string> }): AgentProcess;
  /** Stops the agents, the swtpm and removes the device root. */
  dispose(): Promise<void>;
}

/**
 * A fresh measured-boot device talking to `ctl`: its own swtpm (one client
 * at a time, so one per device) with the recorded OVMF boot replayed, and a
 * device root with EVE's /config files. Several can run side by side.
 */
export async function measuredDevice(ctl: RunningController, onboard: OnboardingCert, serial: string): Promise<MeasuredDevice> {
  const sw = await startSwtpm();
  const root = tempRoot("edge-agent-flow-");
  try {
    await replayIntoTpm(parseEventLog(new Uint8Array(readFileSync(EVENT_LOG))).events, sw.tcti);
  } catch (e) {
    await sw.stop();
    throw e;
  }
  writeDeviceConfig(root, { server: ctl.server, rootCertPem: ctl.pki.trustPem, onboard: { certPem: onboard.certPem, keyPem: onboard.keyPem } });
  const agents: AgentProcess[] = [];
  return {
    sw,
    root,
    serial,
    agent(opts = {}) {
      const a = startAgent({
        root,
        toml: `serial = ${JSON.stringify(serial)}\neventLogPath = ${JSON.stringify(EVENT_LOG)}\n[tpm]\nmode = "required"\ntcti = ${JSON.stringify(sw.tcti)}\n`,
        ...(opts.timers ? { timers: opts.timers } : {}),
        ...(opts.env ? { env: opts.env } : {}),
      });
      agents.push(a);
      return a;
    },
    async dispose() {
      await Promise.all(agents.map((a) => a.stop()));
      await sw.stop();
      if (!process.env.EDGE_AGENT_KEEP_TEST_DIRS) rmSync(root, { recursive: true, force: true });
    },
  };
}

/** The controller's count of /attest requests of one type from one device. */
export function attestCount(ctl: RunningController, uuid: string, type: number): number {
  return ctl.controller.state.devices.get(uuid)?.attestRequests.filter((t) => t === type).length ?? 0;
}

export const NONCE = ZAttestReqType.ATTEST_REQ_NONCE;
export const QUOTE = ZAttestReqType.ATTEST_REQ_QUOTE;
