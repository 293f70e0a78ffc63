import { afterAll, beforeAll, describe, expect, test } from "bun:test";
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { p256 } from "@noble/curves/nist.js";
import { AsnConvert } from "@peculiar/asn1-schema";
import { Certificate } from "@peculiar/asn1-x509";
import { OpensslDir } from "../../test/harness/openssl-ca.ts";
import type { P256Signer } from "../shared/index.ts";
import { type ParsedCert, parseCertificate, parseCertificatesPem } from "./certificate.ts";
import { verifyChain } from "./chain.ts";
import { createDeviceCertificate, DEVICE_CERT_CN, type IssuedCertificate, issueDeviceCertificate } from "./device-cert.ts";
import { PkiError } from "./errors.ts";
import { OID } from "./oids.ts";
import { decodePem } from "./pem.ts";
import { publicKeyFromSpki, spkiFromP256Point, spkiFromRsa } from "./public-key.ts";
import { generateSoftKey, softKeyFromPem, softSigner } from "./soft-key.ts";

const FIXTURES = join(import.meta.dir, "../../test/fixtures/pki/eve-style");
const fixture = (name: string) => readFileSync(join(FIXTURES, name));
/** The time gen.go made the device certificate at. */
const GO_CREATED = new Date("2026-03-01T12:00:00Z");

const d = new OpensslDir();
afterAll(() => d.remove());

async function kindOf(fn: () => Promise<unknown>): Promise<string | undefined> {
  try {
    await fn();
  } catch (e) {
    return e instanceof PkiError ? e.kind : `not a PkiError: ${String(e)}`;
  }
  return undefined;
}

function opensslText(file: string): string {
  return d.text(["x509", "-in", file, "-noout", "-text"]);
}

function opensslDates(file: string): string {
  return d.text(["x509", "-in", file, "-noout", "-startdate", "-enddate", "-dateopt", "iso_8601"]);
}

/** TBSCertificate DER with the serial replaced: everything else must come out identical. */
function tbsWithSerial(der: Uint8Array, serial: ArrayBuffer): Uint8Array {
  const cert = AsnConvert.parse(der, Certificate);
  cert.tbsCertificate.serialNumber = serial;
  return new Uint8Array(AsnConvert.serialize(cert.tbsCertificate));
}

function goTbs(der: Uint8Array): { raw: Uint8Array; serial: ArrayBuffer } {
  const cert = AsnConvert.parse(der, Certificate);
  return { raw: new Uint8Array(cert.tbsCertificateRaw!), serial: cert.tbsCertificate.serialNumber };
}

