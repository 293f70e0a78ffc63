import { afterEach, describe, expect, test } from "bun:test";
import { existsSync } from "node:fs";
import { mkdtemp, readFile, rm, stat } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { ADAM_FALLBACK_VERSION, ADAM_PINNED_COMMIT, type Adam, AdamStartError, adamDeviceConfig, installAdam, startAdam } from "./adam/index.ts";
import { writeDeviceConfig } from "./device.ts";
import { makeControllerPki, makeOnboardingCert } from "./pki.ts";
import { isAlive } from "./proc.ts";

// Any test may be the one that builds Adam first (about 30 s cold, through
// the memoised installAdam), so every test that starts one gets this budget.
const T = 15 * 60_000;

// Every Adam a test starts is stopped here too, so a failing assertion
// never leaves a controller running.
const running: Adam[] = [];
async function adam(opts: Parameters<typeof startAdam>[0] = {}): Promise<Adam> {
  const a = await startAdam(opts);
  running.push(a);
  return a;
}
afterEach(async () => {
  while (running.length > 0) await running.pop()!.stop();
});

const cleanups: (() => Promise<void>)[] = [];
afterEach(async () => {
  while (cleanups.length > 0) await cleanups.pop()!();
});

function pemCount(s: string): number {
  return s.match(/-----BEGIN CERTIFICATE-----/g)?.length ?? 0;
}

describe("installAdam", () => {
  // A cold build downloads Adam's dependencies and compiles them (about 30 s).
  test(
    "yields a runnable adam binary when Go and the module proxy are there",
    async () => {
      const inst = await installAdam();
      console.log(`adam ${inst.version}: ${inst.cached ? "cached" : "built"} in ${inst.ms} ms`);
      expect([ADAM_PINNED_COMMIT, ADAM_FALLBACK_VERSION]).toContain(inst.version);
      expect(inst.pinned).toBe(inst.version === ADAM_PINNED_COMMIT);
      expect((await stat(inst.bin)).mode & 0o111).not.toBe(0);
      const help = Bun.spawnSync([inst.bin, "server", "--help"]);
      expect(help.stdout.toString() + help.stderr.toString()).toContain("--auto-cert");
      // A second call reuses the build.
      const again = await installAdam();
      expect(again.bin).toBe(inst.bin);
    },
    T,
  );
});

describe("startAdam", () => {
  test(
    "serves /probe and API v2 over TLS trusted via its server.pem when started with auto certs",
    async () => {
      const a = await adam();
      expect(a.url).toBe(`https://127.0.0.1:${a.port}`);
      const probe = await a.fetch("/probe");
      expect(probe.status).toBe(200);
      await probe.arrayBuffer();
      // v2 routes exist only when Adam found signing and encrypt certs.
      const certs = await a.fetch("/api/v2/edgedevice/certs");
      expect(certs.status).toBe(200);
      await certs.arrayBuffer();
      expect(a.log()).not.toContain("Will use APIv1");
      // The TLS check is real: without Adam's cert as CA the handshake fails.
      await expect(fetch(`${a.url}/probe`)).rejects.toThrow();
      for (const pem of [a.serverPem, a.signingPem, a.encryptPem]) expect(pemCount(pem)).toBe(1);
    },
    T,
  );

  test(
    "is gone, with its work dir, when stopped",
    async () => {
      const a = await startAdam();
      try {
        expect(isAlive(a.pid)).toBe(true);
        expect(existsSync(join(a.dbDir, "server.pem"))).toBe(true);
      } finally {
        await a.stop();
      }
      expect(isAlive(a.pid)).toBe(false);
      expect(existsSync(a.workDir)).toBe(false);
      await expect(fetch(`${a.url}/probe`, { tls: { ca: a.serverPem } })).rejects.toThrow();
      await a.stop(); // twice is harmless
    },
    T,
  );

  test(
    "keeps a caller's work dir, with its log and the file driver's tree, when stopped",
    async () => {
      const workDir = await mkdtemp(join(tmpdir(), "adam-keep-"));
      cleanups.push(() => rm(workDir, { recursive: true, force: true }));
      const onb = await makeOnboardingCert({ cn: "harness-onboard" });
      cleanups.push(onb.cleanup);
      const a = await startAdam({ workDir });
      await a.client.onboardAdd(onb.certPem, ["SERIAL-1"]);
      await a.stop();
      expect(existsSync(join(workDir, "adam.log"))).toBe(true);
      expect(await readFile(join(workDir, "adam.log"), "utf8")).toContain("Starting adam");
      // Scenarios read the file driver's data (storage keys, registration times) straight from here.
      expect(existsSync(join(a.dbDir, "onboard", "harness-onboard", "cert.pem"))).toBe(true);
    },
    T,
  );

  test(
    "serves the given controller PKI when started with certs from makeControllerPki",
    async () => {
      const pki = await makeControllerPki({ intermediate: true });
      cleanups.push(pki.cleanup);
      const a = await adam({
        certs: {
          server: { certPem: pki.server.chainPem, keyPem: pki.server.keyPem },
          signing: { certPem: pki.signing.certPem, keyPem: pki.signing.keyPem },
          encrypt: { certPem: pki.ecdh.certPem, keyPem: pki.ecdh.keyPem },
          trustPem: pki.trustPem,
        },
      });
      const res = await fetch(`${a.url}/probe`, { tls: { ca: pki.trustPem } });
      expect(res.status).toBe(200);
      await res.arrayBuffer();
      expect(a.signingPem).toBe(pki.signing.certPem);
      expect(a.tlsCaPem).toBe(pki.trustPem);
      expect(a.deviceTrustPem).toBe(pki.trustPem);
      const certs = await a.fetch("/api/v2/edgedevice/certs");
      expect(certs.status).toBe(200);
      await certs.arrayBuffer();
    },
    T,
  );
});

