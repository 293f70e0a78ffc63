import { bufferSource, hkdf, toHex, utf8 } from "../shared/index.ts";
import { VaultError } from "./errors.ts";

export const VAULT_KEY_BYTES = 32;
const FSCRYPT_KEY_BYTES = 64;

// Fixed salt and distinct labels: each use of the vault key gets its own
// independent subkey, so the raw key itself never touches data or disk.
const SALT = utf8.encode("edge-agent/vault/v1");
const LABEL_DATA = utf8.encode("data-at-rest aes-256-gcm");
const LABEL_KEY_ID = utf8.encode("key-id");
const LABEL_FSCRYPT = utf8.encode("fscrypt master key v2");

/**
 * The 32-byte vault key. Wrapped so that logging, JSON or inspection of any
 * object holding it shows a placeholder; `bytes()` is the only way out.
 */
export class VaultKey {
  readonly #bytes: Uint8Array;
  /** Public fingerprint (hex, 16 bytes of HKDF output): safe to store and compare. */
  readonly id: string;

  constructor(bytes: Uint8Array) {
    if (bytes.length !== VAULT_KEY_BYTES) throw new VaultError("vault.key-mismatch", `vault key must be ${VAULT_KEY_BYTES} bytes, got ${bytes.length}`);
    this.#bytes = new Uint8Array(bytes);
    this.id = toHex(hkdf("sha256", this.#bytes, SALT, LABEL_KEY_ID, 16));
  }

  bytes(): Uint8Array {
    return this.#bytes;
  }

  /** AES-256-GCM key for the store, non-extractable so it cannot be read back out of WebCrypto. */
  async dataKey(): Promise<CryptoKey> {
    const raw = hkdf("sha256", this.#bytes, SALT, LABEL_DATA, 32);
    try {
      return await crypto.subtle.importKey("raw", bufferSource(raw), { name: "AES-GCM" }, false, ["encrypt", "decrypt"]);
    } finally {
      raw.fill(0);
    }
  }

  /**
   * The fscrypt v2 master key of the vault directory (64 bytes: AES-256-XTS
   * needs that much). The caller zeroes it once the kernel has it.
   */
  fscryptKey(): Uint8Array {
    return hkdf("sha256", this.#bytes, SALT, LABEL_FSCRYPT, FSCRYPT_KEY_BYTES);
  }

  /** Best effort: drop the bytes from this copy when the vault locks or closes. */
  wipe(): void {
    this.#bytes.fill(0);
  }

  toJSON(): string {
    return "[vault key]";
  }

  toString(): string {
    return "[vault key]";
  }

  [Symbol.for("nodejs.util.inspect.custom")](): string {
    return "[vault key]";
  }
}
