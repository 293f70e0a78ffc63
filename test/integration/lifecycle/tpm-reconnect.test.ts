import { describe, expect, test } from "bun:test";
import { readFileSync } from "node:fs";
import { waitFor } from "../../harness/proc.ts";
import { lifecycleRig } from "./fixture.ts";

const rig = lifecycleRig(["RECON-SN-1", "RECON-SN-2"]);

async function device(serial: string, tpm: Record<string, number> = {}) {
  const sw = await rig.swtpm();
  const extra = Object.entries(tpm)
    .map(([k, v]) => `${k} = ${v}\n`)
    .join("");
  const agent = rig.agent(rig.root(), serial, { sw, tomlTpm: extra, timers: { configIntervalMs: 300, tpmReconnectMs: 200 } });
  const s = await agent.waitFor((s) => s.device.onboarded && s.attestation?.tokenPresent === true, 60_000);
  const requests = async () => (await (await rig.ctl.admin(`/device/${s.device.uuid}/requests`)).text()).split(/(?<=\})(?=\{)/).length;
  return { sw, agent, uuid: s.device.uuid!, requests };
}

describe("a TPM connection that goes away", () => {
  test("is replaced when swtpm comes back: same process, same keys, signed requests resume", async () => {
    const { sw, agent, requests } = await device("RECON-SN-1");
    await sw.pause();
    await waitFor(() => readFileSync(agent.logFile, "utf8").includes("TPM connection failed; replacing it"), 30_000, {
      what: "the agent noticing the TPM is gone",
    });
    await Bun.sleep(500);
    await sw.resume();
    const s = await agent.waitFor((s) => (s.tpm.reconnects ?? 0) >= 1, 30_000);
    expect(s.tpm.reconnects).toBeGreaterThanOrEqual(1);
    // Every config request is an envelope signed by the device key: more of them means the TPM signs again.
    const before = await requests();
    await waitFor(async () => (await requests()) > before + 2, 30_000, { what: "signed requests after the reconnect" });
    expect(agent.proc.exitCode).toBeNull();
    const log = readFileSync(agent.logFile, "utf8");
    expect(log).toContain("TPM connection replaced");
    expect(log).not.toContain("TPM lost");
    await agent.stop();
    const handles = sw.tool(["tpm2_getcap", "handles-transient"]);
    expect(handles.stdout.trim()).toBe("");
  }, 120_000);

  test("that stays away makes the agent exit non-zero for its supervisor after its reconnect attempts", async () => {
    const { sw, agent } = await device("RECON-SN-2", { reconnectAttempts: 3 });
    await sw.pause();
    const code = await Promise.race([agent.proc.exited, Bun.sleep(60_000).then(() => "still running")]);
    expect(code).toBe(1);
    const log = readFileSync(agent.logFile, "utf8");
    expect(log).toContain("TPM lost; giving up");
    expect(log.match(/"msg":"TPM reconnect failed"/g)?.length).toBe(3);
  }, 120_000);
});
