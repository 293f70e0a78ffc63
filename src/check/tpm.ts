import { existsSync } from "node:fs";
import type { AgentConfig } from "../config/index.ts";
import type { DeviceLayout } from "../state/index.ts";
import type { StatusDocument } from "../status/index.ts";
import type { TpmPort } from "../tpm/index.ts";
import { tctiDevicePath } from "../tpm/tcti.ts";
import type { CheckResult } from "./result.ts";

export interface TpmCheckOptions {
  /** Opens a TPM connection (native/tss2's openWorkerTpm). */
  connect: (tcti: string) => Promise<TpmPort>;
  /** Limit for opening the TPM and for each check's TPM work; a busy or stuck TPM fails the check, never hangs it. */
  timeoutMs?: number;
}

/** Whether another client may use the TPM while the agent holds its connection. */
function sharedTcti(tcti: string): boolean {
  return tctiDevicePath(tcti)?.includes("tpmrm") === true;
}

/**
 * The TPM self-test of `edge-agent check`: PCR banks, measured boot, a test
 * quote verified in software, a test seal and unseal, the EK certificate and
 * the persistent keys' templates. Runs over its own connection and queue,
 * every object and session flushed. While the agent runs, only a TCTI with a
 * resource manager (/dev/tpmrm0) may be shared: without one (swtpm, a bare
 * /dev/tpm0) two clients share the TPM's few object and session slots.
 */
export async function tpmChecks(cfg: AgentConfig, layout: DeviceLayout, agent: StatusDocument | undefined, opts: TpmCheckOptions): Promise<CheckResult[]> {
  if (cfg.tpm.mode === "off") return [];
  const dev = tctiDevicePath(cfg.tpm.tcti);
  if (dev !== undefined && !existsSync(dev)) return [];
  if (existsSync(layout.config.deviceCert) && existsSync(layout.config.deviceKey)) return [];
  if (agent && !sharedTcti(cfg.tpm.tcti)) {
    return [
      {
        name: "tpm self-test",
        verdict: "warn",
        detail: `skipped: the running agent (pid ${agent.agent.pid}) uses ${cfg.tpm.tcti}, which has no resource manager to share it`,
        hint: 'stop the agent to run the TPM checks, or use tcti = "device:/dev/tpmrm0"',
      },
    ];
  }
  // The TPM layer and the self-test load only here: most checks of a running agent's device end above.
  const { runTpmSelfTest } = await import("./tpm-selftest.ts");
  return await runTpmSelfTest(cfg, layout, opts);
}
