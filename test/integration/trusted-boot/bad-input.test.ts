import { describe, expect, test } from "bun:test";
import { readFileSync } from "node:fs";
import { join } from "node:path";
import type { StatusDocument } from "../../../src/status/index.ts";
import { trusted, useTrustedBoot } from "./fixture.ts";

const fx = useTrustedBoot("TB-SN-3");

const onbErr = (s: StatusDocument) => s.onboarding.lastError?.kind;

function secretsIn(text: string, secrets: string[]): string[] {
  return secrets.filter((x) => x.length >= 8 && text.includes(x));
}

describe("bad controller input", () => {
  test("reports typed errors, stays up and completes once the controller behaves", async () => {
    const f = fx.ctl.controller.faults;
    f.garbagePayload.certs = 2;
    f.oversizeBody.uuid = { count: 2, bytes: 9 * 1024 * 1024 };
    f.garbageBody.attest = 2;
    f.garbagePayload.config = 2;
    const a = fx.agent();
    const seen = new Set<string>();
    const watch = (s: StatusDocument) => {
      for (const k of [onbErr(s), s.attestation.lastError?.kind, s.config.poll?.lastError?.kind]) if (k) seen.add(k);
      return false;
    };
    const s1 = await a.waitFor((s) => (watch(s), s.device.onboarded), 60_000);
    await fx.ctl.putConfig(s1.device.uuid!, { id: { uuid: s1.device.uuid!, version: "1" } });
    const s = await a.waitFor((s) => (watch(s), trusted(s)), 60_000);
    expect(seen.has("certs.decode")).toBe(true);
    expect(seen.has("controller.body-too-large")).toBe(true);
    expect([...seen].some((k) => k.startsWith("envelope.") || k.startsWith("protocol."))).toBe(true);
    expect(a.proc.exitCode).toBeNull();
    expect(s.agent.pid).toBe(a.proc.pid!);
    await fx.stopAgents();

    // None of the device's secrets reached the logs or the status document.
    const log = readFileSync(a.logFile, "utf8");
    const token = readFileSync(join(fx.root, "run/eve.integrity_token"), "utf8");
    const credential = readFileSync(join(fx.root, "config/tpm_credential"), "utf8").trim();
    expect(secretsIn(log, [token, credential, credential.slice(0, 7) + credential.slice(7, 20)])).toEqual([]);
    expect(secretsIn(JSON.stringify(s), [token, credential])).toEqual([]);
    const onboardKey = readFileSync(join(fx.root, "config/onboard.key.pem"), "utf8")
      .split("\n")
      .filter((l) => l && !l.startsWith("-----"));
    expect(secretsIn(log, onboardKey)).toEqual([]);
  });
});
