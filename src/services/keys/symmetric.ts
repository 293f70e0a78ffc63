import { createHash, createHmac, randomBytes } from "node:crypto";
import { bufferSource, fromBase64, toBase64, utf8 } from "../../shared/index.ts";
import { VaultLockedError, type VaultStore } from "../../vault/index.ts";
import { ServicesError } from "../errors.ts";
import { ApiError } from "../http/routes.ts";

export type KeyUsage = "derive" | "encrypt" | "sign";
export const KEY_USAGES: readonly KeyUsage[] = ["derive", "encrypt", "sign"];

export interface SymmetricKey {
  id: string;
  usage: KeyUsage[];
  bytes: Uint8Array;
}

/** Bytes of a generated symmetric key: AES-256 and a full-strength HMAC-SHA256 key. */
const GENERATED_BYTES = 32;

/**
 * Symmetric keys (SAS-style HMAC keys, AEAD keys) kept as entries of the
 * vault's store: on a TPM device they are encrypted under the PCR-sealed
 * vault key, so they depend on the vault and every use is refused, with
 * the reason, while it is locked. (Without a TPM the vault is EVE's
 * plaintext store and they are always there.)
 */
export class SymmetricKeys {
  constructor(private readonly store: () => VaultStore | undefined) {}

  private entry(id: string): string {
    // Entry names are a restricted alphabet; the id itself is inside the entry.
    return `keyd-${createHash("sha256").update(id).digest("hex")}`;
  }

  private async vault<T>(id: string, f: (s: VaultStore) => Promise<T>): Promise<T> {
    const store = this.store();
    if (!store) throw new ApiError(503, `key ${id} is kept in the vault, which is not open yet`);
    try {
      return await f(store);
    } catch (e) {
      if (e instanceof VaultLockedError)
        throw new ApiError(503, `key ${id} is kept in the vault, and the ${e.message}; it can be used again once the vault unlocks`);
      throw e;
    }
  }

  async get(id: string): Promise<SymmetricKey | undefined> {
    const raw = await this.vault(id, (s) => s.get(this.entry(id)));
    if (!raw) return undefined;
    const j = JSON.parse(utf8.decode(raw)) as { id: string; usage: KeyUsage[]; key: string };
    if (j.id !== id) throw new ServicesError("services.key", `vault entry for key ${id} names another key`);
    return { id, usage: j.usage, bytes: fromBase64(j.key) };
  }

  /** Creates (or imports `bytes` as) key `id` unless it exists; returns what is stored. */
  async create(id: string, usage: KeyUsage[], bytes?: Uint8Array): Promise<SymmetricKey> {
    const existing = await this.get(id);
    if (existing) return existing;
    const key = bytes ?? new Uint8Array(randomBytes(GENERATED_BYTES));
    await this.vault(id, (s) => s.put(this.entry(id), utf8.encode(JSON.stringify({ id, usage, key: toBase64(key) }))));
    return { id, usage, bytes: key };
  }

  delete(id: string): Promise<boolean> {
    return this.vault(id, (s) => s.delete(this.entry(id)));
  }
}

export function hmacSha256(key: Uint8Array, message: Uint8Array): Uint8Array {
  return new Uint8Array(createHmac("sha256", key).update(message).digest());
}

/** Ciphertext versions, aziot-keys' numbering: 1 = tag || ciphertext, 2 = ciphertext || tag (what PKCS#11 produces); both AES-256-GCM. */
const AEAD_V1 = 0x01;
const AEAD_V2 = 0x02;
const TAG_BYTES = 16;

async function aesKey(key: Uint8Array, usage: "encrypt" | "decrypt"): Promise<CryptoKey> {
  if (key.length !== 32) throw new ApiError(400, `AEAD needs a 32-byte key; this key has ${key.length} bytes`);
  return crypto.subtle.importKey("raw", bufferSource(key), "AES-GCM", false, [usage]);
}

function checkIv(iv: Uint8Array): void {
  if (iv.length < 12 || iv.length > 128) throw new ApiError(400, `AEAD iv must be 12 to 128 bytes, got ${iv.length}`);
}

/**
 * AES-256-GCM with the caller's iv and aad; the result starts with its
 * version byte, so the scheme can change without breaking old ciphertexts.
 */
export async function aeadEncrypt(key: Uint8Array, iv: Uint8Array, aad: Uint8Array, plaintext: Uint8Array): Promise<Uint8Array> {
  checkIv(iv);
  const ct = new Uint8Array(
    await crypto.subtle.encrypt(
      { name: "AES-GCM", iv: bufferSource(iv), additionalData: bufferSource(aad), tagLength: 128 },
      await aesKey(key, "encrypt"),
      bufferSource(plaintext),
    ),
  );
  const out = new Uint8Array(1 + ct.length);
  out[0] = AEAD_V2;
  out.set(ct, 1);
  return out;
}

export async function aeadDecrypt(key: Uint8Array, iv: Uint8Array, aad: Uint8Array, ciphertext: Uint8Array): Promise<Uint8Array> {
  checkIv(iv);
  if (ciphertext.length < 1 + TAG_BYTES) throw new ApiError(400, "ciphertext is too short");
  const version = ciphertext[0];
  const rest = ciphertext.subarray(1);
  let sealed: Uint8Array;
  if (version === AEAD_V2) sealed = rest;
  else if (version === AEAD_V1) {
    sealed = new Uint8Array(rest.length);
    sealed.set(rest.subarray(TAG_BYTES), 0);
    sealed.set(rest.subarray(0, TAG_BYTES), rest.length - TAG_BYTES);
  } else throw new ApiError(400, `unknown ciphertext version ${version}`);
  try {
    return new Uint8Array(
      await crypto.subtle.decrypt(
        { name: "AES-GCM", iv: bufferSource(iv), additionalData: bufferSource(aad), tagLength: 128 },
        await aesKey(key, "decrypt"),
        bufferSource(sealed),
      ),
    );
  } catch (e) {
    if (e instanceof ApiError) throw e;
    throw new ApiError(400, "ciphertext does not decrypt with this key, iv and aad");
  }
}
