import { afterAll, describe, expect, test } from "bun:test";
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { p256 } from "@noble/curves/nist.js";
import { sha256 } from "@noble/hashes/sha2.js";
import { OpensslDir } from "../../test/harness/openssl-ca.ts";
import { PkiError } from "./errors.ts";
import { decodePem, encodePem } from "./pem.ts";
import { publicKeyFromSpki, spkiFromP256Point } from "./public-key.ts";
import { verifySha256Signature } from "./signature.ts";
import { generateSoftKey, softKeyFromPem, softKeyToPem, softSigner } from "./soft-key.ts";

const FIXTURES = join(import.meta.dir, "../../test/fixtures/pki/eve-style");

const d = new OpensslDir();
afterAll(() => d.remove());

function kindOf(fn: () => unknown): string | undefined {
  try {
    fn();
  } catch (e) {
    return e instanceof PkiError ? e.kind : `not a PkiError: ${String(e)}`;
  }
  return undefined;
}

/** Public key of a PEM private key as openssl derives it, as SPKI DER. */
function opensslPublic(keyFile: string): Uint8Array {
  return d.run(["pkey", "-in", keyFile, "-pubout", "-outform", "DER"]);
}

describe("softKeyToPem", () => {
  test("writes SEC1 under a PRIVATE KEY label when saving, as EVE does", () => {
    const key = generateSoftKey();
    const pem = softKeyToPem(key);
    const [block] = decodePem(pem);
    expect(block!.label).toBe("PRIVATE KEY");
    // openssl can only read it as what it really is: relabelled as SEC1.
    const file = d.write("eve.key", encodePem("EC PRIVATE KEY", block!.der));
    expect(d.text(["ec", "-in", file, "-noout", "-check"])).toBe("");
    expect(opensslPublic(file)).toEqual(spkiFromP256Point(key.publicKey));
    expect(d.text(["asn1parse", "-in", file])).toMatch(/^\s*0:d=0.*SEQUENCE\s*\n\s*2:d=1.*INTEGER\s+:01\n/);
  });

  test("reproduces Go's bytes when saving a key EVE's Go code wrote", () => {
    const eve = readFileSync(join(FIXTURES, "device.key.pem"));
    expect(Buffer.from(softKeyToPem(softKeyFromPem(eve))).toString()).toBe(eve.toString());
  });
});

describe("softKeyFromPem", () => {
  test("returns the same key when reading back what softKeyToPem wrote", () => {
    const key = generateSoftKey();
    expect(softKeyFromPem(softKeyToPem(key))).toEqual(key);
  });

  test("returns openssl's public key when reading an EC PRIVATE KEY (SEC1) file", () => {
    const file = d.path("sec1.key");
    d.run(["ecparam", "-name", "prime256v1", "-genkey", "-noout", "-out", file]);
    expect(readFileSync(file, "utf8")).toContain("BEGIN EC PRIVATE KEY");
    const key = softKeyFromPem(readFileSync(file));
    expect(spkiFromP256Point(key.publicKey)).toEqual(opensslPublic(file));
  });

  test("returns openssl's public key when reading a real PKCS#8 PRIVATE KEY file", () => {
    const file = d.key("pkcs8", "ec");
    expect(readFileSync(file, "utf8")).toContain("BEGIN PRIVATE KEY");
    expect(d.text(["ec", "-in", file, "-noout", "-check"])).toBe("");
    const key = softKeyFromPem(readFileSync(file, "utf8"));
    expect(spkiFromP256Point(key.publicKey)).toEqual(opensslPublic(file));
  });

  test("returns the key when reading the Go-written EVE fixture", () => {
    const pem = readFileSync(join(FIXTURES, "attest.key.pem"));
    const certPem = readFileSync(join(FIXTURES, "attest.cert.pem"), "utf8");
    const spkiFromCert = d.run(["x509", "-noout", "-pubkey"], certPem);
    const key = softKeyFromPem(pem);
    expect(spkiFromP256Point(key.publicKey)).toEqual(decodePem(spkiFromCert)[0]!.der);
  });

  test("rejects with pki.unsupported when the key is P-384", () => {
    expect(kindOf(() => softKeyFromPem(readFileSync(d.key("p384", "ec384"))))).toBe("pki.unsupported");
  });

  test("rejects with pki.unsupported when the key is RSA", () => {
    expect(kindOf(() => softKeyFromPem(readFileSync(d.key("rsa", "rsa"))))).toBe("pki.unsupported");
  });

  test("rejects with pki.key when the stored public key belongs to another key", () => {
    const a = generateSoftKey();
    const b = generateSoftKey();
    const forged = softKeyToPem({ privateKey: a.privateKey, publicKey: b.publicKey });
    expect(kindOf(() => softKeyFromPem(forged))).toBe("pki.key");
  });

  test("rejects with pki.key when the private scalar is zero", () => {
    const zero = softKeyToPem({ privateKey: new Uint8Array(32), publicKey: generateSoftKey().publicKey });
    expect(kindOf(() => softKeyFromPem(zero))).toBe("pki.key");
  });

  test("rejects with pki.pem when there is no key block", () => {
    expect(kindOf(() => softKeyFromPem(encodePem("CERTIFICATE", new Uint8Array([1, 2, 3]))))).toBe("pki.pem");
  });
});

