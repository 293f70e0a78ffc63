import { describe, expect, test } from "bun:test";
import { readdirSync, readFileSync } from "node:fs";
import { waitFor } from "../../harness/proc.ts";
import { lifecycleRig } from "./fixture.ts";

const rig = lifecycleRig(["STOP-SN-1", "STOP-SN-2"]);

function tempFiles(dir: string): string[] {
  return (readdirSync(dir, { recursive: true }) as string[]).filter((f) => /(^|\/)\.[^/]+\.[0-9a-f]+\.tmp$/.test(f));
}

describe("stopping", () => {
  test("SIGTERM while the controller holds requests open: exits 0 within 5 s, TPM left without transient handles", async () => {
    const sw = await rig.swtpm();
    const root = rig.root();
    // A send timeout far beyond systemd's 90 s stop timeout: only the abort can end these requests in time.
    const a = rig.agent(root, "STOP-SN-1", { sw, timers: { sendTimeoutMs: 300_000, dialTimeoutMs: 300_000, configIntervalMs: 300 } });
    await a.waitFor((s) => s.device.onboarded && s.attestation?.tokenPresent === true, 60_000);
    for (const action of ["config", "attest", "info", "certs", "uuid"]) rig.ctl.controller.faults.hang[action] = true;
    await waitFor(() => rig.ctl.controller.hungRequests > 0, 30_000, { what: "a request held open by the controller" });
    const t0 = performance.now();
    a.proc.kill("SIGTERM");
    const code = await a.proc.exited;
    const ms = performance.now() - t0;
    console.log(`shutdown with ${rig.ctl.controller.hungRequests} request(s) held open: exit ${code} after ${ms.toFixed(0)} ms`);
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
    for (const action of Object.keys(rig.ctl.controller.faults.hang)) delete rig.ctl.controller.faults.hang[action];
  }, 120_000);

  test("SIGINT during onboarding against a controller that never answers exits within 5 s", async () => {
    const root = rig.root();
    rig.ctl.controller.faults.hang.certs = true;
    const before = rig.ctl.controller.hungRequests;
    const a = rig.agent(root, "STOP-SN-2", { timers: { sendTimeoutMs: 300_000, dialTimeoutMs: 300_000 } });
    await waitFor(() => rig.ctl.controller.hungRequests > before, 30_000, { what: "GET /certs held open" });
    const t0 = performance.now();
    a.proc.kill("SIGINT");
    const code = await a.proc.exited;
    const ms = performance.now() - t0;
    console.log(`shutdown during onboarding: exit ${code} after ${ms.toFixed(0)} ms`);
    expect(code).toBe(0);
    expect(ms).toBeLessThan(5000);
    delete rig.ctl.controller.faults.hang.certs;
  }, 60_000);
});
