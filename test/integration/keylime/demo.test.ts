/**
 * Issue 12 point 8: `npm run demo -- --keylime` as a user runs it (the demo
 * script as its own process, in pull mode), the device attested by the
 * in-repo EVE test controller and by the real Keylime at once. Checked from
 * the outside: the exit code, both verdicts as the demo printed them (the
 * verifier's cvstatus and the registrar's record, the controller's device
 * record), the controller's devices.json and the wire dump, which must hold
 * every Keylime exchange the agent sent (registrar) or served (verifier,
 * tenant) as NNNN-keylime-<endpoint>.{req,res,json} with method, URL and
 * status.
 */
import { afterAll, describe, expect, test } from "bun:test";
import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join, resolve } from "node:path";
import { run } from "../../harness/proc.ts";

const REPO = resolve(import.meta.dir, "../../..");
const dir = join(mkdtempSync(join(tmpdir(), "edge-agent-kl-demo-")), "demo");

afterAll(() => rmSync(join(dir, ".."), { recursive: true, force: true }));

describe("npm run demo -- --keylime", () => {
  test("prints the EVE and the Keylime verdicts, exits 0, and its wire dump holds every Keylime exchange", async () => {
    const r = await run([process.execPath, join(REPO, "scripts/demo.ts"), "--keylime"], {
      cwd: REPO,
      env: { ...process.env, EDGE_AGENT_DEMO_DIR: dir, EDGE_AGENT_DEMO_TIMEOUT_MS: "150000" },
      timeoutMs: 200_000,
    });
    const out = r.stdout;
    if (r.code !== 0) console.log(`demo exited ${r.code}\n${out.slice(-4000)}\n${r.stderr.slice(-4000)}`);
    expect(r.code).toBe(0);
    const eve = /^ {2}EVE +test controller: device ([0-9a-f-]{36}) attested=true; status: attestation Complete, vault ENABLED unlocked, config 101$/m.exec(out);
    expect(eve).not.toBeNull();
    const cv = /^ {2}Keylime +verifier \(pull\): agent ([0-9a-f]{64}) operational_state "Get Quote", attestation_status PASS, attestation_count (\d+)$/m.exec(
      out,
    );
    expect(cv).not.toBeNull();
    expect(Number(cv![2])).toBeGreaterThanOrEqual(3);
    const held = /^ {2}Keylime +registrar: active=true regcount=1 ip=127\.0\.0\.1 port=(\d+) mtls_cert=certificate ekcert=yes$/m.exec(out);
    expect(held).not.toBeNull();
    expect(out).toContain("demo: OK: ");

    // The test controller's own record of the device, written by the demo when it stopped.
    const devices = JSON.parse(readFileSync(join(dir, "controller", "devices.json"), "utf8")) as { uuid: string; attested: boolean }[];
    expect(devices).toEqual([expect.objectContaining({ uuid: eve![1], attested: true })]);
    const status = JSON.parse(readFileSync(join(dir, "status.json"), "utf8"));
    expect(status.keylime).toMatchObject({ uuid: cv![1], registered: true, activated: true });

    const wire = join(dir, "wire");
    const files = readdirSync(wire);
    const meta = (ep: string) =>
      files
        .filter((f) => new RegExp(`^\\d{4}-keylime-${ep}\\.json$`).test(f))
        .sort()
        .map((f) => {
          for (const part of ["req", "res"]) expect(existsSync(join(wire, f.replace(/json$/, part)))).toBe(true);
          return JSON.parse(readFileSync(join(wire, f), "utf8")) as { method: string; url: string; status: number };
        });
    // Sent by the agent: the registrar's version, registration and activation.
    const registrar = /^http:\/\/127\.0\.0\.1:\d+/.exec(meta("registrar-version")[0]!.url)![0];
    expect(meta("registrar-version")[0]).toMatchObject({ method: "GET", url: `${registrar}/version`, status: 200 });
    expect(meta("registrar-register")[0]).toMatchObject({ method: "POST", url: `${registrar}/v2.6/agents/${cv![1]}`, status: 200 });
    expect(meta("registrar-activate")[0]).toMatchObject({ method: "PUT", url: `${registrar}/v2.6/agents/${cv![1]}`, status: 200 });
    const reg = JSON.parse(readFileSync(join(wire, files.find((f) => /-keylime-registrar-register\.req$/.test(f))!), "utf8"));
    expect(reg.ek_tpm).toBeTruthy();
    expect(reg.mtls_cert).toStartWith("-----BEGIN CERTIFICATE-----");
    // Served by the agent over mTLS: the tenant's identity quote and the verifier's polls.
    const port = held![1];
    for (const ep of ["version", "quotes-identity", "quotes-integrity"]) {
      const m = meta(ep);
      expect(m.length, ep).toBeGreaterThanOrEqual(1);
      expect(m[0]!.method).toBe("GET");
      expect(m[0]!.url).toStartWith(`https://127.0.0.1:${port}/`);
      expect(m[0]!.status).toBe(200);
    }
    // At least as many integrity quotes served as the verifier counted.
    expect(meta("quotes-integrity").filter((m) => m.status === 200).length).toBeGreaterThanOrEqual(Number(cv![2]));
    // The EVE exchanges are in the same dump.
    expect(files.some((f) => /^\d{4}-(?!keylime-)[a-z].*\.json$/.test(f))).toBe(true);
  }, 240_000);
});
