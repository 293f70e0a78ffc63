import { AgentError, bufferSource } from "../shared/index.ts";

/** The public key of a certificate, as far as the agent needs to verify with it. */
export type PublicKeyInfo =
  | { kind: "ec"; curve: "P-256" | "P-384" /** uncompressed SEC1 point */; point: Uint8Array; spkiDer: Uint8Array }
  | { kind: "rsa"; modulusBits: number; spkiDer: Uint8Array };

export class SignatureError extends AgentError {
  constructor(kind: "length" | "encoding" | "key", message: string) {
    super(`signature.${kind}`, message);
  }
}

export function curveByteLength(curve: "P-256" | "P-384"): number {
  return curve === "P-256" ? 32 : 48;
}

/**
 * Verifies a signature over SHA-256(data). ECDSA signatures come either as raw
 * r||s (EVE envelopes) or ASN.1 DER (TPM quotes as EVE sends them); RSA is
 * PKCS#1 v1.5 with SHA-256. Returns false on a well-formed but wrong
 * signature; throws SignatureError when the signature cannot be a signature
 * of this key at all (wrong length, bad DER).
 */
export async function verifySha256Signature(key: PublicKeyInfo, data: Uint8Array, signature: Uint8Array, encoding: "raw" | "der" = "raw"): Promise<boolean> {
  if (key.kind === "ec") {
    const n = curveByteLength(key.curve);
    if (encoding === "raw" && signature.length !== 2 * n) {
      throw new SignatureError("length", `ECDSA ${key.curve} raw signature must be ${2 * n} bytes, got ${signature.length}`);
    }
    // WebCrypto (the runtime's native ECDSA) rather than @noble: a verify in JavaScript, and the curve's
    // tables built on first use, cost a boot tens of milliseconds. It takes r||s, so DER is unwrapped first.
    const raw = encoding === "raw" ? signature : derSignatureToRaw(signature, n);
    let pub: CryptoKey;
    try {
      pub = await importEcKey(key);
    } catch (e) {
      throw new SignatureError("encoding", `ECDSA ${key.curve} public key is not usable: ${(e as Error).message}`);
    }
    return crypto.subtle.verify({ name: "ECDSA", hash: "SHA-256" }, pub, bufferSource(raw), bufferSource(data));
  }
  const pub = await crypto.subtle.importKey("spki", bufferSource(key.spkiDer), { name: "RSASSA-PKCS1-v1_5", hash: "SHA-256" }, false, ["verify"]);
  if (signature.length !== key.modulusBits / 8) {
    throw new SignatureError("length", `RSA-${key.modulusBits} signature must be ${key.modulusBits / 8} bytes, got ${signature.length}`);
  }
  return crypto.subtle.verify("RSASSA-PKCS1-v1_5", pub, bufferSource(signature), bufferSource(data));
}

const ecKeys = new WeakMap<Uint8Array, Promise<CryptoKey>>();

/** One import per key: the same controller signing key checks every envelope. */
function importEcKey(key: Extract<PublicKeyInfo, { kind: "ec" }>): Promise<CryptoKey> {
  let k = ecKeys.get(key.point);
  if (!k) {
    k = crypto.subtle.importKey("raw", bufferSource(key.point), { name: "ECDSA", namedCurve: key.curve }, false, ["verify"]);
    ecKeys.set(key.point, k);
    k.catch(() => ecKeys.delete(key.point));
  }
  return k;
}

/** Strict DER ECDSA-Sig-Value (SEQUENCE of two positive INTEGERs, minimal lengths) to r||s of `n` bytes each. */
function derSignatureToRaw(der: Uint8Array, n: number): Uint8Array {
  const bad = (why: string) => new SignatureError("encoding", `malformed ECDSA signature: ${why}`);
  let i = 0;
  const length = (): number => {
    const b = der[i++];
    if (b === undefined) throw bad("truncated");
    if (b < 0x80) return b;
    if (b !== 0x81) throw bad("length form");
    const l = der[i++];
    if (l === undefined || l < 0x80) throw bad("length not minimal");
    return l;
  };
  if (der[i++] !== 0x30) throw bad("not a SEQUENCE");
  const seqLen = length();
  if (i + seqLen !== der.length) throw bad("SEQUENCE length");
  const out = new Uint8Array(2 * n);
  for (const at of [0, n]) {
    if (der[i++] !== 0x02) throw bad("not an INTEGER");
    const len = length();
    if (len === 0 || i + len > der.length) throw bad("INTEGER length");
    let v = der.subarray(i, i + len);
    i += len;
    if (v[0]! & 0x80) throw bad("negative INTEGER");
    if (v.length > 1 && v[0] === 0 && !(v[1]! & 0x80)) throw bad("INTEGER not minimal");
    if (v[0] === 0) v = v.subarray(1);
    if (v.length > n) throw bad("INTEGER too large");
    out.set(v, at + n - v.length);
  }
  if (i !== der.length) throw bad("trailing bytes");
  return out;
}
