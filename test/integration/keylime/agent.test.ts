// The agent as a real process with [keylime] enabled: EVE onboarding,
// attestation and config go on against the test controller while the Keylime
// service registers with the real registrar beside them, and its state shows
// in the status document. A registrar that is down stays in the Keylime
// section and does not hold EVE's services up.
import { afterAll, beforeAll, describe, expect, test } from "bun:test";
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { codec } from "../../../src/protocol/index.ts";
import type { StatusDocument } from "../../../src/status/index.ts";
import { type RunningController, startTestController } from "../../controller/index.ts";
import { removeTempRoots } from "../../harness/device.ts";
import { type Keylime, startKeylime } from "../../harness/keylime.ts";
import { makeOnboardingCert, type OnboardingCert } from "../../harness/pki.ts";
import { freePort } from "../../harness/proc.ts";
import { type MeasuredDevice, measuredDevice } from "../flow/fixture.ts";

let onboard: OnboardingCert;
let ctl: RunningController;
let kl: Keylime;
let store: string;
const devices: MeasuredDevice[] = [];

beforeAll(async () => {
  store = mkdtempSync(join(tmpdir(), "edge-agent-kl-store-"));
  [onboard, kl] = await Promise.all([makeOnboardingCert(), startKeylime({ tpmCertStore: store, agentMtls: false })]);
  ctl = await startTestController();
  await ctl.addOnboard(onboard.certPem, ["*"]);
  ctl.controller.newDeviceConfig = codec.EdgeDevConfig.encode({ id: { version: "1" } });
}, 10 * 60_000);

afterAll(async () => {
  await Promise.all(devices.map((d) => d.dispose()));
  await ctl?.cleanup();
  await onboard?.cleanup();
  await kl?.stop();
  rmSync(store, { recursive: true, force: true });
  removeTempRoots();
});

/** [keylime] as a drop-in next to the agent.toml the harness writes. */
function keylimeDropIn(dev: MeasuredDevice, table: string): void {
  mkdirSync(join(dev.root, "agent.d"), { recursive: true });
  writeFileSync(join(dev.root, "agent.d", "50-keylime.toml"), `[keylime]\n${table}\n`);
}

const eveTrusted = (s: StatusDocument) => s.device.onboarded && s.attestation.state === "Complete" && s.config.received === true;

describe("the agent process with [keylime] enabled", () => {
  test("registers and activates with the real registrar while EVE attests and gets its config", async () => {
    const dev = await measuredDevice(ctl, onboard, "keylime-serial-1");
    devices.push(dev);
    keylimeDropIn(dev, `enabled = true\nregistrarUrl = "${kl.registrarUrl}"\nmtls = false\ncontactPort = 9002\nretryInitialMs = 200\nretryMaxMs = 2000`);
    const a = dev.agent();
    const s = await a.waitFor((d) => eveTrusted(d) && d.keylime.activated === true, 120_000);
    const uuid = s.keylime.uuid!;
    expect(s.keylime).toMatchObject({ enabled: true, mode: "pull", registered: true, activated: true, akHandle: "0x81000003", apiVersion: "2.6" });
    expect(s.keylime.lastError).toBeUndefined();
    // Asserted through the registrar: it holds the agent, activated.
    const held = await kl.registrarAgent(uuid);
    expect(held?.active).toBe(true);
    expect(held?.port).toBe(9002);
    await a.stop();
  }, 180_000);

  test("a registrar that does not answer shows in the keylime section and does not hold up EVE's services", async () => {
    const dev = await measuredDevice(ctl, onboard, "keylime-serial-2");
    devices.push(dev);
    const dead = await freePort();
    keylimeDropIn(dev, `enabled = true\nregistrarUrl = "http://127.0.0.1:${dead}"\nmtls = false\nretryInitialMs = 200\nretryMaxMs = 1000`);
    const a = dev.agent();
    const s = await a.waitFor((d) => eveTrusted(d) && (d.keylime.registrationAttempts ?? 0) >= 2, 120_000);
    expect(s.keylime).toMatchObject({ enabled: true, registered: false, activated: false });
    expect(s.keylime.lastError?.kind).toBe("keylime.unreachable");
    expect(s.attestation.state).toBe("Complete");
    await a.stop();
  }, 180_000);
});
