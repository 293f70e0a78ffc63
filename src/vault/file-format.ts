import { bufferSource, bytesEqual, concatBytes, fromHex, sha256, toHex, utf8 } from "../shared/index.ts";
import { VaultFileError } from "./errors.ts";

/**
 * One store entry on disk (format version 1):
 *
 *   0   4  magic "EAVF"
 *   4   1  format version (1)
 *   5   1  protection: 1 = AES-256-GCM, 2 = plaintext (device without TPM)
 *   6   2  name length n, big-endian
 *   8  16  key id of the vault key that encrypted it (zero when plaintext)
 *  24  12  random GCM nonce, fresh for every write (zero when plaintext)
 *  36   n  logical name, UTF-8
 *  36+n    GCM: ciphertext || 16-byte tag; plaintext: data || SHA-256(all before)
 *
 * Everything before the body is the GCM additional data, so the version, the
 * key id and the name are authenticated: a file copied under another name,
 * downgraded to another version or edited anywhere fails to open.
 */
const MAGIC = utf8.encode("EAVF");
export const FORMAT_VERSION = 1;
const PROT_GCM = 1;
const PROT_PLAIN = 2;
const HEADER_FIXED = 36;
const TAG_BYTES = 16;
const NONCE_BYTES = 12;
const KEY_ID_BYTES = 16;

export type Protection = "aes-256-gcm" | "plaintext";

/** The store's view of the vault key: its public id and a non-extractable AES key. */
export interface DataKey {
  id: string;
  key: CryptoKey;
}

interface Parsed {
  protection: Protection;
  keyId: Uint8Array;
  nonce: Uint8Array;
  header: Uint8Array;
  body: Uint8Array;
}

function header(protection: number, keyId: Uint8Array, nonce: Uint8Array, name: Uint8Array): Uint8Array {
  const h = new Uint8Array(HEADER_FIXED + name.length);
  h.set(MAGIC, 0);
  h[4] = FORMAT_VERSION;
  h[5] = protection;
  new DataView(h.buffer).setUint16(6, name.length);
  h.set(keyId, 8);
  h.set(nonce, 24);
  h.set(name, HEADER_FIXED);
  return h;
}

function parse(bytes: Uint8Array, file: string, name: string): Parsed {
  const fail = (reason: string): never => {
    throw new VaultFileError("vault.file-corrupt", file, name, reason);
  };
  if (bytes.length < HEADER_FIXED || !bytesEqual(bytes.subarray(0, 4), MAGIC)) fail("not a vault file (bad magic or truncated header)");
  if (bytes[4] !== FORMAT_VERSION) throw new VaultFileError("vault.file-version", file, name, `unsupported format version ${bytes[4]}`);
  const prot = bytes[5] === PROT_GCM ? "aes-256-gcm" : bytes[5] === PROT_PLAIN ? "plaintext" : fail(`unknown protection ${bytes[5]}`);
  const n = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength).getUint16(6);
  const end = HEADER_FIXED + n;
  if (bytes.length < end + (prot === "aes-256-gcm" ? TAG_BYTES : 32)) fail("truncated");
  let stored: string;
  try {
    stored = new TextDecoder("utf-8", { fatal: true }).decode(bytes.subarray(HEADER_FIXED, end));
  } catch {
    return fail("name is not UTF-8");
  }
  // Checked before decryption so a swapped file is named as such, and again by the AAD.
  if (stored !== name) fail(`holds entry "${stored}"`);
  return {
    protection: prot,
    keyId: bytes.subarray(8, 8 + KEY_ID_BYTES),
    nonce: bytes.subarray(24, 24 + NONCE_BYTES),
    header: bytes.subarray(0, end),
    body: bytes.subarray(end),
  };
}

/** The key id a file claims, without decrypting (undefined for plaintext or unreadable files). */
export function fileKeyId(bytes: Uint8Array, file: string, name: string): string | undefined {
  try {
    const p = parse(bytes, file, name);
    return p.protection === "aes-256-gcm" ? toHex(p.keyId) : undefined;
  } catch {
    return undefined;
  }
}

export async function sealEntry(name: string, data: Uint8Array, dk: DataKey): Promise<Uint8Array> {
  const nonce = crypto.getRandomValues(new Uint8Array(NONCE_BYTES));
  const h = header(PROT_GCM, fromHex(dk.id), nonce, utf8.encode(name));
  const ct = await crypto.subtle.encrypt({ name: "AES-GCM", iv: nonce, additionalData: bufferSource(h), tagLength: TAG_BYTES * 8 }, dk.key, bufferSource(data));
  return concatBytes(h, new Uint8Array(ct));
}

export async function openEntry(bytes: Uint8Array, file: string, name: string, dk: DataKey): Promise<Uint8Array> {
  const p = parse(bytes, file, name);
  if (p.protection !== "aes-256-gcm") throw new VaultFileError("vault.file-mode", file, name, "plaintext file in an encrypted vault");
  if (toHex(p.keyId) !== dk.id) throw new VaultFileError("vault.file-wrong-key", file, name, "encrypted under another vault key");
  try {
    const pt = await crypto.subtle.decrypt(
      { name: "AES-GCM", iv: bufferSource(p.nonce.slice()), additionalData: bufferSource(p.header.slice()), tagLength: TAG_BYTES * 8 },
      dk.key,
      bufferSource(p.body.slice()),
    );
    return new Uint8Array(pt);
  } catch (e) {
    throw new VaultFileError("vault.file-corrupt", file, name, "authentication failed (tampered or damaged)", { cause: e });
  }
}

export function plainEntry(name: string, data: Uint8Array): Uint8Array {
  const h = header(PROT_PLAIN, new Uint8Array(KEY_ID_BYTES), new Uint8Array(NONCE_BYTES), utf8.encode(name));
  return concatBytes(h, data, sha256(concatBytes(h, data)));
}

/** Plaintext entries carry a checksum: it catches damage, not tampering (there is no key to do that). */
export function openPlainEntry(bytes: Uint8Array, file: string, name: string): Uint8Array {
  const p = parse(bytes, file, name);
  if (p.protection !== "plaintext") throw new VaultFileError("vault.file-mode", file, name, "encrypted file, but the vault runs without a TPM");
  const data = p.body.subarray(0, p.body.length - 32);
  if (!bytesEqual(sha256(bytes.subarray(0, bytes.length - 32)), p.body.subarray(p.body.length - 32))) {
    throw new VaultFileError("vault.file-corrupt", file, name, "checksum mismatch");
  }
  return new Uint8Array(data);
}
