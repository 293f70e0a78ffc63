import { ALG } from "./constants.ts";
import { decodeAll, encode, type Reader, TpmCodecError } from "./wire.ts";

/** TPMT_SIGNATURE (Part 2 §11.3.4) for the schemes a TPM can produce. */
export type TpmtSignature =
  | { sigAlg: "ecdsa"; hashAlg: number; r: Uint8Array; s: Uint8Array }
  | { sigAlg: "rsassa" | "rsapss"; hashAlg: number; sig: Uint8Array }
  | { sigAlg: "hmac"; hashAlg: number; digest: Uint8Array };

export function readSignature(r: Reader): TpmtSignature {
  const alg = r.u16();
  switch (alg) {
    case ALG.ECDSA:
      return { sigAlg: "ecdsa", hashAlg: r.u16(), r: r.tpm2b(128), s: r.tpm2b(128) };
    case ALG.RSASSA:
    case ALG.RSAPSS:
      return { sigAlg: alg === ALG.RSASSA ? "rsassa" : "rsapss", hashAlg: r.u16(), sig: r.tpm2b(512) };
    case ALG.HMAC: {
      const hashAlg = r.u16();
      if (hashAlg !== ALG.SHA256) throw new TpmCodecError("selector", `HMAC signature hash 0x${hashAlg.toString(16)}`);
      return { sigAlg: "hmac", hashAlg, digest: r.bytes(32) };
    }
    default:
      throw new TpmCodecError("selector", `unsupported signature algorithm 0x${alg.toString(16)}`);
  }
}

export const decodeSignature = (b: Uint8Array) => decodeAll(b, "TPMT_SIGNATURE", readSignature);

export function encodeSignature(s: TpmtSignature): Uint8Array {
  return encode((w) => {
    if (s.sigAlg === "ecdsa") w.u16(ALG.ECDSA).u16(s.hashAlg).tpm2b(s.r).tpm2b(s.s);
    else if (s.sigAlg === "hmac") w.u16(ALG.HMAC).u16(s.hashAlg).bytes(s.digest);
    else
      w.u16(s.sigAlg === "rsassa" ? ALG.RSASSA : ALG.RSAPSS)
        .u16(s.hashAlg)
        .tpm2b(s.sig);
  });
}

function leftPad(b: Uint8Array, n: number): Uint8Array {
  let i = 0;
  while (i < b.length - n && b[i] === 0) i++;
  const t = b.subarray(i);
  if (t.length > n) throw new TpmCodecError("range", `ECDSA component of ${t.length} bytes exceeds ${n}`);
  const out = new Uint8Array(n);
  out.set(t, n - t.length);
  return out;
}

/** ECDSA r||s, each left-padded to the curve size (EVE envelope encoding). */
export function ecdsaRaw(sig: { r: Uint8Array; s: Uint8Array }, n = 32): Uint8Array {
  const out = new Uint8Array(2 * n);
  out.set(leftPad(sig.r, n), 0);
  out.set(leftPad(sig.s, n), n);
  return out;
}

function derInteger(v: Uint8Array): Uint8Array {
  let i = 0;
  while (i < v.length - 1 && v[i] === 0) i++;
  const t = v.subarray(i);
  const pad = t.length === 0 || t[0]! & 0x80 ? 1 : 0;
  const bodyLength = pad + Math.max(t.length, 1);
  const len = derLength(bodyLength);
  const out = new Uint8Array(1 + len.length + bodyLength);
  out[0] = 0x02;
  out.set(len, 1);
  out.set(t, 1 + len.length + pad);
  return out;
}

function derLength(n: number): number[] {
  if (n < 0x80) return [n];
  if (n < 0x100) return [0x81, n];
  return [0x82, n >> 8, n & 0xff];
}

/**
 * ASN.1 DER ECDSA-Sig-Value (what EVE sends as the quote signature). Built
 * with set() rather than spreading typed arrays into array literals, which
 * goes through the iterator protocol byte by byte and cost more than the
 * rest of a quote's JavaScript.
 */
export function ecdsaDer(sig: { r: Uint8Array; s: Uint8Array }): Uint8Array {
  const r = derInteger(sig.r);
  const s = derInteger(sig.s);
  const len = derLength(r.length + s.length);
  const out = new Uint8Array(1 + len.length + r.length + s.length);
  out[0] = 0x30;
  out.set(len, 1);
  out.set(r, 1 + len.length);
  out.set(s, 1 + len.length + r.length);
  return out;
}