describe("createDeviceCertificate", () => {
  const signer = softSigner(generateSoftKey());
  const now = new Date("2026-06-15T10:20:30.456Z");
  let made: IssuedCertificate;
  let file: string;

  beforeAll(async () => {
    made = await createDeviceCertificate(signer, now);
    file = d.write("device.pem", made.pem);
  });

  test("shows EVE's subject, usages and CA flag when openssl prints it", () => {
    const text = opensslText(file);
    expect(text).toContain("Issuer: O = The Linux Foundation, CN = EVE\n");
    expect(text).toContain("Subject: O = The Linux Foundation, CN = EVE\n");
    expect(text).toMatch(/X509v3 Key Usage: critical\n\s+Digital Signature, Certificate Sign\n/);
    expect(text).toMatch(/X509v3 Extended Key Usage: ?\n\s+TLS Web Client Authentication, TLS Web Server Authentication\n/);
    expect(text).toMatch(/X509v3 Basic Constraints: critical\n\s+CA:TRUE\n/);
    expect(text).toContain("X509v3 Subject Key Identifier");
    expect(text).toContain("Signature Algorithm: ecdsa-with-SHA256");
    expect(text).toContain("Version: 3 (0x2)");
  });

  test("is valid from a day before now for twenty years when openssl reads the dates", () => {
    expect(opensslDates(file)).toBe("notBefore=2026-06-14 10:20:30Z\nnotAfter=2046-06-15 10:20:30Z\n");
  });

  test("is accepted when openssl verifies it against itself", () => {
    expect(d.text(["verify", "-CAfile", file, file])).toContain(": OK");
  });

  test("certifies the signer's public key when compared through openssl", () => {
    const pub = decodePem(d.text(["x509", "-in", file, "-noout", "-pubkey"]))[0]!.der;
    expect(pub).toEqual(spkiFromP256Point(signer.publicKey));
    const parsed = parseCertificate(made.der);
    expect(parsed.publicKey.kind === "ec" && parsed.publicKey.point).toEqual(signer.publicKey);
  });

  test("carries a fresh positive serial of at most 128 bits when made twice", async () => {
    const again = parseCertificate((await createDeviceCertificate(signer, now)).der);
    const first = parseCertificate(made.der);
    expect(first.serial).not.toBe(again.serial);
    for (const c of [first, again]) {
      expect(c.serial.length).toBeLessThanOrEqual(32);
      expect(BigInt(`0x${c.serial}`)).toBeGreaterThan(0n);
    }
    expect(d.text(["asn1parse", "-in", file])).not.toMatch(/INTEGER\s+:-/);
  });

  test("has the same DER as Go's crypto/x509 when given the same key and time", async () => {
    const goDer = decodePem(fixture("device.cert.pem"))[0]!.der;
    const key = softKeyFromPem(fixture("device.key.pem"));
    const ours = await createDeviceCertificate(softSigner(key), GO_CREATED);
    const go = goTbs(goDer);
    expect(tbsWithSerial(goDer, go.serial)).toEqual(go.raw);
    expect(tbsWithSerial(ours.der, go.serial)).toEqual(go.raw);
  });

  test("rejects with pki.sign when the signer returns a signature of another key", async () => {
    const other = generateSoftKey();
    const liar: P256Signer = { publicKey: signer.publicKey, sign: async (digest) => p256.sign(digest, other.privateKey, { prehash: false }) };
    expect(await kindOf(() => createDeviceCertificate(liar, now))).toBe("pki.sign");
    const short: P256Signer = { publicKey: signer.publicKey, sign: async () => new Uint8Array(63) };
    expect(await kindOf(() => createDeviceCertificate(short, now))).toBe("pki.sign");
  });
});

