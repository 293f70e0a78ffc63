import { afterAll, describe, expect, test } from "bun:test";
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { OpensslDir } from "../../test/harness/openssl-ca.ts";
import { readCertificateAsn1 } from "../pki/certificate-asn1.ts";
import { decodePem, encodePem, PkiError, parseCertificatesPem, softKeyFromPem } from "../pki/index.ts";
import { keyMatchesCert, readCertificates } from "./certs.ts";

/**
 * `edge-agent check` reads certificates with the pki's reader and the
 * onboarding key with the pki's key reading and WebCrypto, from the pki's
 * files so its start stays small. These tests hold what it shows to
 * independent readings of openssl-made certificates and keys: openssl's own
 * dates, the pki's schema reading (asn1js and @peculiar's classes, the
 * reading that has always decided) for the subject text, and they check that
 * EVE-style certificates and keys load none of the schema readings.
 */
const d = new OpensslDir();
afterAll(() => d.remove());

const utf8 = (b: Uint8Array) => Buffer.from(b).toString("utf8");

function selfSigned(name: string, subj: string, extraArgs: string[] = []): Uint8Array {
  const key = d.key(name, "ec");
  return d.run(["req", "-x509", "-new", "-key", key, "-subj", subj, "-days", "3", "-sha256", ...extraArgs]);
}

/** The schema reading of every certificate in the file, and openssl's own dates. */
function independentFacts(pem: Uint8Array) {
  return decodePem(pem).map((b) => {
    const dates = d.text(["x509", "-inform", "DER", "-noout", "-startdate", "-enddate", "-dateopt", "iso_8601"], b.der);
    const date = (field: string) => new Date(new RegExp(`${field}=(\\S+ \\S+)`).exec(dates)![1]!.replace(" ", "T"));
    const schema = readCertificateAsn1(b.der);
    expect(schema.notBefore).toEqual(date("notBefore"));
    expect(schema.notAfter).toEqual(date("notAfter"));
    return { subject: schema.subject, notBefore: date("notBefore"), notAfter: date("notAfter") };
  });
}

const PLAIN: Record<string, [string, string]> = {
  "EVE's device certificate name": ["/O=The Linux Foundation/CN=EVE", "O=The Linux Foundation, CN=EVE"],
  "an onboarding certificate named by UUID": [
    "/O=edge-agent test/CN=e8326087-8455-4ed8-9d90-3b39640de7c8",
    "O=edge-agent test, CN=e8326087-8455-4ed8-9d90-3b39640de7c8",
  ],
  "every usual label": [
    "/C=DE/ST=Bayern/L=Munich/O=Org/OU=Unit/DC=example/CN=host.example/emailAddress=ops@example.org",
    "C=DE, ST=Bayern, L=Munich, O=Org, OU=Unit, DC=example, CN=host.example, E=ops@example.org",
  ],
  "the other short names": ["/GN=Ada/initials=AL/SN=Lovelace/title=Countess/CN=x", "G=Ada, I=AL, SN=Lovelace, T=Countess, CN=x"],
};

const ODD: Record<string, [string, string[]?]> = {
  "a comma in a value": ["/O=Acme\\, Inc/CN=x"],
  "a multi-valued RDN": ["/CN=a+OU=b", ["-multivalue-rdn"]],
  "an attribute without a short name": ["/serialNumber=123/CN=x"],
  "a leading space": ["/CN=\\ lead"],
  "a leading #": ["/CN=#hash"],
  "quotes, angle brackets and a semicolon": ['/CN=a"b<c>d;e'],
  "non-ASCII text": ["/CN=Grüße", ["-utf8"]],
  "a trailing space": ["/CN=trail\\ "],
};

/** Modules a fresh process loaded after reading these files as the check does. */
function modulesLoadedByCheck(certPath: string, keyPath: string): string[] {
  const script = `
    import { readFileSync } from "node:fs";
    import { keyMatchesCert, readCertificates } from ${JSON.stringify(join(import.meta.dir, "certs.ts"))};
    const cert = readFileSync(${JSON.stringify(certPath)});
    if (readCertificates(cert).length !== 1) throw new Error("no certificate read");
    if ((await keyMatchesCert(readFileSync(${JSON.stringify(keyPath)}), cert)) !== true) throw new Error("no key match");
    console.log(JSON.stringify(Object.keys(require.cache)));`;
  const p = Bun.spawnSync([process.execPath, "-e", script], { stdout: "pipe", stderr: "pipe" });
  if (p.exitCode !== 0) throw new Error(p.stderr.toString());
  return JSON.parse(p.stdout.toString()) as string[];
}

