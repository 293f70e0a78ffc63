/**
 * Keylime pull mode (API 2.x) with mTLS as Keylime runs it by default, against
 * the real Keylime 7.14.3 verifier, registrar and tenant, with the agent as a
 * real process that first onboards to the EVE test controller. Asserted
 * through the registrar, `keylime_tenant -c cvstatus` and the tenant's own
 * checks (identity quote, --verify), never through the agent's status: a
 * policy from the device's real PCRs is attested and polled; a wrong PCR
 * value fails the agent (negative control); the U/V payload is delivered and
 * --verify passes; after a restart the agent is failed, then deleted,
 * re-added and attested again.
 */
import { afterAll, beforeAll, describe, expect, test } from "bun:test";
import { spawnSync } from "node:child_process";
import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { EVENT_LOG } from "../flow/fixture.ts";
import { type PullRig, payloadFile, policyOf, startPullRig } from "./pull-rig.ts";

const UUID = "5b0f4bd6-2c1e-4a7e-9d3b-6c1a0f2e7d41";
let rig: PullRig;
const scratch = mkdtempSync(join(tmpdir(), "edge-agent-kl-pull-mtls-"));

const FAILED = ["Invalid Quote", "Failed", "Tenant Quote Failed"];
const count = (s: Record<string, unknown>) => Number(s.attestation_count ?? 0);

beforeAll(async () => {
  rig = await startPullRig({ mtls: true, uuid: UUID });
  console.log(`keylime up in ${rig.kl.startMs} ms`);
  rig.startAgent();
  await rig.waitRegistered();
}, 10 * 60_000);

afterAll(async () => {
  await rig?.stop();
  rmSync(scratch, { recursive: true, force: true });
});

describe("Keylime pull mode with mTLS", () => {
  test("the registrar holds the agent's self-signed certificate as mtls_cert and its contact port", async () => {
    const held = await rig.kl.registrarAgent(UUID);
    expect(held).toMatchObject({ active: true, ip: "127.0.0.1", port: rig.contactPort });
    const text = spawnSync("openssl", ["x509", "-noout", "-subject", "-issuer", "-ext", "subjectAltName"], { input: held!.mtls_cert, encoding: "utf8" }).stdout;
    expect(text).toContain(`subject=CN = ${UUID}`);
    expect(text).toContain(`issuer=CN = ${UUID}`);
    expect(text).toContain("IP Address:127.0.0.1");
  });

  test("negative control: a policy with a wrong PCR 7 makes the verifier fail the agent", async () => {
    const r = await rig.add(policyOf(rig.pcrs, [7]));
    expect(r.code).toBe(0);
    const s = await rig.waitCv((s) => FAILED.includes(String(s.operational_state)), "the verifier to fail the agent");
    expect(String(s.last_event_id)).toContain("invalid_pcr_7");
    expect(s.attestation_status).toBe("FAIL");
    expect(count(s)).toBe(0);
    await rig.remove();
  }, 180_000);

  test("attested against the device's real PCRs 0..7, polled again and again; the U/V payload arrives and --verify passes", async () => {
    const payload = `payload for ${UUID} ${Date.now()}\n`;
    const r = await rig.add(policyOf(rig.pcrs), ["-f", payloadFile(scratch, payload), "--verify"]);
    const out = `${r.stdout}\n${r.stderr}`;
    expect(r.code).toBe(0);
    // The tenant compared HMAC-SHA384(K, challenge) from keys/verify with its own K.
    expect(out).toContain("Successful key derivation");
    const s = await rig.waitCv((s) => s.operational_state === "Get Quote" && count(s) >= 3, "three good quotes");
    expect(s).toMatchObject({ attestation_status: "PASS", hash_alg: "sha256", enc_alg: "rsa2048", sign_alg: "rsassa", severity_level: null });
    // A later cvstatus sees more good quotes: the verifier keeps polling and the agent keeps passing.
    await rig.waitCv((n) => n.operational_state === "Get Quote" && count(n) > count(s), "the verifier's next good quote");
    // The payload the tenant encrypted with K, where the agent decrypted it.
    expect(readFileSync(join(rig.payloadDir, "unzipped", "decrypted_payload"), "utf8")).toBe(payload);
  }, 240_000);

  test("the agent's wire dump holds the exchanges it served as NNNN-keylime-<endpoint>", () => {
    const files = readdirSync(rig.wireDir);
    for (const ep of ["version", "quotes-identity", "keys-ukey", "quotes-integrity", "keys-vkey", "keys-verify"]) {
      const json = files.find((f) => new RegExp(`^\\d{4}-keylime-${ep}\\.json$`).test(f));
      expect(json, ep).toBeDefined();
      const meta = JSON.parse(readFileSync(join(rig.wireDir, json!), "utf8"));
      expect(meta.url).toStartWith(`https://127.0.0.1:${rig.contactPort}/`);
      expect(existsSync(join(rig.wireDir, json!.replace(/json$/, "res")))).toBe(true);
    }
    // The verifier's first integrity quote (partial=0, mask 0xff) carried the UEFI log it parsed.
    const first = files.filter((f) => /-keylime-quotes-integrity\.res$/.test(f)).sort()[0]!;
    const res = JSON.parse(readFileSync(join(rig.wireDir, first), "utf8"));
    expect(res.results.mb_measurement_list).toBe(readFileSync(EVENT_LOG).toString("base64"));
    expect(res.results.pubkey).toStartWith("-----BEGIN PUBLIC KEY-----");
  });

  test("after an agent restart the verifier fails it; deleted and re-added, it is attested again", async () => {
    await rig.agent()!.stop();
    rig.startAgent();
    await rig.waitRegistered();
    // New transport key and TLS certificate: the verifier's pinned certificate and PCR 16 no longer match.
    await rig.waitCv((s) => FAILED.includes(String(s.operational_state)), "the verifier to fail the restarted agent", 120_000);
    await rig.remove();
    const r = await rig.add(policyOf(rig.pcrs));
    expect(r.code).toBe(0);
    const s = await rig.waitCv((s) => s.operational_state === "Get Quote" && count(s) >= 2, "the re-added agent to be attested twice", 120_000);
    expect(s.attestation_status).toBe("PASS");
  }, 300_000);
});
