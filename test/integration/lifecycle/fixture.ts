import { afterAll, beforeAll } from "bun:test";
import { type RunningController, startTestController } from "../../controller/index.ts";
import { type AgentProcess, startAgent } from "../../harness/agent.ts";
import { removeTempRoots, tempRoot, writeDeviceConfig } from "../../harness/device.ts";
import { makeOnboardingCert, type OnboardingCert } from "../../harness/pki.ts";
import { type Swtpm, startSwtpm } from "../../harness/swtpm.ts";

export interface LifecycleRig {
  readonly ctl: RunningController;
  /** A fresh swtpm, stopped after the file. */
  swtpm(): Promise<Swtpm>;
  /** A device root with the controller's files and the shared onboarding cert. */
  root(): string;
  /** `edge-agent run` on `root` with the TPM at `sw` (or software keys without it). */
  agent(root: string, serial: string, opts?: { sw?: Swtpm; tomlTpm?: string; timers?: Record<string, number>; logFile?: string }): AgentProcess;
}

/**
 * One test controller (all `serials` registered under one onboarding cert,
 * since it keeps one serial list per cert) and swtpms on demand, torn down
 * after the file.
 */
export function lifecycleRig(serials: string[]): LifecycleRig {
  let ctl: RunningController | undefined;
  let onboard: OnboardingCert | undefined;
  const swtpms: Swtpm[] = [];
  beforeAll(async () => {
    ctl = await startTestController();
    onboard = await makeOnboardingCert();
    await ctl.addOnboard(onboard.certPem, serials);
  });
  afterAll(async () => {
    await Promise.all(swtpms.map((s) => s.stop()));
    await ctl?.cleanup();
    await onboard?.cleanup();
    removeTempRoots();
  });
  return {
    get ctl() {
      return ctl!;
    },
    async swtpm() {
      const sw = await startSwtpm();
      swtpms.push(sw);
      return sw;
    },
    root() {
      const root = tempRoot();
      writeDeviceConfig(root, { server: ctl!.server, rootCertPem: ctl!.pki.trustPem, onboard: { certPem: onboard!.certPem, keyPem: onboard!.keyPem } });
      return root;
    },
    agent(root, serial, opts = {}) {
      const tpm = opts.sw ? `[tpm]\nmode = "required"\ntcti = ${JSON.stringify(opts.sw.tcti)}\n${opts.tomlTpm ?? ""}` : `[tpm]\nmode = "off"\n`;
      return startAgent({
        root,
        toml: `serial = ${JSON.stringify(serial)}\n${tpm}`,
        ...(opts.timers ? { timers: opts.timers } : {}),
        ...(opts.logFile ? { logFile: opts.logFile } : {}),
      });
    },
  };
}
