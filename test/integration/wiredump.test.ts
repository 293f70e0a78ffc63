/**
 * The wire dump from the agent process's side: a private dump fills with
 * 0600 files in a directory the agent made 0700; a refused directory turns
 * the dump off without stopping the agent, with one error logged and the
 * reason in the status document.
 */
import { afterAll, afterEach, beforeAll, describe, expect, test } from "bun:test";
import { chmodSync, lstatSync, mkdirSync, readdirSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { type RunningController, startTestController } from "../controller/index.ts";
import { type AgentProcess, startAgent } from "../harness/agent.ts";
import { removeTempRoots, tempRoot, writeDeviceConfig } from "../harness/device.ts";
import { makeOnboardingCert, type OnboardingCert } from "../harness/pki.ts";

let ctl: RunningController;
let onboard: OnboardingCert;
const agents: AgentProcess[] = [];

beforeAll(async () => {
  [ctl, onboard] = await Promise.all([startTestController(), makeOnboardingCert()]);
});

afterEach(async () => {
  await Promise.all(agents.splice(0).map((a) => a.stop()));
});

afterAll(async () => {
  await ctl?.cleanup();
  await onboard?.cleanup();
  removeTempRoots();
});

async function device(serial: string): Promise<string> {
  await ctl.addOnboard(onboard.certPem, [serial]);
  const root = tempRoot();
  writeDeviceConfig(root, { server: ctl.server, rootCertPem: ctl.pki.trustPem, onboard: { certPem: onboard.certPem, keyPem: onboard.keyPem } });
  return root;
}

function agent(root: string, serial: string, wire: string): AgentProcess {
  const a = startAgent({ root, toml: `serial = ${JSON.stringify(serial)}\n[tpm]\nmode = "off"\n`, env: { EDGE_AGENT_WIRE_DUMP: wire } });
  agents.push(a);
  return a;
}

describe("wire dump of a running agent", () => {
  test("creates the directory 0700 and every file 0600, and reports its size in the status", async () => {
    const root = await device("WD-1");
    const wire = join(root, "run", "wire");
    const a = agent(root, "WD-1", wire);
    const s = await a.waitFor((s) => s.device.onboarded && (s.controller.wireDump?.exchanges ?? 0) >= 3);
    expect(lstatSync(wire).mode & 0o777).toBe(0o700);
    const files = readdirSync(wire);
    expect(files).toContain("0001-certs.req");
    for (const f of files) expect(`${f} ${(lstatSync(join(wire, f)).mode & 0o777).toString(8)}`).toBe(`${f} 600`);
    expect(s.controller.wireDump!.lastError).toBeUndefined();
  });

  test("keeps the agent running with the dump off when the directory is open to others", async () => {
    const root = await device("WD-2");
    const wire = join(root, "shared-wire");
    mkdirSync(wire);
    chmodSync(wire, 0o755);
    const a = agent(root, "WD-2", wire);
    // Onboarded: /certs, /register and /uuid went out and came back, none of them dumped.
    const s = await a.waitFor((s) => s.device.onboarded);
    expect(s.controller.wireDump?.lastError).toMatchObject({ kind: "wiredump.unsafe-dir", message: expect.stringMatching(/mode 0755/) });
    expect(readdirSync(wire)).toEqual([]);
    await a.stop();
    const errors = readFileSync(a.logFile, "utf8")
      .split("\n")
      .filter((l) => l.includes('"wire dump disabled"'));
    expect(errors).toHaveLength(1);
    expect(JSON.parse(errors[0]!).level).toBe("error");
  });
});