describe("issueDeviceCertificate", () => {
  const deviceSigner = softSigner(generateSoftKey());
  const now = new Date("2026-06-15T10:20:30Z");
  let device: ParsedCert;
  let deviceFile: string;

  beforeAll(async () => {
    const made = await createDeviceCertificate(deviceSigner, now);
    device = parseCertificate(made.der);
    deviceFile = d.write("issuer-device.pem", made.pem);
  });

  const issue = (subjectPublicKey: Uint8Array, commonName: string) =>
    issueDeviceCertificate({ issuer: { signer: deviceSigner, cert: device }, subjectPublicKey, commonName, now });

  test.each([DEVICE_CERT_CN.attestation, DEVICE_CERT_CN.ecdh])("shows EVE's subject and usages when openssl prints the %s", async (cn) => {
    const made = await issue(spkiFromP256Point(generateSoftKey().publicKey), cn);
    const file = d.write("issued.pem", made.pem);
    const text = opensslText(file);
    expect(text).toContain(`Subject: C = US, ST = CA, L = San Francisco, O = The Linux Foundation, CN = ${cn}\n`);
    expect(text).toContain("Issuer: O = The Linux Foundation, CN = EVE\n");
    expect(text).toMatch(/X509v3 Key Usage: critical\n\s+Digital Signature, Key Encipherment\n/);
    expect(text).toMatch(/X509v3 Extended Key Usage: ?\n\s+TLS Web Server Authentication\n/);
    expect(text).toMatch(/X509v3 Basic Constraints: critical\n\s+CA:FALSE\n/);
    expect(opensslDates(file)).toBe(opensslDates(deviceFile));
    expect(d.text(["verify", "-CAfile", deviceFile, file])).toContain(": OK");
  });

  test("certifies an RSA-2048 endorsement key when openssl verifies it", async () => {
    const keyFile = d.key("ek", "rsa");
    const spki = d.run(["pkey", "-in", keyFile, "-pubout", "-outform", "DER"]);
    const made = await issue(spki, DEVICE_CERT_CN.endorsement);
    const file = d.write("ek.pem", made.pem);
    expect(opensslText(file)).toContain("Public-Key: (2048 bit)");
    expect(d.text(["verify", "-CAfile", deviceFile, file])).toContain(": OK");
    expect(parseCertificate(made.der).spkiDer).toEqual(spki);
  });

  test("builds the same RSA SPKI as openssl when given the modulus and exponent", () => {
    const keyFile = d.key("ek2", "rsa");
    const spki = d.run(["pkey", "-in", keyFile, "-pubout", "-outform", "DER"]);
    const text = d.text(["pkey", "-in", keyFile, "-noout", "-text"]);
    const modulus = Buffer.from(text.split("modulus:")[1]!.split("publicExponent")[0]!.replace(/[\s:]/g, ""), "hex");
    expect(spkiFromRsa(modulus, 65537)).toEqual(spki);
    expect(spkiFromRsa(modulus, 0)).toEqual(spki);
    expect(publicKeyFromSpki(spki)).toMatchObject({ kind: "rsa", modulusBits: 2048 });
  });

  test("has the same DER as Go's crypto/x509 when issuing under Go's device cert", async () => {
    const goDevice = parseCertificatesPem(fixture("device.cert.pem"))[0]!;
    const signer = softSigner(softKeyFromPem(fixture("device.key.pem")));
    for (const [file, cn] of [
      ["attest.cert.pem", DEVICE_CERT_CN.attestation],
      ["ek.cert.pem", DEVICE_CERT_CN.endorsement],
    ] as const) {
      const goDer = decodePem(fixture(file))[0]!.der;
      const ours = await issueDeviceCertificate({
        issuer: { signer, cert: goDevice },
        subjectPublicKey: parseCertificate(goDer).spkiDer,
        commonName: cn,
        now: GO_CREATED,
      });
      const go = goTbs(goDer);
      expect(tbsWithSerial(ours.der, go.serial)).toEqual(go.raw);
    }
  });

  test("chains to the device cert when our own verifier checks it for serverAuth", async () => {
    const leaf = parseCertificate((await issue(spkiFromP256Point(generateSoftKey().publicKey), DEVICE_CERT_CN.attestation)).der);
    const path = await verifyChain(leaf, { roots: [device], intermediates: [], now, requireServerAuth: true });
    expect(path.length).toBe(2);
    expect(leaf.extKeyUsage).toEqual([OID.serverAuth]);
    expect(leaf.isCA).toBe(false);
    expect(leaf.authorityKeyId).toEqual(device.subjectKeyId);
  });

  test("rejects with pki.key when the signer is not the key of the issuer cert", async () => {
    const stranger = softSigner(generateSoftKey());
    const spki = spkiFromP256Point(generateSoftKey().publicKey);
    const kind = await kindOf(() =>
      issueDeviceCertificate({ issuer: { signer: stranger, cert: device }, subjectPublicKey: spki, commonName: DEVICE_CERT_CN.ecdh, now }),
    );
    expect(kind).toBe("pki.key");
  });

  test("rejects with pki.chain.expired when the device cert has expired by now", async () => {
    const spki = spkiFromP256Point(generateSoftKey().publicKey);
    const later = new Date(device.notAfter.getTime() + 1000);
    const kind = await kindOf(() =>
      issueDeviceCertificate({ issuer: { signer: deviceSigner, cert: device }, subjectPublicKey: spki, commonName: DEVICE_CERT_CN.ecdh, now: later }),
    );
    expect(kind).toBe("pki.chain.expired");
  });

  test("rejects with pki.unsupported when the subject key is P-384", async () => {
    const spki = d.run(["pkey", "-in", d.key("p384", "ec384"), "-pubout", "-outform", "DER"]);
    expect(await kindOf(() => issue(spki, DEVICE_CERT_CN.ecdh))).toBe("pki.unsupported");
  });
});
