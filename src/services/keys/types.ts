import type { P256Signer } from "../../shared/index.ts";

/** Algorithms a caller may ask for in `preferredAlgorithms`, as aziot names them. */
export type KeyAlgorithm = "ec-p256" | "rsa-2048" | "rsa-4096";
export const KEY_ALGORITHMS: readonly KeyAlgorithm[] = ["ec-p256", "rsa-2048", "rsa-4096"];

export type PublicParts = { kind: "ec" /** uncompressed SEC1 P-256 point */; point: Uint8Array } | { kind: "rsa"; modulus: Uint8Array; exponent: Uint8Array };

export type BackendName = "device" | "tpm" | "file" | "pkcs11";

/**
 * A private key the service can use but never read: every backend (the
 * device key, TPM blobs, 0600 files, PKCS#11 objects) answers to this.
 */
export interface KeyPair {
  readonly id: string;
  readonly backend: BackendName;
  readonly publicKey: PublicParts;
  /** ECDSA over a caller-computed digest; DER-encoded, as aziot returns it. EC keys only. */
  signDigest?(digest: Uint8Array): Promise<Uint8Array>;
  /** The RSA private-key operation on PKCS#1 v1.5 type-1 padded `data` (a DigestInfo for a signature). RSA keys only. */
  rsaPkcs1?(data: Uint8Array): Promise<Uint8Array>;
}

/** Where generated key pairs live; one backend makes new ones, all are searched. */
export interface KeyPairBackend {
  readonly name: BackendName;
  /** A new key pair, or undefined when this backend cannot make `alg` (the next preference is tried). */
  create(id: string, alg: KeyAlgorithm): Promise<KeyPair | undefined>;
  load(id: string): Promise<KeyPair | undefined>;
  delete(id: string): Promise<boolean>;
  /** Renames `from` to `to`, replacing what `to` held; false when `from` is not here. */
  rename(from: string, to: string): Promise<boolean>;
}

export function derFromRaw(raw: Uint8Array): Uint8Array {
  // Loaded here, on first use: the boot evaluates this module but signs nothing through it.
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  const { p256 } = require("@noble/curves/nist.js") as typeof import("@noble/curves/nist.js");
  return p256.Signature.fromBytes(raw, "compact").toBytes("der");
}

/** A P256Signer (raw r||s, 32-byte digests) as a key pair. */
export function keyPairFromSigner(id: string, backend: BackendName, signer: P256Signer): KeyPair {
  return {
    id,
    backend,
    publicKey: { kind: "ec", point: signer.publicKey },
    async signDigest(digest) {
      return derFromRaw(await signer.sign(digest));
    },
  };
}