describe("check's certificate reading", () => {
  for (const [what, [subj, shown]] of Object.entries(PLAIN)) {
    test(`${what}: shown as the schema reading and openssl read it`, () => {
      const pem = selfSigned(what.replace(/\W+/g, "-"), subj);
      const read = readCertificates(pem);
      expect(read.map((c) => c.subject)).toEqual([shown]);
      expect(read).toEqual(independentFacts(pem));
    });
  }

  for (const [what, [subj, args]] of Object.entries(ODD)) {
    test(`${what}: shown as the schema reading and openssl read it`, () => {
      const pem = selfSigned(what.replace(/\W+/g, "-"), subj, args);
      expect(readCertificates(pem)).toEqual(independentFacts(pem));
    });
  }

  test("a lifetime past 2049 (GeneralizedTime): shown as openssl reads it", () => {
    const pem = selfSigned("long", "/O=Org/CN=long", ["-days", "12000"]);
    const read = readCertificates(pem);
    expect(read[0]!.notAfter.getUTCFullYear()).toBeGreaterThan(2050);
    expect(read).toEqual(independentFacts(pem));
  });

  test("an EVE-style certificate and key (SEC1 and PKCS#8) load none of the schema readings", () => {
    for (const format of ["sec1", "pkcs8"] as const) {
      const keyPath = d.key(`plain-${format}`, "ec", format);
      const cert = d.cert(`plain-${format}`, { subject: "/O=The Linux Foundation/CN=EVE", profile: "client", keyPath });
      const loaded = modulesLoadedByCheck(d.write(`plain-${format}.crt`, cert.pem), keyPath);
      expect(loaded.some((m) => m.endsWith("/pki/certificate.ts"))).toBe(true);
      expect(loaded.filter((m) => /asn1|peculiar|noble|x509|pki\/index\.ts/.test(m))).toEqual([]);
    }
  });

  test("a certificate whose extension holds damaged DER is refused as unreadable", () => {
    const pem = selfSigned("ski", "/O=Org/CN=ski", ["-addext", "subjectKeyIdentifier=hash"]);
    const der = new Uint8Array(decodePem(pem)[0]!.der);
    // The SKI extension: OID 2.5.29.14, then OCTET STRING { OCTET STRING (20 bytes) }; the inner length grows by one.
    const at = Buffer.from(der).indexOf(Buffer.from("0603551d0e04160414", "hex"));
    expect(at).toBeGreaterThan(0);
    der[at + 8] = 0x15;
    const bad = new TextEncoder().encode(encodePem("CERTIFICATE", der));
    expect(() => readCertificates(bad)).toThrow(PkiError);
  });

  test("a bundle: every certificate in file order", () => {
    const pem = Buffer.concat([selfSigned("b1", "/O=One/CN=first"), selfSigned("b2", "/O=Two/CN=second")]);
    const read = readCertificates(pem);
    expect(read.map((c) => c.subject)).toEqual(["O=One, CN=first", "O=Two, CN=second"]);
    expect(read).toEqual(independentFacts(pem));
  });

  test("a file with only a key holds no certificate", () => {
    expect(readCertificates(readFileSync(d.key("only-key", "ec")))).toEqual([]);
  });

  test("a certificate with a byte after it is refused, saying so", () => {
    const der = decodePem(selfSigned("trail", "/O=Org/CN=trail"))[0]!.der;
    const pem = new TextEncoder().encode(encodePem("CERTIFICATE", new Uint8Array([...der, 0])));
    expect(() => readCertificates(pem)).toThrow("certificate has 1 bytes after its end");
  });

  test("a cut certificate is refused as unreadable", () => {
    const der = decodePem(selfSigned("damaged", "/O=Org/CN=damaged"))[0]!.der;
    const cut = new TextEncoder().encode(encodePem("CERTIFICATE", der.subarray(0, der.length - 20)));
    let kind: string | undefined;
    try {
      readCertificates(cut);
    } catch (e) {
      kind = e instanceof PkiError ? e.kind : String(e);
    }
    expect(kind).toBe("pki.parse");
  });
});

describe("check's onboarding key match", () => {
  /** The agent's own answer (softKeyFromPem derives the point with node:crypto), which the check falls back on. */
  function pkiMatch(keyPem: Uint8Array, certPem: Uint8Array): boolean {
    const cert = parseCertificatesPem(certPem)[0];
    return cert?.publicKey.kind === "ec" && Buffer.from(cert.publicKey.point).equals(Buffer.from(softKeyFromPem(keyPem).publicKey));
  }

  function pair(name: string, alg: "ec" | "ec384" | "rsa", format: "pkcs8" | "sec1" = "pkcs8") {
    const keyPath = d.key(name, alg, format);
    const cert = d.cert(name, { subject: `/O=Org/CN=${name}`, profile: "client", keyPath });
    return { key: new Uint8Array(readFileSync(keyPath)), cert: new TextEncoder().encode(cert.pem) };
  }

  test("a P-256 key as PKCS#8, as SEC1, and as SEC1 under EVE's PRIVATE KEY label matches its certificate", async () => {
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
