/**
 * Keylime pull mode in its documented plain-HTTP form (keylime.mtls = false,
 * the verifier and tenant with enable_agent_mtls = False), the first
 * integration docs/keylime.md#mtls describes, against the real Keylime
 * 7.14.3 with the agent as a real process. Asserted through the registrar,
 * `keylime_tenant -c cvstatus` and the tenant's --verify: registered with
 * mtls_cert "disabled", attested and polled, and a zip payload delivered
 * whose autorun.sh is not run (allowPayloadScript is off).
 */
import { afterAll, beforeAll, describe, expect, test } from "bun:test";
import { spawnSync } from "node:child_process";
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { type PullRig, policyOf, startPullRig } from "./pull-rig.ts";

const UUID = "0c7d2a9e-41f3-4b6a-8e25-93d1c4b7a6f0";
let rig: PullRig;
const scratch = mkdtempSync(join(tmpdir(), "edge-agent-kl-pull-plain-"));
const count = (s: Record<string, unknown>) => Number(s.attestation_count ?? 0);

beforeAll(async () => {
  rig = await startPullRig({ mtls: false, uuid: UUID });
  rig.startAgent();
  await rig.waitRegistered();
}, 10 * 60_000);

afterAll(async () => {
  await rig?.stop();
  rmSync(scratch, { recursive: true, force: true });
});

describe("Keylime pull mode over plain HTTP", () => {
  test('registers with mtls_cert "disabled" and answers /version over plain HTTP', async () => {
    expect(await rig.kl.registrarAgent(UUID)).toMatchObject({ active: true, mtls_cert: "disabled", port: rig.contactPort });
    const res = await fetch(`http://127.0.0.1:${rig.contactPort}/version`);
    expect(await res.json()).toMatchObject({ code: 200, status: "Success", results: { supported_version: "2.6" } });
  });

  test("attested and polled three times; a zip payload is unpacked, its autorun.sh left unrun, and --verify passes", async () => {
    // Built by Python's zipfile: what `keylime_tenant -f` sends is the file's bytes, here an archive.
    const zip = join(scratch, "payload.zip");
    const py =
      "import sys, zipfile\nz = zipfile.ZipFile(sys.argv[1], 'w', zipfile.ZIP_DEFLATED)\nz.writestr('autorun.sh', 'touch ran\\n')\nz.writestr('app/settings.conf', 'mode = attested\\n')\nz.close()\n";
    writeFileSync(join(scratch, "mkzip.py"), py);
    expect(spawnSync("python3", [join(scratch, "mkzip.py"), zip]).status).toBe(0);
    const r = await rig.add(policyOf(rig.pcrs), ["-f", zip, "--verify"]);
    expect(r.code).toBe(0);
    expect(`${r.stdout}\n${r.stderr}`).toContain("Successful key derivation");
    const s = await rig.waitCv((s) => s.operational_state === "Get Quote" && count(s) >= 3, "three good quotes");
    expect(s).toMatchObject({ attestation_status: "PASS", enc_alg: "rsa2048", sign_alg: "rsassa" });
    const out = join(rig.payloadDir, "unzipped");
    expect(readFileSync(join(out, "decrypted_payload"))).toEqual(readFileSync(zip));
    expect(readFileSync(join(out, "app", "settings.conf"), "utf8")).toBe("mode = attested\n");
    expect(existsSync(join(out, "autorun.sh"))).toBe(true);
    await Bun.sleep(500);
    expect(existsSync(join(out, "ran"))).toBe(false);
  }, 240_000);
});
