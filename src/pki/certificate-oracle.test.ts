import { afterAll, describe, expect, test } from "bun:test";
import { readdirSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { OpensslDir } from "../../test/harness/openssl-ca.ts";
import { parseCertificate } from "./certificate.ts";
import { decodePem } from "./pem.ts";
import { x509 } from "./x509-lib.ts";

/**
 * parseCertificate reads certificates with a plain DER reader, or with
 * @peculiar/asn1-x509 for what that leaves to it; these tests hold its facts
 * to what @peculiar/x509's certificate class reports for the same bytes (the
 * reading the agent used before), over certificates made by openssl with
 * every extension kind the reading decodes, odd names included, and over
 * the repository's EVE-style fixtures. certificate-plain.test.ts holds the
 * two readings to each other.
 */
const d = new OpensslDir();
afterAll(() => d.remove());

const hex = (b: ArrayBuffer | Uint8Array) => Buffer.from(b instanceof Uint8Array ? b : new Uint8Array(b)).toString("hex");

/** The facts as @peculiar/x509's class gives them, in parseCertificate's shape (the key's own reading is shared). */
function oracle(der: Uint8Array) {
  const cert = new x509.X509Certificate(der);
  const bc = cert.getExtension(x509.BasicConstraintsExtension);
  const ku = cert.getExtension(x509.KeyUsagesExtension);
  const eku = cert.getExtension(x509.ExtendedKeyUsageExtension);
  const ski = cert.getExtension(x509.SubjectKeyIdentifierExtension);
  const aki = cert.getExtension(x509.AuthorityKeyIdentifierExtension);
  const names = [
    "digitalSignature",
    "nonRepudiation",
    "keyEncipherment",
    "dataEncipherment",
    "keyAgreement",
    "keyCertSign",
    "cRLSign",
    "encipherOnly",
    "decipherOnly",
  ];
  return {
    subject: cert.subject,
    issuer: cert.issuer,
    subjectDer: hex(cert.subjectName.toArrayBuffer()),
    issuerDer: hex(cert.issuerName.toArrayBuffer()),
    serial: cert.serialNumber.toLowerCase().replace(/^(00)+/, "") || "00",
    notBefore: cert.notBefore.toISOString(),
    notAfter: cert.notAfter.toISOString(),
    basicConstraints: bc ? (bc.pathLength === undefined ? { ca: bc.ca } : { ca: bc.ca, pathLength: bc.pathLength }) : undefined,
    keyUsage: ku ? names.filter((_, bit) => (ku.usages & (1 << bit)) !== 0) : undefined,
    extKeyUsage: eku ? eku.usages.map(String) : undefined,
    subjectKeyId: ski ? ski.keyId : undefined,
    authorityKeyId: aki?.keyId ? aki.keyId : undefined,
    criticalExtensions: cert.extensions.filter((e) => e.critical).map((e) => e.type),
    spkiDer: hex(cert.publicKey.rawData),
  };
}

function ours(der: Uint8Array): ReturnType<typeof oracle> {
  const c = parseCertificate(der);
  return {
    subject: c.subject,
    issuer: c.issuer,
    subjectDer: hex(c.subjectDer),
    issuerDer: hex(c.issuerDer),
    serial: c.serial,
    notBefore: c.notBefore.toISOString(),
    notAfter: c.notAfter.toISOString(),
    basicConstraints: c.basicConstraints,
    keyUsage: c.keyUsage && [...c.keyUsage],
    extKeyUsage: c.extKeyUsage && [...c.extKeyUsage],
    subjectKeyId: c.subjectKeyId && hex(c.subjectKeyId),
    authorityKeyId: c.authorityKeyId && hex(c.authorityKeyId),
    criticalExtensions: [...c.criticalExtensions],
    spkiDer: hex(c.spkiDer),
  };
}

/** A self-signed certificate from `openssl req -x509` with the given subject and -addext lines. */
function made(name: string, subj: string, exts: string[], opts: { alg?: "ec" | "rsa"; extraArgs?: string[] } = {}): Uint8Array {
  const key = d.key(name, opts.alg ?? "ec");
  const pem = d.text([
    "req",
    "-x509",
    "-new",
    "-key",
    key,
    "-subj",
    subj,
    "-days",
    "2",
    "-sha256",
    ...(opts.extraArgs ?? []),
    ...exts.flatMap((e) => ["-addext", e]),
  ]);
  return decodePem(pem)[0]!.der;
}

const CASES: Record<string, () => Uint8Array> = {
  "CA with path length": () => made("ca", "/CN=ca/O=Org", ["basicConstraints=critical,CA:true,pathlen:2", "keyUsage=critical,keyCertSign,cRLSign"]),
  "server with SAN, AIA, CRL points, policies": () =>
    made("srv", "/C=DE/ST=Be/L=Berlin/O=Test, Inc./OU=Ops/CN=srv.example", [
      "subjectAltName=DNS:a.example,IP:10.0.0.1,email:a@example.org,URI:https://a.example/",
      "authorityInfoAccess=OCSP;URI:http://ocsp.example/,caIssuers;URI:http://ca.example/ca.crt",
      "crlDistributionPoints=URI:http://crl.example/a.crl",
      "certificatePolicies=1.2.3.4,2.23.140.1.2.1",
      "extendedKeyUsage=serverAuth,clientAuth,1.3.6.1.4.1.99.1",
      "keyUsage=digitalSignature,keyAgreement,encipherOnly,decipherOnly",
      "issuerAltName=DNS:issuer.example",
    ]),
  "names needing escapes, multi-valued RDN, email and DC": () =>
    made("esc", "/DC=org/DC=example/CN=a\\,b+OU=x;y/emailAddress=e@example.org/O= lead#trail /title=T/GN=G/SN=S", [], { extraArgs: ["-multivalue-rdn"] }),
  "UTF-8 and control characters in a name": () => made("utf", '/CN=Grüße\nnext\tx/O="quoted"<>', [], { extraArgs: ["-utf8"] }),
  "unknown attribute types and an AKI with issuer and serial": () =>
    made("unk", "/CN=u/1.2.3.4.5=custom/serialNumber=123", ["authorityKeyIdentifier=keyid:always,issuer:always", "1.2.3.4.6=ASN1:UTF8String:x"]),
  "RSA key, no extensions beyond the defaults": () => made("rsa", "/CN=rsa", [], { alg: "rsa" }),
};

describe("parseCertificate against @peculiar/x509's reading", () => {
  for (const [name, make] of Object.entries(CASES)) {
    test(`gives the same facts for: ${name}`, () => {
      const der = make();
      expect(ours(der)).toEqual(oracle(der));
    });
  }

  test("gives the same facts for the EVE-style fixtures", () => {
    const dir = join(import.meta.dir, "../../test/fixtures/pki/eve-style");
    const files = readdirSync(dir).filter((f) => f.endsWith(".cert.pem"));
    expect(files.length).toBeGreaterThan(2);
    for (const f of files) {
      const der = decodePem(readFileSync(join(dir, f))).find((b) => b.label === "CERTIFICATE")!.der;
      expect(ours(der)).toEqual(oracle(der));
    }
  });

  test("refuses, like it, a certificate whose SAN or AIA value is malformed", () => {
    for (const [name, ext] of [
      ["badsan", "2.5.29.17=DER:0101ff"],
      ["badaia", "1.3.6.1.5.5.7.1.1=DER:3018301606082b06010505073001a00a06032a0304a0030c0178"],
      ["badbc", "2.5.29.19=DER:020101"],
    ] as const) {
      const der = made(name, `/CN=${name}`, [ext]);
      expect(() => oracle(der)).toThrow();
      expect(() => parseCertificate(der)).toThrow(/malformed extension/);
    }
  });

  test("returns the same facts when the same bytes are read again", () => {
    const der = CASES["CA with path length"]!();
    const a = parseCertificate(der);
    const b = parseCertificate(der.slice());
    expect(b).toEqual(a);
    expect(Object.isFrozen(b)).toBe(true);
  });
});
