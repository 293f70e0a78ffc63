import { afterAll, afterEach, beforeAll, describe, expect, test } from "bun:test";
import { existsSync, readdirSync, readFileSync, rmSync } from "node:fs";
import { join } from "node:path";
import { type RunningController, startTestController } from "../controller/index.ts";
import { type AgentProcess, startAgent } from "../harness/agent.ts";
import { removeTempRoots, tempRoot, writeDeviceConfig } from "../harness/device.ts";
import { makeOnboardingCert, type OnboardingCert } from "../harness/pki.ts";
import { freePort, run } from "../harness/proc.ts";

const SOFT = `[tpm]\nmode = "off"\n`;
let onboard: OnboardingCert;
const agents: AgentProcess[] = [];
const controllers: RunningController[] = [];

async function controller(opts: Parameters<typeof startTestController>[0] = {}): Promise<RunningController> {
  const c = await startTestController(opts);
  controllers.push(c);
  return c;
}

function agent(root: string, serial: string, timers: Record<string, number> = {}, env: Record<string, string> = {}): AgentProcess {
  const a = startAgent({ root, toml: `serial = ${JSON.stringify(serial)}\n${SOFT}`, env, timers });
  agents.push(a);
  return a;
}

function device(c: RunningController, server = c.server): string {
  const root = tempRoot();
  writeDeviceConfig(root, { server, rootCertPem: c.pki.trustPem, onboard: { certPem: onboard.certPem, keyPem: onboard.keyPem } });
  return root;
}

beforeAll(async () => {
  onboard = await makeOnboardingCert();
});

afterEach(async () => {
  await Promise.all(agents.splice(0).map((a) => a.stop(true)));
});

afterAll(async () => {
  await Promise.all(controllers.splice(0).map((c) => c.cleanup()));
  await onboard.cleanup();
  removeTempRoots();
});

