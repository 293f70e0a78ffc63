import { afterAll, describe, expect, test } from "bun:test";
import { readFileSync } from "node:fs";
import { OpensslDir } from "../../test/harness/openssl-ca.ts";
import { decodePem, encodePem, parseCertificatesPem, softKeyFromPem } from "../pki/index.ts";
import { keyMatchesCert, plainCertificateFacts, readCertificates } from "./certs.ts";

/**
 * `edge-agent check` reads certificates with its own DER walk and the
 * onboarding key with WebCrypto, and hands anything it cannot show as the pki
 * does to the pki. These tests hold it to the pki's own reading over
 * openssl-made certificates and keys: plain EVE-style names must take its own
 * path (else the check's start is the pki's again), odd and damaged ones must
 * read exactly as the pki reads them.
 */
const d = new OpensslDir();
afterAll(() => d.remove());

const utf8 = (b: Uint8Array) => Buffer.from(b).toString("utf8");

function selfSigned(name: string, subj: string, extraArgs: string[] = []): Uint8Array {
  const key = d.key(name, "ec");
  return d.run(["req", "-x509", "-new", "-key", key, "-subj", subj, "-days", "3", "-sha256", ...extraArgs]);
}

function pkiFacts(pem: Uint8Array) {
  return parseCertificatesPem(pem).map((c) => ({ subject: c.subject, notBefore: c.notBefore, notAfter: c.notAfter }));
}

const PLAIN: Record<string, string> = {
  "EVE's device certificate name": "/O=The Linux Foundation/CN=EVE",
  "an onboarding certificate named by UUID": "/O=edge-agent test/CN=e8326087-8455-4ed8-9d90-3b39640de7c8",
  "every label the check maps": "/C=DE/ST=Bayern/L=Munich/O=Org/OU=Unit/DC=example/CN=host.example/emailAddress=ops@example.org",
  "the pki's other short names": "/GN=Ada/initials=AL/SN=Lovelace/title=Countess/CN=x",
};

const ODD: Record<string, [string, string[]?]> = {
  "a comma in a value": ["/O=Acme\\, Inc/CN=x"],
  "a multi-valued RDN": ["/CN=a+OU=b", ["-multivalue-rdn"]],
  "an attribute the pki names by OID": ["/serialNumber=123/CN=x"],
  "a leading space": ["/CN=\\ lead"],
  "a leading #": ["/CN=#hash"],
  "quotes, angle brackets and a semicolon": ['/CN=a"b<c>d;e'],
  "non-ASCII text": ["/CN=Grüße", ["-utf8"]],
  "a trailing space": ["/CN=trail\\ "],
};

describe("check's certificate reading", () => {
  for (const [what, subj] of Object.entries(PLAIN)) {
    test(`${what}: read without the pki, as the pki reads it`, async () => {
      const pem = selfSigned(what.replace(/\W+/g, "-"), subj);
      const expected = pkiFacts(pem);
      expect(plainCertificateFacts(pem)).toEqual(expected);
      expect(await readCertificates(pem)).toEqual(expected);
    });
  }

  for (const [what, [subj, args]] of Object.entries(ODD)) {
    test(`${what}: read as the pki reads it`, async () => {
      const pem = selfSigned(what.replace(/\W+/g, "-"), subj, args);
      const expected = pkiFacts(pem);
      expect(await readCertificates(pem)).toEqual(expected);
    });
  }

  test("a lifetime past 2049 (GeneralizedTime): read without the pki, as the pki reads it", async () => {
    const pem = selfSigned("long", "/O=Org/CN=long", ["-days", "12000"]);
    const expected = pkiFacts(pem);
    expect(expected[0]!.notAfter.getUTCFullYear()).toBeGreaterThan(2050);
    expect(plainCertificateFacts(pem)).toEqual(expected);
  });

  test("a certificate whose extension holds damaged DER is refused with the pki's words", async () => {
    const pem = selfSigned("ski", "/O=Org/CN=ski", ["-addext", "subjectKeyIdentifier=hash"]);
    const der = new Uint8Array(decodePem(pem)[0]!.der);
    // The SKI extension: OID 2.5.29.14, then OCTET STRING { OCTET STRING (20 bytes) }; the inner length grows by one.
    const at = Buffer.from(der).indexOf(Buffer.from("0603551d0e04160414", "hex"));
    expect(at).toBeGreaterThan(0);
    der[at + 8] = 0x15;
    const bad = new TextEncoder().encode(encodePem("CERTIFICATE", der));
    expect(plainCertificateFacts(bad)).toBeUndefined();
    let pkiMessage = "";
    try {
      parseCertificatesPem(bad);
    } catch (e) {
      pkiMessage = (e as Error).message;
    }
    expect(pkiMessage).not.toBe("");
    expect(readCertificates(bad)).rejects.toThrow(pkiMessage);
  });

  test("a bundle: every certificate in file order", async () => {
    const pem = Buffer.concat([selfSigned("b1", "/O=One/CN=first"), selfSigned("b2", "/O=Two/CN=second")]);
    const read = await readCertificates(pem);
    expect(read.map((c) => c.subject)).toEqual(["O=One, CN=first", "O=Two, CN=second"]);
    expect(read).toEqual(pkiFacts(pem));
  });

  test("a certificate with a byte after it is refused with the pki's words", async () => {
    const der = decodePem(selfSigned("trail", "/O=Org/CN=trail"))[0]!.der;
    const pem = encodePem("CERTIFICATE", new Uint8Array([...der, 0]));
    expect(plainCertificateFacts(new TextEncoder().encode(pem))).toBeUndefined();
    expect(() => parseCertificatesPem(pem)).toThrow("certificate has 1 bytes after its end");
    expect(readCertificates(new TextEncoder().encode(pem))).rejects.toThrow("certificate has 1 bytes after its end");
  });

  test("a damaged certificate is refused with the pki's words", async () => {
    const der = decodePem(selfSigned("damaged", "/O=Org/CN=damaged"))[0]!.der;
    const cut = new TextEncoder().encode(encodePem("CERTIFICATE", der.subarray(0, der.length - 20)));
    let pkiMessage = "";
    try {
      parseCertificatesPem(cut);
    } catch (e) {
      pkiMessage = (e as Error).message;
    }
    expect(pkiMessage).not.toBe("");
    expect(readCertificates(cut)).rejects.toThrow(pkiMessage);
  });
});

