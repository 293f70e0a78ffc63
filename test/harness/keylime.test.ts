import { afterAll, describe, expect, test } from "bun:test";
import { spawnSync } from "node:child_process";
import { existsSync, mkdtempSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { installKeylime, KEYLIME_VERSION, type Keylime, setIni, startKeylime } from "./keylime.ts";
import { descendants, isAlive } from "./proc.ts";
import { privateEkCa, startSwtpm } from "./swtpm.ts";

// A cold install (venv, pip, sdist) takes about a minute here; later runs reuse it.
const T = 10 * 60_000;

const cleanups: (() => Promise<void>)[] = [];
afterAll(async () => {
  while (cleanups.length > 0) await cleanups.pop()!();
});

describe("Keylime harness", () => {
  test(
    "installs Keylime into a cached venv whose console scripts run",
    async () => {
      const inst = await installKeylime();
      console.log(`keylime ${KEYLIME_VERSION}: ${inst.cached ? "cached" : "installed"} in ${inst.ms} ms (${inst.venv})`);
      for (const s of ["keylime_verifier", "keylime_registrar", "keylime_tenant"]) expect(existsSync(join(inst.venv, "bin", s))).toBe(true);
      const v = spawnSync(join(inst.venv, "bin", "python"), ["-c", "import keylime, gpg; from importlib.metadata import version; print(version('keylime'))"], {
        encoding: "utf8",
      });
      expect(v.stdout.trim()).toBe(KEYLIME_VERSION);
      expect((await installKeylime()).venv).toBe(inst.venv);
    },
    T,
  );

  test("setIni replaces an option in its section only, and refuses one the template lacks", () => {
    const text = "[verifier]\nport = 8881\n[revocations]\nport = 1\n";
    expect(setIni(text, "revocations", "port", "2")).toBe("[verifier]\nport = 8881\n[revocations]\nport = 2\n");
    expect(() => setIni(text, "verifier", "nope", "1")).toThrow(/no option nope/);
  });

  let kl: Keylime;
  test(
    "starts verifier, push verifier and registrar on free ports, the tenant reaches them, stop ends every process it started",
    async () => {
      const store = mkdtempSync(join(tmpdir(), "edge-agent-kl-store-"));
      cleanups.push(async () => rmSync(store, { recursive: true, force: true }));
      kl = await startKeylime({ tpmCertStore: store, agentMtls: false, push: true });
      console.log(`keylime started in ${kl.startMs} ms (install ${kl.install.cached ? "cached" : "fresh"})`);
      const version = (await (await fetch(`${kl.registrarUrl}/version`)).json()) as { results: { current_version: string; supported_versions: string[] } };
      expect(version.results.current_version).toBe("2.6");
      expect(version.results.supported_versions).toContain("3.0");
      expect(await kl.registrarAgents()).toEqual([]);
      expect(await kl.registrarAgent("d432fbb3-d2f1-4a97-9ef7-75bd81c0ffff")).toBeUndefined();
      const list = await kl.tenant(["-c", "reglist"]);
      expect(list.code).toBe(0);
      expect(list.json.some((j) => JSON.stringify(j) === JSON.stringify({ uuids: [] }))).toBe(true);
      // The verifiers answer the tenant: an unknown agent is reported as such, not as a connection error.
      for (const push of [false, true]) {
        const r = await kl.tenant(["-c", "cvstatus", "-u", "d432fbb3-d2f1-4a97-9ef7-75bd81c0ffff"], { push });
        expect(`${r.stdout}${r.stderr}`).toMatch(/404|not found|does not exist/i);
      }
      expect(readFileSync(kl.caCert, "utf8")).toContain("BEGIN CERTIFICATE");

      const pids = [kl.verifier.pid, kl.pushVerifier!.pid, kl.registrar.pid];
      const tree = pids.flatMap((p) => [p, ...descendants(p)]);
      expect(tree.length).toBeGreaterThan(pids.length); // the Python servers fork workers and a manager
      await kl.stop();
      expect(tree.filter(isAlive)).toEqual([]);
      expect(existsSync(kl.dir)).toBe(false);
    },
    T,
  );

  test(
    "swtpm with a private EK CA: the EK certificate in NV verifies against the CA's issuer certificate only",
    async () => {
      const ca = privateEkCa();
      const sw = await startSwtpm({ ekCa: ca });
      cleanups.push(() => sw.stop());
      const dir = mkdtempSync(join(tmpdir(), "edge-agent-ekca-"));
      cleanups.push(async () => rmSync(dir, { recursive: true, force: true }));
      const der = join(dir, "ek.der");
      sw.tool(["tpm2_nvread", "0x1c00002", "-C", "o", "-o", der]);
      const pem = join(dir, "ek.pem");
      expect(spawnSync("openssl", ["x509", "-inform", "DER", "-in", der, "-out", pem]).status).toBe(0);
      const verify = (caFile: string) => spawnSync("openssl", ["verify", "-partial_chain", "-CAfile", caFile, pem], { encoding: "utf8" });
      expect(verify(ca.issuerCert).stdout).toContain(": OK");
      // The system CA did not sign it: the tenant's store must hold this CA.
      expect(verify("/var/lib/swtpm-localca/issuercert.pem").status).not.toBe(0);
      // Two unique TPMs have different EKs; copies of the template share one.
      const other = await startSwtpm({ ekCa: ca, unique: true });
      cleanups.push(() => other.stop());
      const ekPub = (s: typeof sw) => s.tool(["tpm2_readpublic", "-c", "0x81010001"]).stdout;
      expect(ekPub(other)).not.toBe(ekPub(sw));
    },
    T,
  );
});
