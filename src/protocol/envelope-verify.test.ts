import { beforeAll, describe, expect, test } from "bun:test";
import { utf8 } from "../shared/index.ts";
import { type AuthContainer, codec, controllerCertHash, EnvelopeError, HashAlgorithm, type MessageInit, sealEnvelope, verifyEnvelope } from "./index.ts";
import { type ControllerKey, type KeyAlg, makeControllerKey, nobleSigner } from "./keys.testkit.ts";

const PAYLOAD = codec.UuidResponse.encode({ uuid: "6c3a1d2e-8f4b-4e5a-9b7c-0d1e2f3a4b5c" });

async function controllerEnvelope(
  key: ControllerKey,
  payload: Uint8Array,
  algo: number = HashAlgorithm.HASH_ALGORITHM_SHA256_32BYTES,
  over: MessageInit<AuthContainer> = {},
): Promise<Uint8Array> {
  const hashAlgo = algo === HashAlgorithm.HASH_ALGORITHM_SHA256_16BYTES ? algo : HashAlgorithm.HASH_ALGORITHM_SHA256_32BYTES;
  return codec.AuthContainer.encode({
    protectedPayload: { payload },
    algo,
    senderCertHash: controllerCertHash(key.certPem, hashAlgo),
    signatureHash: await key.sign(payload),
    ...over,
  });
}

async function rejection(p: Promise<unknown>): Promise<EnvelopeError> {
  try {
    await p;
  } catch (e) {
    expect(e).toBeInstanceOf(EnvelopeError);
    return e as EnvelopeError;
  }
  throw new Error("expected an EnvelopeError");
}

const keys = {} as Record<KeyAlg, ControllerKey>;
let other: ControllerKey;
beforeAll(async () => {
  for (const alg of ["P-256", "P-384", "RSA-2048"] as const) keys[alg] = await makeControllerKey(alg);
  other = await makeControllerKey("P-256", "another-controller");
});

const cert = (k: ControllerKey) => ({ pem: k.certPem, publicKey: k.publicKey });

