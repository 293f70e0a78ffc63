import { afterAll, describe, expect, test } from "bun:test";
import { type ControllerPki, type LeafCert, makeControllerPki, makeOnboardingCert } from "./pki.ts";
import { run, runChecked } from "./proc.ts";

const cleanups: (() => Promise<void>)[] = [];
afterAll(async () => {
  for (const c of cleanups) await c();
});

async function pki(opts: Parameters<typeof makeControllerPki>[0] = {}): Promise<ControllerPki> {
  const p = await makeControllerPki(opts);
  cleanups.push(p.cleanup);
  return p;
}

/** openssl verify against the PKI's root, with the intermediate as untrusted helper. */
async function verify(p: ControllerPki, leaf: LeafCert) {
  const untrusted = p.intermediateCa ? ["-untrusted", p.intermediateCa.certPath] : [];
  return await run(["openssl", "verify", "-purpose", "sslserver", "-CAfile", p.rootCa.certPath, ...untrusted, leaf.certPath]);
}

async function text(certPath: string): Promise<string> {
  return (await runChecked(["openssl", "x509", "-in", certPath, "-noout", "-text"])).stdout;
}

describe("makeControllerPki", () => {
  test("issues server, signing and ECDH certs that verify to the root when defaults are used", async () => {
    const p = await pki();
    for (const leaf of [p.server, p.signing, p.ecdh]) {
      const r = await verify(p, leaf);
      expect(r.stdout + r.stderr).toContain(": OK");
      expect(r.code).toBe(0);
      const t = await text(leaf.certPath);
      expect(t).toContain("TLS Web Server Authentication");
      expect(t).toContain("ASN1 OID: prime256v1");
      expect(t).toContain("CA:FALSE");
    }
    expect(p.trustPem).toBe(p.rootCa.certPem);
    expect(p.server.chainPem).toBe(p.server.certPem);
  });

  test("puts every host in the server cert's SANs when given IPs and names", async () => {
    const p = await pki({ hosts: ["127.0.0.1", "localhost", "::1"] });
    const t = await text(p.server.certPath);
    expect(t).toMatch(/IP Address:127\.0\.0\.1/);
    expect(t).toMatch(/DNS:localhost/);
    expect(t).toMatch(/IP Address:0:0:0:0:0:0:0:1/);
    expect(t).toMatch(/Subject: .*CN ?= ?localhost/);
  });

  test("chains leaves through the intermediate when one is asked for", async () => {
    const p = await pki({ intermediate: true });
    expect(p.intermediateCa).toBeDefined();
    for (const leaf of [p.server, p.signing, p.ecdh]) {
      expect((await verify(p, leaf)).code).toBe(0);
      expect(leaf.chainPem).toBe(leaf.certPem + p.intermediateCa!.certPem);
      // Without the intermediate the leaf must not verify, or the chain would be pointless.
      const alone = await run(["openssl", "verify", "-CAfile", p.rootCa.certPath, leaf.certPath]);
      expect(alone.code).not.toBe(0);
    }
  });

  test("makes an RSA-2048 signing cert when Adam style is asked for", async () => {
    const p = await pki({ signingKey: "rsa" });
    const t = await text(p.signing.certPath);
    expect(t).toContain("rsaEncryption");
    expect(t).toContain("(2048 bit)");
    expect((await verify(p, p.signing)).code).toBe(0);
  });

  test("fails verification with an expiry error when a leaf is made expired", async () => {
    const p = await pki({ expired: ["signing"] });
    const r = await verify(p, p.signing);
    expect(r.code).not.toBe(0);
    expect(r.stdout + r.stderr).toContain("certificate has expired");
    expect((await verify(p, p.server)).code).toBe(0);
  });

  test("fails verification when a leaf comes from the wrong CA with the same name", async () => {
    const p = await pki({ wrongCa: ["ecdh"], intermediate: true });
    expect(p.otherCa).toBeDefined();
    const r = await verify(p, p.ecdh);
    expect(r.code).not.toBe(0);
    // ...but it is a sound cert from its own root.
    const own = await run(["openssl", "verify", "-CAfile", p.otherCa!.certPath, p.ecdh.certPath]);
    expect(own.code).toBe(0);
    expect((await verify(p, p.signing)).code).toBe(0);
  });
});

describe("makeOnboardingCert", () => {
  test("makes a self-signed P-256 serverAuth cert whose key matches when called", async () => {
    const o = await makeOnboardingCert({ cn: "onboard-test" });
    cleanups.push(o.cleanup);
    const r = await run(["openssl", "verify", "-CAfile", o.certPath, o.certPath]);
    expect(r.code).toBe(0);
    const t = await text(o.certPath);
    expect(t).toContain("ASN1 OID: prime256v1");
    expect(t).toContain("TLS Web Server Authentication");
    expect(t).toMatch(/Subject: .*CN ?= ?onboard-test/);
    expect(o.keyPem).toContain("-----BEGIN EC PRIVATE KEY-----");
    const fromKey = (await runChecked(["openssl", "pkey", "-in", o.keyPath, "-pubout"])).stdout;
    const fromCert = (await runChecked(["openssl", "x509", "-in", o.certPath, "-noout", "-pubkey"])).stdout;
    expect(fromKey).toBe(fromCert);
  });

  test("writes a PKCS#8 key and a random UUID CN when asked for pkcs8 without a CN", async () => {
    const o = await makeOnboardingCert({ keyFormat: "pkcs8" });
    cleanups.push(o.cleanup);
    expect(o.keyPem).toContain("-----BEGIN PRIVATE KEY-----");
    expect(o.cn).toMatch(/^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/);
  });
});