describe("softSigner", () => {
  const key = generateSoftKey();
  const signer = softSigner(key);
  const data = new TextEncoder().encode("edge-agent soft signer");

  test("returns a 64-byte r||s that verifySha256Signature accepts when signing a digest", async () => {
    const sig = await signer.sign(sha256(data));
    expect(sig.length).toBe(64);
    const pub = publicKeyFromSpki(spkiFromP256Point(signer.publicKey));
    expect(await verifySha256Signature(pub, data, sig, "raw")).toBe(true);
    expect(await verifySha256Signature(pub, new TextEncoder().encode("other"), sig, "raw")).toBe(false);
  });

  test("returns a signature openssl accepts when it is converted to DER", async () => {
    const sig = await signer.sign(sha256(data));
    const der = p256.Signature.fromBytes(sig, "compact").toBytes("der");
    d.write("data.bin", data);
    d.write("sig.der", der);
    d.write("pub.pem", encodePem("PUBLIC KEY", spkiFromP256Point(signer.publicKey)));
    expect(d.text(["dgst", "-sha256", "-verify", "pub.pem", "-signature", "sig.der", "data.bin"])).toContain("Verified OK");
  });

  test("returns from signMessage a 64-byte r||s over SHA-256 of the message that openssl accepts", async () => {
    const sig = await signer.signMessage!(data);
    expect(sig.length).toBe(64);
    const pub = publicKeyFromSpki(spkiFromP256Point(signer.publicKey));
    expect(await verifySha256Signature(pub, data, sig, "raw")).toBe(true);
    expect(await verifySha256Signature(pub, new TextEncoder().encode("other"), sig, "raw")).toBe(false);
    d.write("msg.bin", data);
    d.write("msg.sig", p256.Signature.fromBytes(sig, "compact").toBytes("der"));
    d.write("msgpub.pem", encodePem("PUBLIC KEY", spkiFromP256Point(signer.publicKey)));
    expect(d.text(["dgst", "-sha256", "-verify", "msgpub.pem", "-signature", "msg.sig", "msg.bin"])).toContain("Verified OK");
  });

  test("signs with signMessage under the key a PEM file holds when loaded from it", async () => {
    const loaded = softSigner(softKeyFromPem(softKeyToPem(key)));
    const pub = publicKeyFromSpki(spkiFromP256Point(key.publicKey));
    expect(await verifySha256Signature(pub, data, await loaded.signMessage!(data))).toBe(true);
  });

  test("behaves the same when built from the raw private scalar", async () => {
    const fromScalar = softSigner(key.privateKey);
    expect(fromScalar.publicKey).toEqual(key.publicKey);
    const pub = publicKeyFromSpki(spkiFromP256Point(key.publicKey));
    expect(await verifySha256Signature(pub, data, await fromScalar.sign(sha256(data)))).toBe(true);
  });

  test("rejects with pki.sign when the digest is not 32 bytes", async () => {
    let kind: string | undefined;
    await signer.sign(new Uint8Array(20)).catch((e: unknown) => (kind = e instanceof PkiError ? e.kind : String(e)));
    expect(kind).toBe("pki.sign");
  });
});
