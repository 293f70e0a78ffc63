import { afterAll, afterEach, beforeAll, describe, expect, test } from "bun:test";
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { type RunningController, startTestController } from "../controller/index.ts";
import { type AgentProcess, startAgent } from "../harness/agent.ts";
import { removeTempRoots, tempRoot, writeDeviceConfig } from "../harness/device.ts";
import { makeControllerPki, makeOnboardingCert, type OnboardingCert } from "../harness/pki.ts";
import { waitFor } from "../harness/proc.ts";

// The offline fast path lets a rebooted device run on its checkpoints when
// no controller can be reached; it must never be taken when one answered.
const SOFT = `[tpm]\nmode = "off"\n`;
const FAST = { fastPathMs: 800 };
let onboard: OnboardingCert;
const agents: AgentProcess[] = [];
const controllers: RunningController[] = [];

beforeAll(async () => {
  onboard = await makeOnboardingCert();
});

afterEach(async () => {
  await Promise.all(agents.splice(0).map((a) => a.stop(true)));
  await Promise.all(controllers.splice(0).map((c) => c.cleanup()));
});

afterAll(async () => {
  await onboard.cleanup();
  removeTempRoots();
});

function agent(root: string, serial: string, timers: Record<string, number> = {}): AgentProcess {
  const a = startAgent({ root, toml: `serial = ${JSON.stringify(serial)}\n${SOFT}`, timers });
  agents.push(a);
  return a;
}

/** A device onboarded once, then stopped: it has a UUID and a controller cert checkpoint. */
async function onboardedDevice(serial: string): Promise<{ c: RunningController; root: string; uuid: string }> {
  const c = await startTestController();
  controllers.push(c);
  await c.addOnboard(onboard.certPem, [serial]);
  const root = tempRoot();
  writeDeviceConfig(root, { server: c.server, rootCertPem: c.pki.trustPem, onboard: { certPem: onboard.certPem, keyPem: onboard.keyPem } });
  const first = agent(root, serial);
  const s = await first.waitFor((s) => s.device.onboarded);
  await first.stop();
  return { c, root, uuid: s.device.uuid! };
}

/** Waits until the onboarding loop has tried `n` times and the fast-path deadline has long passed. */
async function pastFastPath(a: AgentProcess, attempts: number): Promise<void> {
  const t0 = Date.now();
  await waitFor(
    async () => {
      const s = await a.status();
      return s !== undefined && (s.onboarding.attempts ?? 0) >= attempts && Date.now() - t0 > FAST.fastPathMs * 3;
    },
    30_000,
    { what: `${attempts} onboarding attempts` },
  );
}

describe("offline fast path", () => {
  test("is not taken when the controller answers and refuses the device; onboarding completes once it accepts", async () => {
    const { c, root, uuid } = await onboardedDevice("FP-SN-1");
    c.controller.faults.statusFor.uuid = 401;
    c.controller.faults.statusFor.register = 403;
    const a = agent(root, "FP-SN-1", FAST);
    await pastFastPath(a, 3);
    const s = (await a.status())!;
    expect(s.device.onboarded).toBe(false);
    expect(s.onboarding.via).toBeUndefined();
    expect(s.attestation).toEqual({});
    expect(readFileSync(a.logFile, "utf8")).toContain("no offline fast path");
    delete c.controller.faults.statusFor.uuid;
    delete c.controller.faults.statusFor.register;
    const done = await a.waitFor((s) => s.device.onboarded, 30_000);
    expect(done.onboarding.via).toBe("controller");
    expect(done.device.uuid).toBe(uuid);
  });

  test("is not taken when the /certs chain does not verify against the device's root", async () => {
    const { c, root } = await onboardedDevice("FP-SN-2");
    const stranger = await makeControllerPki({ hosts: ["127.0.0.1"] });
    try {
      c.controller.rotateControllerCerts({
        signingCertPem: stranger.signing.certPem,
        signingKeyPem: stranger.signing.keyPem,
        ecdhCertPem: stranger.ecdh.certPem,
      });
      const a = agent(root, "FP-SN-2", FAST);
      await pastFastPath(a, 3);
      const s = (await a.status())!;
      expect(s.device.onboarded).toBe(false);
      expect(s.onboarding.lastError?.kind).toBe("certs.chain");
    } finally {
      await stranger.cleanup();
    }
  });

  test("is taken when nothing answers, and the UUID the controller later assigns reaches the services", async () => {
    const { c, root, uuid } = await onboardedDevice("FP-SN-3");
    c.stop();
    // While the device was away the controller forgot it; /register will create it again under a new UUID.
    c.controller.state.devices.delete(uuid);
    const a = agent(root, "FP-SN-3", FAST);
    const offline = await a.waitFor((s) => s.device.onboarded, 20_000);
    expect(offline.device.uuid).toBe(uuid);
    expect(offline.onboarding.via).toBe("fast-path");
    c.restart();
    const online = await a.waitFor((s) => s.onboarding.via === "controller" && s.device.uuid !== uuid, 30_000);
    const fresh = online.device.uuid!;
    expect(await c.devices()).toEqual([fresh]);
    expect(readFileSync(join(root, "persist/status/uuid"), "utf8").trim()).toBe(fresh);
    // The services follow: info and the cert upload arrive under the new UUID, not the old one.
    await waitFor(
      async () => {
        const r = await c.admin(`/device/${fresh}/info`);
        return r.ok && (await r.text()).length > 2;
      },
      30_000,
      { what: "info under the new UUID" },
    );
    await waitFor(
      async () => {
        const r = await c.admin(`/device/${fresh}/certs`);
        return r.ok && ((await r.json()) as { certs?: unknown[] }).certs?.length;
      },
      30_000,
      { what: "edge node certs under the new UUID" },
    );
  });
});