describe("startAdam (failures)", () => {
  test(
    "throws AdamStartError with Adam's log at once when the server key does not match",
    async () => {
      const pki = await makeControllerPki();
      cleanups.push(pki.cleanup);
      const t0 = performance.now();
      const p = adam({
        certs: {
          server: { certPem: pki.server.certPem, keyPem: pki.ecdh.keyPem },
          signing: { certPem: pki.signing.certPem, keyPem: pki.signing.keyPem },
          encrypt: { certPem: pki.ecdh.certPem, keyPem: pki.ecdh.keyPem },
          trustPem: pki.trustPem,
        },
      });
      await expect(p).rejects.toBeInstanceOf(AdamStartError);
      await expect(p).rejects.toThrow(/exited with code[\s\S]*--- adam log ---/);
      expect(performance.now() - t0).toBeLessThan(15_000);
    },
    T,
  );

  test(
    "throws AdamStartError when Adam falls back to API v1",
    async () => {
      const pki = await makeControllerPki();
      cleanups.push(pki.cleanup);
      const p = adam({
        certs: {
          server: { certPem: pki.server.certPem, keyPem: pki.server.keyPem },
          // A signing cert whose key does not match makes Adam drop API v2.
          signing: { certPem: pki.signing.certPem, keyPem: pki.ecdh.keyPem },
          encrypt: { certPem: pki.ecdh.certPem, keyPem: pki.ecdh.keyPem },
          trustPem: pki.trustPem,
        },
      });
      await expect(p).rejects.toThrow(/without API v2/);
    },
    T,
  );
});

describe("adamDeviceConfig", () => {
  test(
    "points a device at Adam with all three certs trusted when given an onboarding cert",
    async () => {
      const a = await adam();
      const onb = await makeOnboardingCert();
      cleanups.push(onb.cleanup);
      const files = await adamDeviceConfig(a, { onboardCertPem: onb.certPem, onboardKeyPem: onb.keyPem, serial: "S-1" });
      expect(files.server).toBe(`localhost:${a.port}`);
      expect(pemCount(files.rootCertPem)).toBe(3);
      for (const pem of [a.serverPem, a.signingPem, a.encryptPem]) {
        expect(files.rootCertPem).toContain(pem.trim());
      }
      expect(files.softSerial).toBe("S-1");

      const root = await mkdtemp(join(tmpdir(), "adam-device-"));
      cleanups.push(() => rm(root, { recursive: true, force: true }));
      writeDeviceConfig(root, files);
      const dir = join(root, "config");
      expect(await readFile(join(dir, "server"), "utf8")).toBe(`localhost:${a.port}`);
      expect(await readFile(join(dir, "soft_serial"), "utf8")).toBe("S-1\n");
      expect(await readFile(join(dir, "onboard.cert.pem"), "utf8")).toBe(onb.certPem);
      expect((await stat(join(dir, "onboard.key.pem"))).mode & 0o777).toBe(0o600);
      // The host in /config/server must be reachable and covered by the cert.
      const res = await fetch(`https://${files.server}/probe`, { tls: { ca: files.rootCertPem } });
      expect(res.status).toBe(200);
      await res.arrayBuffer();
    },
    T,
  );
});
