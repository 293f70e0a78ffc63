import type { P256Signer } from "../shared/index.ts";
import { Pkcs11Error } from "./errors.ts";
import type { HashName, Pkcs11Key, RsaPadding } from "./module.ts";

/**
 * A PKCS#11 EC P-256 key as the agent's P256Signer, so envelopes,
 * certificates and CSRs are signed inside the token: sign() takes the
 * SHA-256 digest and returns raw r||s, which is what CKM_ECDSA returns.
 */
export function p256Signer(key: Pkcs11Key): P256Signer {
  const pk = key.publicKey;
  if (pk.algorithm !== "ec" || pk.curve !== "P-256") throw new Pkcs11Error("pkcs11.key", `key ${key.label ?? ""} is not an EC P-256 key`);
  return {
    publicKey: pk.point,
    sign: (digest: Uint8Array) => {
      if (digest.length !== 32) return Promise.reject(new Pkcs11Error("pkcs11.input", `a P-256 signature is over a 32-byte digest, got ${digest.length}`));
      return key.signEcdsaDigest(digest);
    },
  };
}

/** The RSA counterpart: PKCS#1 v1.5 or PSS, over a digest or a whole message. */
export interface RsaSigner {
  readonly bits: number;
  /** Big-endian modulus and public exponent, as the token reports them. */
  readonly modulus: Uint8Array;
  readonly exponent: Uint8Array;
  /** DER SubjectPublicKeyInfo. */
  readonly spki: Uint8Array;
  signDigest(digest: Uint8Array, opts?: { hash?: HashName; padding?: RsaPadding }): Promise<Uint8Array>;
  sign(data: Uint8Array, opts?: { hash?: HashName; padding?: RsaPadding }): Promise<Uint8Array>;
}

export function rsaSigner(key: Pkcs11Key): RsaSigner {
  const pk = key.publicKey;
  if (pk.algorithm !== "rsa") throw new Pkcs11Error("pkcs11.key", `key ${key.label ?? ""} is not an RSA key`);
  return {
    bits: pk.bits,
    modulus: pk.modulus,
    exponent: pk.exponent,
    spki: key.spki(),
    signDigest: (digest, opts = {}) => key.signRsaDigest(digest, { hash: opts.hash ?? "sha256", padding: opts.padding ?? "pkcs1" }),
    sign: (data, opts = {}) => key.signRsa(data, { hash: opts.hash ?? "sha256", padding: opts.padding ?? "pkcs1" }),
  };
}