describe("verifyEnvelope", () => {
  describe.each(["P-256", "P-384", "RSA-2048"] as const)("with a %s signing cert", (alg) => {
    test.each([
      ["SHA256_32BYTES", HashAlgorithm.HASH_ALGORITHM_SHA256_32BYTES],
      ["SHA256_16BYTES", HashAlgorithm.HASH_ALGORITHM_SHA256_16BYTES],
    ])("returns the payload when signed correctly and the cert hash is %s", async (_n, algo) => {
      const bytes = await controllerEnvelope(keys[alg], PAYLOAD, algo);
      expect(await verifyEnvelope(bytes, cert(keys[alg]))).toEqual(PAYLOAD);
    });

    test("rejects with envelope.signature when a payload byte is flipped", async () => {
      const sealed = codec.AuthContainer.decode(await controllerEnvelope(keys[alg], PAYLOAD));
      const tampered = new Uint8Array(PAYLOAD);
      tampered[5]! ^= 0x01;
      const bytes = codec.AuthContainer.encode({ ...sealed, protectedPayload: { payload: tampered } });
      expect((await rejection(verifyEnvelope(bytes, cert(keys[alg])))).kind).toBe("envelope.signature");
    });

    test("rejects with envelope.signature when a signature bit is flipped", async () => {
      const sealed = codec.AuthContainer.decode(await controllerEnvelope(keys[alg], PAYLOAD));
      const sig = new Uint8Array(sealed.signatureHash);
      sig[sig.length - 1]! ^= 0x80;
      const bytes = codec.AuthContainer.encode({ ...sealed, signatureHash: sig });
      expect((await rejection(verifyEnvelope(bytes, cert(keys[alg])))).kind).toBe("envelope.signature");
    });

    test("rejects with envelope.signature-length when the signature is one byte short", async () => {
      const sealed = codec.AuthContainer.decode(await controllerEnvelope(keys[alg], PAYLOAD));
      const bytes = codec.AuthContainer.encode({ ...sealed, signatureHash: sealed.signatureHash.slice(1) });
      expect((await rejection(verifyEnvelope(bytes, cert(keys[alg])))).kind).toBe("envelope.signature-length");
    });
  });

  test("rejects with envelope.signature-length when a P-256 signature is DER instead of raw r||s", async () => {
    const sealed = codec.AuthContainer.decode(await controllerEnvelope(keys["P-256"], PAYLOAD));
    const r = sealed.signatureHash.slice(0, 32);
    const s = sealed.signatureHash.slice(32);
    const int = (x: Uint8Array) => (x[0]! & 0x80 ? [0x02, 33, 0, ...x] : [0x02, 32, ...x]);
    const body = [...int(r), ...int(s)];
    const der = new Uint8Array([0x30, body.length, ...body]);
    const bytes = codec.AuthContainer.encode({ ...sealed, signatureHash: der });
    expect((await rejection(verifyEnvelope(bytes, cert(keys["P-256"])))).kind).toBe("envelope.signature-length");
  });

  test("rejects with envelope.cert-miss when signed under another controller cert", async () => {
    const bytes = await controllerEnvelope(other, PAYLOAD);
    expect((await rejection(verifyEnvelope(bytes, cert(keys["P-256"])))).kind).toBe("envelope.cert-miss");
  });

  test("rejects with envelope.cert-miss when the delivered PEM differs by one byte from the one hashed", async () => {
    const bytes = await controllerEnvelope(keys["P-256"], PAYLOAD);
    const trimmed = keys["P-256"].certPem.slice(0, -1);
    expect((await rejection(verifyEnvelope(bytes, { ...cert(keys["P-256"]), pem: trimmed }))).kind).toBe("envelope.cert-miss");
  });

  test("rejects with envelope.cert-miss when algo is 16 bytes but the full hash is sent", async () => {
    const bytes = await controllerEnvelope(keys["P-256"], PAYLOAD, HashAlgorithm.HASH_ALGORITHM_SHA256_32BYTES, {
      algo: HashAlgorithm.HASH_ALGORITHM_SHA256_16BYTES,
    });
    expect((await rejection(verifyEnvelope(bytes, cert(keys["P-256"])))).kind).toBe("envelope.cert-miss");
  });

  test.each([0, 15, 20, 31, 33, 64])("rejects with envelope.hash-size when senderCertHash is %i bytes", async (n) => {
    const bytes = await controllerEnvelope(keys["P-256"], PAYLOAD, 2, { senderCertHash: new Uint8Array(n) });
    expect((await rejection(verifyEnvelope(bytes, cert(keys["P-256"])))).kind).toBe("envelope.hash-size");
  });

  test.each([0, 3, 7])("rejects with envelope.algo when algo is %i", async (algo) => {
    const bytes = await controllerEnvelope(keys["P-256"], PAYLOAD, algo);
    expect((await rejection(verifyEnvelope(bytes, cert(keys["P-256"])))).kind).toBe("envelope.algo");
  });

  test("checks the hash size before the algorithm when both are wrong", async () => {
    const bytes = await controllerEnvelope(keys["P-256"], PAYLOAD, 0, { senderCertHash: new Uint8Array(20) });
    expect((await rejection(verifyEnvelope(bytes, cert(keys["P-256"])))).kind).toBe("envelope.hash-size");
  });

  test("checks the cert before the signature when both are wrong", async () => {
    const bytes = await controllerEnvelope(other, PAYLOAD, 2, { signatureHash: new Uint8Array(3) });
    expect((await rejection(verifyEnvelope(bytes, cert(keys["P-256"])))).kind).toBe("envelope.cert-miss");
  });

  test("rejects with envelope.decode when the container is truncated", async () => {
    const bytes = await controllerEnvelope(keys["P-256"], PAYLOAD);
    const e = await rejection(verifyEnvelope(bytes.slice(0, bytes.length - 10), cert(keys["P-256"])));
    expect(e.kind).toBe("envelope.decode");
    expect((e.cause as { kind?: string }).kind).toBe("protocol.decode");
  });

  test("rejects with envelope.decode when the bytes are not protobuf at all", async () => {
    const e = await rejection(verifyEnvelope(utf8.encode("<html>503</html>"), cert(keys["P-256"])));
    expect(e.kind).toBe("envelope.decode");
  });

  test("rejects with envelope.no-payload when the container has neither payload form", async () => {
    const bytes = await controllerEnvelope(keys["P-256"], PAYLOAD, 2, { protectedPayload: undefined });
    expect((await rejection(verifyEnvelope(bytes, cert(keys["P-256"])))).kind).toBe("envelope.no-payload");
  });

  test("rejects with envelope.encrypted when only cipherData carries the payload", async () => {
    const bytes = await controllerEnvelope(keys["P-256"], PAYLOAD, 2, {
      protectedPayload: undefined,
      cipherData: { cipherContextId: "c", cipherData: new Uint8Array([1, 2, 3]) },
    });
    expect((await rejection(verifyEnvelope(bytes, cert(keys["P-256"])))).kind).toBe("envelope.encrypted");
  });

  test("accepts a device-sealed envelope when checked against the device key", async () => {
    const signer = nobleSigner();
    const pem = utf8.encode("-----BEGIN CERTIFICATE-----\nfake\n-----END CERTIFICATE-----\n");
    const bytes = await sealEnvelope(PAYLOAD, signer, { senderCertHash: controllerCertHash(pem, 2) });
    const publicKey = { kind: "ec" as const, curve: "P-256" as const, point: signer.publicKey, spkiDer: new Uint8Array(0) };
    expect(await verifyEnvelope(bytes, { pem, publicKey })).toEqual(PAYLOAD);
  });
});
