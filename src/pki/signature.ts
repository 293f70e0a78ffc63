import { p256, p384 } from "@noble/curves/nist.js";
import { sha256 } from "@noble/hashes/sha2.js";
import { AgentError, bufferSource } from "../shared/index.ts";

/** The public key of a certificate, as far as the agent needs to verify with it. */
export type PublicKeyInfo =
  | { kind: "ec"; curve: "P-256" | "P-384"; /** uncompressed SEC1 point */ point: Uint8Array; spkiDer: Uint8Array }
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
export async function verifySha256Signature(
  key: PublicKeyInfo,
  data: Uint8Array,
  signature: Uint8Array,
  encoding: "raw" | "der" = "raw",
): Promise<boolean> {
  if (key.kind === "ec") {
    const n = curveByteLength(key.curve);
    if (encoding === "raw" && signature.length !== 2 * n) {
      throw new SignatureError("length", `ECDSA ${key.curve} raw signature must be ${2 * n} bytes, got ${signature.length}`);
    }
    const curve = key.curve === "P-256" ? p256 : p384;
    const digest = sha256(data);
    try {
      return curve.verify(signature, digest, key.point, { prehash: false, lowS: false, format: encoding === "raw" ? "compact" : "der" });
    } catch (e) {
      throw new SignatureError("encoding", `malformed ECDSA signature: ${(e as Error).message}`);
    }
  }
  const pub = await crypto.subtle.importKey("spki", bufferSource(key.spkiDer), { name: "RSASSA-PKCS1-v1_5", hash: "SHA-256" }, false, ["verify"]);
  if (signature.length !== key.modulusBits / 8) {
    throw new SignatureError("length", `RSA-${key.modulusBits} signature must be ${key.modulusBits / 8} bytes, got ${signature.length}`);
  }
  return crypto.subtle.verify("RSASSA-PKCS1-v1_5", pub, bufferSource(signature), bufferSource(data));
}
