import { afterAll, describe, expect, test } from "bun:test";
import { readdirSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { seededRandom } from "../../test/harness/crash.ts";
import { OpensslDir } from "../../test/harness/openssl-ca.ts";
import { certificateSpki, type ParsedCert, parseCertificate, readCertificatePlain } from "./certificate.ts";
import { readCertificateAsn1 } from "./certificate-asn1.ts";
import { createDeviceCertificate, DEVICE_CERT_CN, issueDeviceCertificate } from "./device-cert.ts";
import { PkiError } from "./errors.ts";
import { decodePem } from "./pem.ts";
import { spkiFromP256Point } from "./public-key.ts";
import { generateSoftKey, softSigner } from "./soft-key.ts";

/**
 * The plain DER reading a boot runs must read every certificate it accepts
 * exactly as the schema reading (asn1js with @peculiar's classes, the one
 * certificate-oracle.test.ts holds to @peculiar/x509) does, and must itself
 * accept the certificates a boot reads, or the boot pays for the schema
 * reading after all.
 */
const d = new OpensslDir();
afterAll(() => d.remove());

/** What one reading makes of some bytes: its facts, or the kind it refused them with. */
function outcome(read: () => ParsedCert): { facts: ParsedCert } | { refused: string } {
  try {
    return { facts: { ...read() } };
  } catch (e) {
    return { refused: e instanceof PkiError ? e.kind : `not a PkiError: ${String(e)}` };
  }
}

async function bootCertificates(): Promise<Record<string, Uint8Array>> {
  const device = softSigner(generateSoftKey());
  const deviceCert = await createDeviceCertificate(device, new Date());
  const issuer = { signer: device, cert: parseCertificate(deviceCert.der) };
  const ecdh = await issueDeviceCertificate({
    issuer,
    subjectPublicKey: spkiFromP256Point(generateSoftKey().publicKey),
    commonName: DEVICE_CERT_CN.ecdh,
    now: new Date(),
  });
  const rsaKey = d.key("ek", "rsa");
  const ek = await issueDeviceCertificate({
    issuer,
    subjectPublicKey: d.run(["pkey", "-in", rsaKey, "-pubout", "-outform", "DER"]),
    commonName: DEVICE_CERT_CN.endorsement,
    now: new Date(),
  });
  const root = d.cert("root", { subject: "/C=DE/O=Controller, Inc./CN=Root", profile: "ca", alg: "ec384" });
  const inter = d.cert("inter", { subject: "/O=Controller/CN=Intermediate", profile: "ca_pathlen0", issuer: root });
  const out: Record<string, Uint8Array> = {
    "device certificate": deviceCert.der,
    "ECDH certificate": ecdh.der,
    "EK certificate (RSA key)": ek.der,
    "controller root (P-384)": root.cert.der,
    "controller intermediate (pathlen 0)": inter.cert.der,
  };
  for (const profile of ["server", "client", "any_eku", "no_eku", "unknown_critical"] as const) {
    out[`openssl ${profile} leaf`] = d.cert(`leaf-${profile}`, { subject: `/O=Test/CN=${profile}`, profile, issuer: inter, alg: "rsa" }).cert.der;
  }
  const dir = join(import.meta.dir, "../../test/fixtures/pki/eve-style");
  for (const f of readdirSync(dir).filter((n) => n.endsWith(".cert.pem"))) {
    out[`EVE fixture ${f}`] = decodePem(readFileSync(join(dir, f))).find((b) => b.label === "CERTIFICATE")!.der;
  }
  return out;
}

const certs = await bootCertificates();

describe("the plain certificate reading", () => {
  for (const [name, der] of Object.entries(certs)) {
    test(`reads, itself and as the schema reading does, the ${name}`, () => {
      const plain = readCertificatePlain(der);
      expect(plain).toBeDefined();
      expect({ ...plain! }).toEqual({ ...readCertificateAsn1(der) });
      expect(certificateSpki(der)).toEqual(plain!.spkiDer);
    });
  }

  test("leaves to the schema reading a certificate with a SAN, and the result is the schema's", () => {
    const der = d.cert("adam", { subject: "/CN=adam", profile: "adam" }).cert.der;
    expect(readCertificatePlain(der)).toBeUndefined();
    expect(outcome(() => parseCertificate(der.slice()))).toEqual(outcome(() => readCertificateAsn1(der)));
  });

  test("accepts no altered certificate that the schema reading refuses or reads differently", () => {
    // Altered bytes: set, flipped, inserted and removed ones, some inside the names, times and extensions.
    const rounds = Number(process.env.PKI_PLAIN_MUTATIONS ?? 3000);
    const random = seededRandom(Number(process.env.PKI_PLAIN_SEED ?? 11));
    const pick = (n: number) => Math.floor(random() * n);
    const sources = Object.values(certs);
    let plainAccepted = 0;
    for (let i = 0; i < rounds; i++) {
      const src = sources[pick(sources.length)]!;
      let bytes = src.slice();
      for (let k = 1 + pick(3); k > 0; k--) {
        const at = pick(bytes.length);
        const op = pick(4);
        if (op === 0) bytes[at] = pick(256);
        else if (op === 1) bytes[at]! ^= 1 << pick(8);
        else if (op === 2) bytes = Uint8Array.from([...bytes.subarray(0, at), pick(256), ...bytes.subarray(at)]);
        else bytes = Uint8Array.from([...bytes.subarray(0, at), ...bytes.subarray(at + 1)]);
      }
      const plain = readCertificatePlain(bytes);
      if (!plain) continue;
      plainAccepted++;
      const schema = outcome(() => readCertificateAsn1(bytes));
      expect({ bytes: Buffer.from(bytes).toString("hex"), ...schema }).toEqual({ bytes: Buffer.from(bytes).toString("hex"), facts: { ...plain } });
    }
    // Enough of the altered certificates stay readable for the comparison to mean something.
    expect(plainAccepted).toBeGreaterThan(rounds / 20);
  });

  test("certificateSpki refuses with pki.parse a certificate that is cut short", () => {
    const der = certs["device certificate"]!;
    expect(outcome(() => ({ spkiDer: certificateSpki(der.subarray(0, der.length - 10)) }) as unknown as ParsedCert)).toEqual({ refused: "pki.parse" });
  });
});
