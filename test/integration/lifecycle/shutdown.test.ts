import { afterAll, beforeAll, describe, expect, test } from "bun:test";
import { readdirSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { startTestController, type RunningController } from "../../controller/index.ts";
import { makeOnboardingCert, type OnboardingCert } from "../../harness/pki.ts";
import { startAgent } from "../../harness/agent.ts";
import { removeTempRoots, tempRoot, writeDeviceConfig } from "../../harness/device.ts";
import { startSwtpm, type Swtpm } from "../../harness/swtpm.ts";
import { waitFor } from "../../harness/proc.ts";

let ctl: RunningController;
let onboard: OnboardingCert;
let sw: Swtpm;

beforeAll(async () => {
  ctl = await startTestController();
  onboard = await makeOnboardingCert();
  await ctl.addOnboard(onboard.certPem, ["STOP-SN-1", "STOP-SN-2"]);
  sw = await startSwtpm();
});

afterAll(async () => {
  await sw.stop();
  await ctl.cleanup();
  await onboard.cleanup();
  removeTempRoots();
});

function tempFiles(dir: string): string[] {
  return (readdirSync(dir, { recursive: true }) as string[]).filter((f) => /(^|\/)\.[^/]+\.[0-9a-f]+\.tmp$/.test(f));
}

describe("stopping", () => {
  test("SIGTERM while the controller holds requests open: exits 0 within 5 s, TPM left without transient handles", async () => {
    const root = tempRoot();
    writeDeviceConfig(root, { server: ctl.server, rootCertPem: ctl.pki.trustPem, onboard: { certPem: onboard.certPem, keyPem: onboard.keyPem } });
    // A send timeout far beyond systemd's 90 s stop timeout: only the abort can end these requests in time.
    const a = startAgent({
      root,
      toml: `serial = "STOP-SN-1"\n[tpm]\nmode = "required"\ntcti = ${JSON.stringify(sw.tcti)}\n`,
      timers: { sendTimeoutMs: 300_000, dialTimeoutMs: 300_000, configIntervalMs: 300 },
    });
    await a.waitFor((s) => s.device.onboarded && s.attestation?.tokenPresent === true, 60_000);
    for (const action of ["config", "attest", "info", "certs", "uuid"]) ctl.controller.faults.hang[action] = true;
    await waitFor(() => ctl.controller.hungRequests > 0, 30_000, { what: "a request held open by the controller" });
    const t0 = performance.now();
    a.proc.kill("SIGTERM");
    const code = await a.proc.exited;
    const ms = performance.now() - t0;
    console.log(`shutdown with ${ctl.controller.hungRequests} request(s) held open: exit ${code} after ${ms.toFixed(0)} ms`);
    expect(code).toBe(0);
    expect(ms).toBeLessThan(5000);
    const log = readFileSync(a.logFile, "utf8");
    expect(log).toContain('"msg":"stopped"');
    expect(log).not.toContain("did not stop in time");
    const handles = sw.tool(["tpm2_getcap", "handles-transient"]);
    expect(handles.stdout.trim()).toBe("");
    const sessions = sw.tool(["tpm2_getcap", "handles-loaded-session"]);
    expect(sessions.stdout.trim()).toBe("");
    expect(tempFiles(root)).toEqual([]);
    for (const action of Object.keys(ctl.controller.faults.hang)) delete ctl.controller.faults.hang[action];
  }, 120_000);

  test("SIGINT during onboarding against a controller that never answers exits within 5 s", async () => {
    const root = tempRoot();
    writeDeviceConfig(root, { server: ctl.server, rootCertPem: ctl.pki.trustPem, onboard: { certPem: onboard.certPem, keyPem: onboard.keyPem } });
    ctl.controller.faults.hang.certs = true;
    const before = ctl.controller.hungRequests;
    const a = startAgent({ root, toml: `serial = "STOP-SN-2"\n[tpm]\nmode = "off"\n`, timers: { sendTimeoutMs: 300_000, dialTimeoutMs: 300_000 } });
    await waitFor(() => ctl.controller.hungRequests > before, 30_000, { what: "GET /certs held open" });
    const t0 = performance.now();
    a.proc.kill("SIGINT");
    const code = await a.proc.exited;
    const ms = performance.now() - t0;
    console.log(`shutdown during onboarding: exit ${code} after ${ms.toFixed(0)} ms`);
    expect(code).toBe(0);
    expect(ms).toBeLessThan(5000);
    delete ctl.controller.faults.hang.certs;
  }, 60_000);
});
