import { describe, expect, test } from "bun:test";
import { generateSoftKey, softSigner } from "../pki/index.ts";
import { bufferSource, fromBase64, toHex, utf8 } from "../shared/index.ts";
import { codec, EnvelopeError, HashAlgorithm, registerSenderCert, sealEnvelope } from "./index.ts";
import { nobleSigner } from "./keys.testkit.ts";

const HASH32 = new Uint8Array(32).map((_, i) => i);
const HASH16 = HASH32.slice(0, 16);

async function webcryptoVerifies(point: Uint8Array, payload: Uint8Array, sig: Uint8Array): Promise<boolean> {
  const algo = { name: "ECDSA", namedCurve: "P-256" };
  const key = await crypto.subtle.importKey("raw", bufferSource(point), algo, false, ["verify"]);
  return crypto.subtle.verify({ name: "ECDSA", hash: "SHA-256" }, key, bufferSource(sig), bufferSource(payload));
}

async function sealError(p: Promise<unknown>): Promise<EnvelopeError> {
  try {
    await p;
  } catch (e) {
    expect(e).toBeInstanceOf(EnvelopeError);
    return e as EnvelopeError;
  }
  throw new Error("expected an EnvelopeError");
}

describe("sealEnvelope", () => {
  test("signs SHA-256 of the payload as raw r||s when sealing a request", async () => {
    const signer = nobleSigner();
    const payload = codec.ConfigRequest.encode({ configHash: "abc" });
    const c = codec.AuthContainer.decode(await sealEnvelope(payload, signer, { senderCertHash: HASH32 }));
    expect(c.protectedPayload?.payload).toEqual(payload);
    expect(c.algo).toBe(HashAlgorithm.HASH_ALGORITHM_SHA256_32BYTES);
    expect(c.senderCertHash).toEqual(HASH32);
    expect(c.signatureHash.length).toBe(64);
    expect(c.senderCert.length).toBe(0);
    expect(await webcryptoVerifies(signer.publicKey, payload, c.signatureHash)).toBe(true);
  });

  test("signs the payload through signMessage when the signer offers it", async () => {
    const inner = softSigner(generateSoftKey());
    const signer = { publicKey: inner.publicKey, sign: () => Promise.reject(new Error("digest path used")), signMessage: inner.signMessage };
    const payload = codec.ConfigRequest.encode({ configHash: "abc" });
    const c = codec.AuthContainer.decode(await sealEnvelope(payload, signer, { senderCertHash: HASH32 }));
    expect(c.signatureHash.length).toBe(64);
    expect(await webcryptoVerifies(signer.publicKey, payload, c.signatureHash)).toBe(true);
  });

  test("emits a present empty AuthBody when the payload is empty", async () => {
    const signer = nobleSigner();
    const bytes = await sealEnvelope(new Uint8Array(0), signer, { senderCertHash: HASH32 });
    const sig = codec.AuthContainer.decode(bytes).signatureHash;
    expect(toHex(bytes)).toBe(`0a00` + `1002` + `1a20${toHex(HASH32)}` + `2240${toHex(sig)}`);
    expect(await webcryptoVerifies(signer.publicKey, new Uint8Array(0), sig)).toBe(true);
  });

  test("carries senderCert when sealing for /register", async () => {
    const pem = utf8.encode("-----BEGIN CERTIFICATE-----\nMIIB\n-----END CERTIFICATE-----\n");
    const bytes = await sealEnvelope(new Uint8Array([8, 1]), nobleSigner(), { senderCertHash: HASH32, senderCert: registerSenderCert(pem) });
    const c = codec.AuthContainer.decode(bytes);
    expect(fromBase64(utf8.decode(c.senderCert))).toEqual(pem);
  });

  test("accepts a 16-byte hash when algo is SHA256_16BYTES", async () => {
    const bytes = await sealEnvelope(new Uint8Array([1]), nobleSigner(), { senderCertHash: HASH16, algo: HashAlgorithm.HASH_ALGORITHM_SHA256_16BYTES });
    expect(codec.AuthContainer.decode(bytes).algo).toBe(1);
  });

  test.each([
    ["a 16-byte hash with the default algo", HASH16, undefined],
    ["a 32-byte hash with SHA256_16BYTES", HASH32, HashAlgorithm.HASH_ALGORITHM_SHA256_16BYTES],
  ])("rejects with envelope.hash-size when given %s", async (_why, hash, algo) => {
    const e = await sealError(sealEnvelope(new Uint8Array([1]), nobleSigner(), { senderCertHash: hash, ...(algo ? { algo } : {}) }));
    expect(e.kind).toBe("envelope.hash-size");
  });

  test("rejects with envelope.algo when algo is INVALID", async () => {
    const e = await sealError(sealEnvelope(new Uint8Array([1]), nobleSigner(), { senderCertHash: HASH32, algo: 0 }));
    expect(e.kind).toBe("envelope.algo");
  });

  test("rejects with envelope.signature-length when the signer returns DER", async () => {
    const signer = { publicKey: new Uint8Array(65), sign: async () => new Uint8Array(71) };
    const e = await sealError(sealEnvelope(new Uint8Array([1]), signer, { senderCertHash: HASH32 }));
    expect(e.kind).toBe("envelope.signature-length");
  });
});
