import { afterAll, describe, expect, test } from "bun:test";
import { OpensslDir } from "../../test/harness/openssl-ca.ts";
import { parseCertificate, parseCertificatesPem } from "./certificate.ts";
import { PkiError } from "./errors.ts";
import { OID } from "./oids.ts";
import { verifyIssuedBy } from "./verify-issued.ts";

const d = new OpensslDir();
afterAll(() => d.remove());

async function kindOf(fn: () => unknown): Promise<string | undefined> {
  try {
    await fn();
  } catch (e) {
    return e instanceof PkiError ? e.kind : `not a PkiError: ${String(e)}`;
  }
  return undefined;
}

describe("parseCertificate", () => {
  const root = d.cert("root", { subject: "/C=DE/O=Test, Inc./CN=Root", profile: "ca", alg: "ec384" });
  const leaf = d.cert("leaf", {
    subject: "/O=Test/CN=server",
    profile: "server",
    alg: "rsa",
    issuer: root,
    notBefore: new Date("2025-02-03T04:05:06Z"),
    notAfter: new Date("2055-02-03T04:05:06Z"),
  });

  test("reports what openssl reports when reading an RSA leaf", () => {
    const c = leaf.cert;
    const serial = d.text(["x509", "-in", leaf.certPath, "-noout", "-serial"]).trim().replace("serial=", "").toLowerCase();
    expect(c.serial).toBe(serial.replace(/^(00)+/, ""));
    expect(c.subject).toBe("O=Test, CN=server");
    expect(c.issuer).toBe("C=DE, O=Test\\, Inc., CN=Root");
    expect(c.notBefore.toISOString()).toBe("2025-02-03T04:05:06.000Z");
    expect(c.notAfter.toISOString()).toBe("2055-02-03T04:05:06.000Z");
    expect(c.version).toBe(3);
    expect(c.isCA).toBe(false);
    expect(c.basicConstraints).toEqual({ ca: false });
    expect(c.keyUsage).toEqual(["digitalSignature", "keyEncipherment"]);
    expect(c.extKeyUsage).toEqual([OID.serverAuth]);
    expect(c.signatureAlgorithm).toBe(OID.ecdsaWithSha256);
    expect(c.publicKey.kind).toBe("rsa");
    expect(c.publicKey.kind === "rsa" && c.publicKey.modulusBits).toBe(2048);
    const spki = d.run(["pkey", "-in", leaf.keyPath, "-pubout", "-outform", "DER"]);
    expect(c.spkiDer).toEqual(spki);
    expect(c.issuerDer).toEqual(root.cert.subjectDer);
  });

  test("reports a P-384 point and CA flags when reading an EC root", () => {
    const c = root.cert;
    expect(c.isCA).toBe(true);
    expect(c.keyUsage).toEqual(["keyCertSign", "cRLSign"]);
    expect(c.extKeyUsage).toBeUndefined();
    expect(c.subjectKeyId?.length).toBe(20);
    expect(c.criticalExtensions).toContain(OID.basicConstraints);
    expect(c.publicKey.kind === "ec" && c.publicKey.curve).toBe("P-384");
    expect(c.publicKey.kind === "ec" && c.publicKey.point.length).toBe(97);
    expect(c.publicKey.kind === "ec" && c.publicKey.point[0]).toBe(4);
  });

  test("rejects with pki.parse when the DER is damaged", async () => {
    expect(await kindOf(() => parseCertificate(leaf.cert.der.subarray(0, 100)))).toBe("pki.parse");
    expect(await kindOf(() => parseCertificate(new Uint8Array([0x30, 0x03, 0x02, 0x01, 0x01])))).toBe("pki.parse");
  });

  test("rejects with pki.parse a certificate followed by even one byte, as openssl and Go do", async () => {
    const der = leaf.cert.der;
    expect(parseCertificate(der).der).toEqual(der);
    const longer = new Uint8Array([...der, 0x00]);
    expect(await kindOf(() => parseCertificate(longer))).toBe("pki.parse");
    expect(await kindOf(() => parseCertificate(new Uint8Array([...der, ...der])))).toBe("pki.parse");
  });

  test("rejects with pki.unsupported when the key is Ed25519", async () => {
    const key = d.path("ed.key");
    d.run(["genpkey", "-algorithm", "ED25519", "-out", key]);
    const pem = d.text(["req", "-x509", "-new", "-key", key, "-subj", "/CN=ed", "-days", "1"]);
    expect(await kindOf(() => parseCertificatesPem(pem))).toBe("pki.unsupported");
  });
});

describe("parseCertificatesPem", () => {
  const a = d.cert("a", { subject: "/CN=a", profile: "ca" });
  const b = d.cert("b", { subject: "/CN=b", profile: "server", issuer: a });

  test("returns certificates in file order when keys and text are mixed in", () => {
    const key = d.read("a.key");
    const text = `bundle\r\n${b.pem.replace(/\n/g, "\r\n")}\n${new TextDecoder().decode(key)}${a.pem}`;
    expect(parseCertificatesPem(text).map((c) => c.subject)).toEqual(["CN=b", "CN=a"]);
  });

  test("returns nothing when the file holds no certificate", () => {
    expect(parseCertificatesPem(d.read("a.key"))).toEqual([]);
  });
});

describe("verifyIssuedBy", () => {
  const ca = d.cert("vca", { subject: "/CN=vca", profile: "ca", alg: "rsa" });
  const other = d.cert("vother", { subject: "/CN=vca", profile: "ca", alg: "rsa" });
  const leaf = d.cert("vleaf", { subject: "/CN=vleaf", profile: "server", issuer: ca });

  test("returns true when the issuer's key made the signature", async () => {
    expect(await verifyIssuedBy(leaf.cert, ca.cert)).toBe(true);
    expect(await verifyIssuedBy(ca.cert, ca.cert)).toBe(true);
  });

  test("returns false when another key with the same name is offered", async () => {
    expect(await verifyIssuedBy(leaf.cert, other.cert)).toBe(false);
  });

  test("returns false when the issuer key type does not fit the algorithm", async () => {
    const ecLeaf = d.cert("vleaf-ec", { subject: "/CN=ec", profile: "server", issuer: d.cert("vca-ec", { subject: "/CN=vca", profile: "ca" }) });
    expect(await verifyIssuedBy(ecLeaf.cert, ca.cert)).toBe(false);
  });

  test("returns false when one signature bit is flipped", async () => {
    const der = leaf.cert.der.slice();
    der[der.length - 5]! ^= 0x01;
    expect(await verifyIssuedBy(parseCertificate(der), ca.cert)).toBe(false);
  });

  test("rejects with pki.unsupported when the cert is signed with SHA-1", async () => {
    const sha1 = d.cert("vsha1", { subject: "/CN=sha1", profile: "server", issuer: ca, digest: "sha1" });
    expect(await kindOf(() => verifyIssuedBy(sha1.cert, ca.cert))).toBe("pki.unsupported");
  });
});
