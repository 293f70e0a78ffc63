import { createCipheriv, createDecipheriv } from "node:crypto";
import { type AttestVolumeKey, AttestVolumeKeyType, AttestVolumeKeyVersion, codec } from "../protocol/index.ts";
import { bytesEqual, hkdf, sha256, utf8 } from "../shared/index.ts";
import { VaultError } from "./errors.ts";
import { VAULT_KEY_BYTES } from "./secret.ts";

// EVE's escrow format fixes the IV at zero and has no field for a nonce
// (docs/tpm.md#escrow-format), and EVE's key, SHA-256 of one ECDH_ZGen of two
// fixed device keys, never changes either. A vault clean makes a new vault
// key; wrapped under that same key and IV, CFB would hand out the XOR of the
// two vault keys' first 16 bytes to whoever holds both blobs (the
// controller, a wire dump). So each vault key gets its own AES key:
// HKDF-SHA256 of EVE's key, salted with SHA-256 of the vault key, which the
// blob carries as digest_sha256 anyway. Different vault keys never share a
// key, the same one always wraps to the same blob, and unwrapping needs
// nothing the blob does not hold. The controller never decrypts the blob (it
// stores it opaque), so this changes nothing on its side; blobs EVE wrapped
// with its key directly still open (see unwrapVaultKey).
const ZERO_IV = new Uint8Array(16);
const PER_KEY_INFO = utf8.encode("edge-agent vault escrow: per vault key AES-256-CFB key");

/** The AES key that encrypts exactly the vault key whose SHA-256 is `digest`. */
export function perVaultKeyWrapKey(wrapKey: Uint8Array, digest: Uint8Array): Uint8Array {
  return hkdf("sha256", wrapKey, digest, PER_KEY_INFO, 32);
}

/**
 * EVE's escrow wrapping key: SHA-256 over X||Y of ECDH_ZGen(ECDH key, device
 * cert public key). Both keys live in the same TPM, so only this device can
 * rebuild it; the controller stores a blob it cannot open. Vault keys are
 * encrypted under keys derived from it (perVaultKeyWrapKey), not under it.
 */
export async function escrowWrapKey(zgen: (point: Uint8Array) => Promise<Uint8Array>, deviceCertPoint: Uint8Array): Promise<Uint8Array> {
  const xy = await zgen(deviceCertPoint);
  if (xy.length !== 64) throw new VaultError("vault.escrow-unavailable", `ECDH_ZGen returned ${xy.length} bytes, expected X||Y of 64`);
  return sha256(xy);
}

function cfb(mode: "encrypt" | "decrypt", wrapKey: Uint8Array, data: Uint8Array): Uint8Array {
  const c = mode === "encrypt" ? createCipheriv("aes-256-cfb", wrapKey, ZERO_IV) : createDecipheriv("aes-256-cfb", wrapKey, ZERO_IV);
  return new Uint8Array(Buffer.concat([c.update(data), c.final()]));
}

/** AttestVolumeKeyData bytes (version LEGACY: EVE's fields and cipher) for AttestVolumeKey.key. */
export function wrapVaultKey(vaultKey: Uint8Array, wrapKey: Uint8Array): Uint8Array {
  const digest = sha256(vaultKey);
  const key = perVaultKeyWrapKey(wrapKey, digest);
  try {
    return codec.AttestVolumeKeyData.encode({
      encrypted_key: cfb("encrypt", key, vaultKey),
      digest_sha256: digest,
      version: AttestVolumeKeyVersion.ATTEST_VOLUME_KEY_VERSION_LEGACY,
    });
  } finally {
    key.fill(0);
  }
}

/** The AttestStorageKeys entry EVE sends: VSK, no policy list. */
export function escrowEntry(blob: Uint8Array): AttestVolumeKey {
  return { key_type: AttestVolumeKeyType.ATTEST_VOLUME_KEY_TYPE_VSK, key: blob, has_policy_pcr_list: false };
}

/** Decrypts an escrow blob and checks it against its digest; every failure is "vault.escrow-invalid". */
export function unwrapVaultKey(blob: Uint8Array, wrapKey: Uint8Array): Uint8Array {
  let data;
  try {
    data = codec.AttestVolumeKeyData.decode(blob);
  } catch (e) {
    throw new VaultError("vault.escrow-invalid", "escrowed key is not an AttestVolumeKeyData", { cause: e });
  }
  if (data.version !== AttestVolumeKeyVersion.ATTEST_VOLUME_KEY_VERSION_LEGACY) {
    throw new VaultError("vault.escrow-invalid", `escrowed key has unsupported version ${data.version}`);
  }
  if (data.encrypted_key.length !== VAULT_KEY_BYTES) {
    throw new VaultError("vault.escrow-invalid", `escrowed key is ${data.encrypted_key.length} bytes, expected ${VAULT_KEY_BYTES}`);
  }
  if (data.digest_sha256.length !== 32) throw new VaultError("vault.escrow-invalid", "escrowed key has no SHA-256 digest");
  // This agent's per-vault-key wrap first, then EVE's own (a device that
  // moved from EVE); the digest tells which one the blob was made with.
  const perKey = perVaultKeyWrapKey(wrapKey, data.digest_sha256);
  try {
    for (const candidate of [perKey, wrapKey]) {
      const key = cfb("decrypt", candidate, data.encrypted_key);
      if (bytesEqual(sha256(key), data.digest_sha256)) return key;
      key.fill(0);
    }
  } finally {
    perKey.fill(0);
  }
  throw new VaultError("vault.escrow-invalid", "escrowed key digest mismatch: blob was altered or wrapped by another TPM");
}
