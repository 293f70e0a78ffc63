import { createCipheriv, createDecipheriv } from "node:crypto";
import { sha256 } from "@noble/hashes/sha2.js";
import { AttestVolumeKeyType, AttestVolumeKeyVersion, codec, type AttestVolumeKey } from "../protocol/index.ts";
import { bytesEqual } from "../shared/index.ts";
import { VaultError } from "./errors.ts";
import { VAULT_KEY_BYTES } from "./secret.ts";

// EVE's legacy escrow uses a fixed all-zero IV; safe only because each
// device-derived key ever encrypts one value (the vault key), and required
// for wire compatibility (eve-protocol.md 11.2).
const ZERO_IV = new Uint8Array(16);

/**
 * The escrow wrapping key: SHA-256 over X||Y of ECDH_ZGen(ECDH key, device
 * cert public key). Both keys live in the same TPM, so only this device can
 * rebuild it; the controller stores a blob it cannot open.
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

/** AttestVolumeKeyData bytes (version LEGACY) for AttestVolumeKey.key. */
export function wrapVaultKey(vaultKey: Uint8Array, wrapKey: Uint8Array): Uint8Array {
  return codec.AttestVolumeKeyData.encode({
    encrypted_key: cfb("encrypt", wrapKey, vaultKey),
    digest_sha256: sha256(vaultKey),
    version: AttestVolumeKeyVersion.ATTEST_VOLUME_KEY_VERSION_LEGACY,
  });
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
  const key = cfb("decrypt", wrapKey, data.encrypted_key);
  if (!bytesEqual(sha256(key), data.digest_sha256)) {
    key.fill(0);
    throw new VaultError("vault.escrow-invalid", "escrowed key digest mismatch: blob was altered or wrapped by another TPM");
  }
  return key;
}