describe("check's onboarding key match", () => {
  /** The pki's answer, as the check gave it before reading natively. */
  function pkiMatch(keyPem: Uint8Array, certPem: Uint8Array): boolean {
    const cert = parseCertificatesPem(certPem)[0];
    return cert?.publicKey.kind === "ec" && Buffer.from(cert.publicKey.point).equals(Buffer.from(softKeyFromPem(keyPem).publicKey));
  }

  function pair(name: string, alg: "ec" | "ec384" | "rsa", format: "pkcs8" | "sec1" = "pkcs8") {
    const keyPath = d.key(name, alg, format);
    const cert = d.cert(name, { subject: `/O=Org/CN=${name}`, profile: "client", keyPath });
    return { key: new Uint8Array(readFileSync(keyPath)), cert: new TextEncoder().encode(cert.pem) };
  }

  test("a P-256 key as PKCS#8, as SEC1, and as SEC1 under EVE's PRIVATE KEY label matches its certificate without the pki", async () => {
    const pkcs8 = pair("k-pkcs8", "ec");
    const sec1 = pair("k-sec1", "ec", "sec1");
    expect(utf8(sec1.key)).toContain("BEGIN EC PRIVATE KEY");
    const block = decodePem(sec1.key).find((b) => b.label === "EC PRIVATE KEY")!;
    const eve = new TextEncoder().encode(encodePem("PRIVATE KEY", block.der));
    for (const [key, cert] of [
      [pkcs8.key, pkcs8.cert],
      [sec1.key, sec1.cert],
      [eve, sec1.cert],
    ] as const) {
      expect(pkiMatch(key, cert)).toBe(true);
      expect(await keyMatchesCert(key, cert)).toBe(true);
    }
  });

  test("a SEC1 key whose stored public key is another key's is left to the pki, which refuses it", async () => {
    const a = pair("k-stored-a", "ec", "sec1");
    const b = pair("k-stored-b", "ec", "sec1");
    const der = (pem: Uint8Array) => decodePem(pem).find((x) => x.label === "EC PRIVATE KEY")!.der;
    // A P-256 ECPrivateKey ends with its public key's 65 bytes: a's scalar, b's public key.
    const mixed = Buffer.concat([der(a.key).subarray(0, -65), der(b.key).subarray(-65)]);
    const key = new TextEncoder().encode(encodePem("EC PRIVATE KEY", mixed));
    expect(await keyMatchesCert(key, b.cert)).toBeUndefined();
    expect(() => pkiMatch(key, b.cert)).toThrow("public key stored with the private key does not match it");
  });

  test("another key, a P-384 key or an RSA key is left to the pki, which says no or refuses it", async () => {
    const a = pair("k-a", "ec");
    const b = pair("k-b", "ec");
    expect(await keyMatchesCert(a.key, b.cert)).toBeUndefined();
    expect(pkiMatch(a.key, b.cert)).toBe(false);
    for (const alg of ["ec384", "rsa"] as const) {
      const p = pair(`k-${alg}`, alg);
      expect(await keyMatchesCert(p.key, p.cert)).toBeUndefined();
      let pkiSays: boolean | "refused";
      try {
        pkiSays = pkiMatch(p.key, p.cert);
      } catch {
        pkiSays = "refused";
      }
      expect(pkiSays).not.toBe(true);
    }
  });
});
