/**
 * The PKCS#11 client with its calls in this thread (`thread: "inline"`, for
 * one-shot commands), against its own SoftHSM2: the other hashes, object
 * management, and module errors mapped to typed errors.
 */
import { afterAll, beforeAll, expect, test } from "bun:test";
import { createHash } from "node:crypto";
import { join } from "node:path";
import { CKA, CKM, CKO, ecdsaRawToDer, Pkcs11, type Pkcs11Error, type Pkcs11Token, p256Signer, rsaSigner } from "../../../src/pkcs11/index.ts";
import { createSoftHsm, openssl } from "./softhsm.ts";

const PIN = "inline-2468";
const hsm = createSoftHsm();
let p11: Pkcs11;
let token: Pkcs11Token;
let n = 0;

function opensslVerifies(spki: Uint8Array, hash: string, data: Uint8Array, sig: Uint8Array, opts: string[] = []): boolean {
  const i = n++;
  const pem = join(hsm.dir, `v${i}.pub.pem`);
  openssl(["pkey", "-pubin", "-inform", "DER", "-in", hsm.file(`v${i}.pub.der`, spki), "-out", pem]);
  const r = openssl(["dgst", `-${hash}`, "-verify", pem, ...opts, "-signature", hsm.file(`v${i}.sig`, sig), hsm.file(`v${i}.data`, data)], { allowFail: true });
  return r.status === 0 && r.stdout.includes("Verified OK");
}

const digest = (hash: string, d: Uint8Array) => new Uint8Array(createHash(hash).update(d).digest());

beforeAll(async () => {
  hsm.initToken("inline", PIN);
  hsm.use();
  p11 = await Pkcs11.open({ libPath: hsm.module, thread: "inline" });
  token = await p11.openToken({ uri: `pkcs11:token=inline?pin-value=${PIN}` });
});

afterAll(async () => {
  await p11?.close();
  hsm.cleanup();
});

test("RSA with SHA-384 and SHA-512, PKCS#1 v1.5 and PSS, verified by openssl", async () => {
  const key = await token.generateKeyPair({ algorithm: "rsa-2048", label: "rsa-hashes" });
  const signer = rsaSigner(key);
  const msg = new TextEncoder().encode("hashes other than SHA-256");
  for (const hash of ["sha384", "sha512"] as const) {
    const len = hash === "sha384" ? "48" : "64";
    const pss = ["-sigopt", "rsa_padding_mode:pss", "-sigopt", `rsa_pss_saltlen:${len}`];
    expect(opensslVerifies(signer.spki, hash, msg, await signer.signDigest(digest(hash, msg), { hash }))).toBe(true);
    expect(opensslVerifies(signer.spki, hash, msg, await signer.sign(msg, { hash }))).toBe(true);
    expect(opensslVerifies(signer.spki, hash, msg, await signer.signDigest(digest(hash, msg), { hash, padding: "pss" }), pss)).toBe(true);
    expect(opensslVerifies(signer.spki, hash, msg, await signer.sign(msg, { hash, padding: "pss" }), pss)).toBe(true);
  }
  // A digest of the wrong length is refused before it reaches the token.
  expect(await signer.signDigest(digest("sha256", msg), { hash: "sha384" }).catch((e: Pkcs11Error) => e.kind)).toBe("pkcs11.input");
});

test("the token's own refusals arrive as typed errors with the CKR name", async () => {
  const ec = await token.generateKeyPair({ algorithm: "ec-p256", label: "errors-ec" });
  const data = digest("sha256", new TextEncoder().encode("x"));
  const err = (p: Promise<unknown>) =>
    p.then(
      () => "resolved",
      (e: Pkcs11Error) => [e.kind, e.ckr, e.fn],
    );
  expect(await err(ec.sign({ mechanism: 0x7ffffff0 }, data))).toEqual(["pkcs11.mechanism", "CKR_MECHANISM_INVALID", "C_SignInit"]);
  expect(await err(token.run((port, s) => port.sign(s, { mechanism: CKM.ECDSA }, 0x7ffffff0, data)))).toEqual([
    "pkcs11.key",
    "CKR_OBJECT_HANDLE_INVALID",
    "C_SignInit",
  ]);
  // An RSA template without CKA_MODULUS_BITS.
  const incomplete = token.run((port, s) =>
    port.generateKeyPair(
      s,
      { mechanism: CKM.RSA_PKCS_KEY_PAIR_GEN },
      [{ type: CKA.CLASS, value: CKO.PUBLIC_KEY }],
      [{ type: CKA.CLASS, value: CKO.PRIVATE_KEY }],
    ),
  );
  expect(await err(incomplete)).toEqual(["pkcs11.template", "CKR_TEMPLATE_INCOMPLETE", "C_GenerateKeyPair"]);
  expect(await err(p256Signer(ec).sign(new Uint8Array(20)))).toEqual(["pkcs11.input", undefined, undefined]);
  const mechanisms = await token.mechanisms();
  expect(mechanisms).toEqual(
    expect.arrayContaining([CKM.ECDSA, CKM.RSA_PKCS, CKM.RSA_PKCS_PSS, CKM.SHA256_RSA_PKCS, CKM.EC_KEY_PAIR_GEN, CKM.RSA_PKCS_KEY_PAIR_GEN]),
  );
});

test("two keys under one label are ambiguous; by id each is found; a destroyed key is gone", async () => {
  const one = await token.generateKeyPair({ algorithm: "ec-p256", label: "twin", id: Uint8Array.of(1) });
  const two = await token.generateKeyPair({ algorithm: "ec-p256", label: "twin", id: Uint8Array.of(2) });
  expect(await token.findKey({ label: "twin" }).catch((e: Pkcs11Error) => e.kind)).toBe("pkcs11.ambiguous");
  expect((await token.findKey({ label: "twin", id: Uint8Array.of(2) })).handle).toBe(two.handle);
  const found = await p11.findKey(`pkcs11:token=inline;object=twin;id=%01?pin-value=${PIN}`);
  expect(Buffer.from(found.spki()).equals(Buffer.from(one.spki()))).toBe(true);
  await token.destroyKey(one);
  expect(await token.findKey({ id: Uint8Array.of(1) }).catch((e: Pkcs11Error) => e.kind)).toBe("pkcs11.not-found");
  expect(await token.findObjects({ id: Uint8Array.of(1) })).toEqual([]);
  const msg = new TextEncoder().encode("survivor");
  expect(opensslVerifies(two.spki(), "sha256", msg, ecdsaRawToDer(await p256Signer(two).sign(digest("sha256", msg))))).toBe(true);
});

test("in this thread a key generation holds the event loop for its whole length (why the agent uses the Worker)", async () => {
  let ticks = 0;
  const timer = setInterval(() => ticks++, 1);
  try {
    await token.generateKeyPair({ algorithm: "rsa-2048", label: "blocking" });
    expect(ticks).toBe(0);
  } finally {
    clearInterval(timer);
  }
});