// The scenarios every controller must pass (first onboarding, restart, unknown
// cert or serial) are in controllers/onboarding.test.ts, run against this
// controller and Adam; these need the test controller's fault hooks or test
// the agent alone.
describe("onboarding against the test controller", () => {
  test("openssl accepts the device cert when it is created", async () => {
    const c = await controller();
    await c.addOnboard(onboard.certPem, ["SN-X"]);
    const root = device(c);
    const a = agent(root, "SN-X");
    await a.waitFor((s) => s.device.onboarded);
    const certPath = join(root, "config/device.cert.pem");
    const text = await run(["openssl", "x509", "-in", certPath, "-noout", "-text"]);
    expect(text.code).toBe(0);
    expect(text.stdout).toContain("O = The Linux Foundation, CN = EVE");
    expect(text.stdout).toContain("CA:TRUE");
    expect(text.stdout).toContain("TLS Web Client Authentication, TLS Web Server Authentication");
    const verify = await run(["openssl", "verify", "-CAfile", certPath, certPath]);
    expect(verify.stdout.trim()).toBe(`${certPath}: OK`);
    for (const f of ["ecdh.cert.pem", "attest.cert.pem"]) {
      const v = await run(["openssl", "verify", "-CAfile", certPath, join(root, "persist/certs", f)]);
      expect(v.code).toBe(0);
    }
  });

  test("onboards once the controller comes up when it is down at start", async () => {
    const port = await freePort();
    const c = await controller({ port, start: false });
    await c.addOnboard(onboard.certPem, ["SN-3"]).catch(() => {});
    const root = device(c, `127.0.0.1:${port}`);
    const a = agent(root, "SN-3");
    await a.waitFor((s) => s.onboarding.lastError?.kind === "controller.refused");
    c.restart();
    await c.addOnboard(onboard.certPem, ["SN-3"]);
    const s = await a.waitFor((s) => s.device.onboarded, 30_000);
    expect(s.device.uuid).toBe((await c.devices())[0]);
  });

  test("refuses a tampered /uuid envelope and onboards with a good one", async () => {
    const c = await controller();
    await c.addOnboard(onboard.certPem, ["SN-4"]);
    c.controller.faults.tamperSignatures.uuid = 2;
    const root = device(c);
    const wire = join(root, "wire");
    const a = agent(root, "SN-4", {}, { EDGE_AGENT_WIRE_DUMP: wire });
    const s = await a.waitFor((s) => s.device.onboarded);
    expect(s.onboarding.lastError?.kind).toBe("envelope.signature");
    // Two refused answers, then the good one; later /uuid calls come from config 404 re-checks.
    const uuidExchanges = readdirSync(wire)
      .filter((f) => f.endsWith("-uuid.json"))
      .sort();
    expect(uuidExchanges.length).toBeLessThan(20);
    expect(uuidExchanges.length).toBeGreaterThanOrEqual(3);
    const firstCerts = readdirSync(wire)
      .filter((f) => f.endsWith(".json"))
      .sort()
      .slice(0, 6)
      .map((f) => f.replace(/^\d+-|\.json$/g, ""));
    // A failed /uuid is asked once more in the same tick while self-registering, as EVE does.
    expect(firstCerts).toEqual(["certs", "register", "uuid", "uuid", "register", "uuid"].slice(0, firstCerts.length));
    expect(c.controller.faults.tamperSignatures.uuid).toBe(0);
  });

  test("completes onboarding after kill -9 mid-onboarding when restarted", async () => {
    const c = await controller();
    await c.addOnboard(onboard.certPem, ["SN-6"]);
    c.controller.faults.statusFor.uuid = 503;
    const root = device(c);
    const first = agent(root, "SN-6");
    // Registered with the controller, but /uuid has not answered yet: the device is half-onboarded.
    await first.waitFor((s) => (s.onboarding.attempts ?? 0) >= 2 && s.onboarding.lastError?.message.includes("503") === true);
    expect(await c.devices()).toHaveLength(1);
    expect(existsSync(join(root, "persist/status/uuid"))).toBe(false);
    await first.stop(true);
    delete c.controller.faults.statusFor.uuid;
    const second = agent(root, "SN-6");
    const s = await second.waitFor((s) => s.device.onboarded);
    expect(s.device.uuid).toBe((await c.devices())[0]);
    expect(await c.devices()).toHaveLength(1);
  });

  test("comes up offline through the fast path when UUID and cert checkpoint exist", async () => {
    const c = await controller();
    await c.addOnboard(onboard.certPem, ["SN-7"]);
    const root = device(c);
    const first = agent(root, "SN-7");
    const s1 = await first.waitFor((s) => s.device.onboarded);
    await first.stop();
    c.stop();
    const second = agent(root, "SN-7", { fastPathMs: 1000 });
    const s2 = await second.waitFor((s) => s.device.onboarded, 15_000);
    expect(s2.device.uuid).toBe(s1.device.uuid);
    expect(s2.onboarding.via).toBe("fast-path");
  });

  test("writes every exchange of the onboarding sequence when the wire dump is on", async () => {
    const c = await controller();
    await c.addOnboard(onboard.certPem, ["SN-8"]);
    const root = device(c);
    const wire = join(root, "wire");
    const a = agent(root, "SN-8", {}, { EDGE_AGENT_WIRE_DUMP: wire });
    await a.waitFor((s) => s.device.onboarded);
    const files = readdirSync(wire).sort();
    expect(files.slice(0, 9)).toEqual([
      "0001-certs.json",
      "0001-certs.req",
      "0001-certs.res",
      "0002-register.json",
      "0002-register.req",
      "0002-register.res",
      "0003-uuid.json",
      "0003-uuid.req",
      "0003-uuid.res",
    ]);
    const meta = JSON.parse(readFileSync(join(wire, "0002-register.json"), "utf8"));
    expect(meta.method).toBe("POST");
    expect(meta.status).toBe(201);
    expect(meta.requestHeaders["Content-Type"]).toBe("application/x-proto-binary");
    expect(meta.requestHeaders["X-Serial-Number"]).toBe("SN-8");
    expect(readFileSync(join(wire, "0001-certs.req")).length).toBe(0);
    expect(readFileSync(join(wire, "0001-certs.res")).length).toBeGreaterThan(100);
  });

  test("edge-agent check passes on an onboarded device and fails when the server file is gone", async () => {
    const c = await controller();
    await c.addOnboard(onboard.certPem, ["SN-9"]);
    const root = device(c);
    const a = agent(root, "SN-9");
    await a.waitFor((s) => s.device.onboarded);
    const cli = (args: string[]) => run([process.execPath, join(import.meta.dir, "../../src/cli.ts"), ...args, "--config", join(root, "agent.toml")]);
    const ok = await cli(["check"]);
    expect(ok.stdout).toContain("[ok  ] controller: GET /ping answered 200");
    expect(ok.stdout).toMatch(/\[ok {2}\] agent: running .* onboarded as/);
    expect(ok.code).toBe(0);
    rmSync(join(root, "config/server"));
    const bad = await cli(["check"]);
    expect(bad.stdout).toContain("[fail] config/server");
    expect(bad.code).toBe(1);
  });

  test("goes on to /uuid when the repeated /register gets no HTTP answer at all", async () => {
    const c = await controller();
    await c.addOnboard(onboard.certPem, ["SN-10"]);
    const root = device(c);
    const first = agent(root, "SN-10");
    const s1 = await first.waitFor((s) => s.device.onboarded);
    await first.stop();
    c.controller.faults.dropConnection.register = 100;
    const wire = join(root, "wire-drop");
    // No fast path here: onboarding must complete through /uuid.
    const second = agent(root, "SN-10", { fastPathMs: 60_000 }, { EDGE_AGENT_WIRE_DUMP: wire });
    const s2 = await second.waitFor((s) => s.device.onboarded && s.onboarding.via === "controller");
    expect(s2.device.uuid).toBe(s1.device.uuid);
    const first3 = readdirSync(wire)
      .filter((f) => f.endsWith(".json"))
      .sort()
      .slice(0, 3)
      .map((f) => f.replace(/^\d+-|\.json$/g, ""));
    expect(first3).toEqual(["certs", "register", "uuid"]);
    const reg = JSON.parse(readFileSync(join(wire, readdirSync(wire).find((f) => f.endsWith("-register.json"))!), "utf8"));
    expect(reg.status).toBeNull();
    expect(reg.error).toBeTruthy();
  });
});
