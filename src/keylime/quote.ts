import { concatBytes, fromBase64, sha256, toBase64, utf8 } from "../shared/index.ts";
import { KeylimeError } from "./errors.ts";

/**
 * Keylime's quote wire format, shared by the pull server (quotes/identity,
 * quotes/integrity) and the push client (subject_data is the same PCR blob).
 *
 *   "r" + b64(TPMS_ATTEST) + ":" + b64(TPMT_SIGNATURE) + ":" + b64(pcrblob)
 *
 * The first two are TPM (big-endian) marshalling. The PCR blob is not: it is
 * the in-memory image tpm2-tools' `tpm2_quote -o` writes on x86, little-endian
 * and padded to C alignment, which Keylime's verifier parses byte for byte
 * (keylime/tpm/tpm_util.py __get_pcrs_from_blob).
 */

export interface QuoteParts {
  /** TPMS_ATTEST, no TPM2B size prefix. */
  attest: Uint8Array;
  /** TPMT_SIGNATURE as the TPM returned it. */
  signature: Uint8Array;
  /** tpm2-tools PCR blob (encodePcrBlob). */
  pcrBlob: Uint8Array;
}

const B64 = /^[A-Za-z0-9+/]*={0,2}$/;

function b64(part: string, what: string): Uint8Array {
  if (part.length === 0 || part.length % 4 !== 0 || !B64.test(part)) throw new KeylimeError("keylime.format", `quote: ${what} is not base64`);
  return fromBase64(part);
}

export function formatQuote(q: QuoteParts): string {
  return `r${toBase64(q.attest)}:${toBase64(q.signature)}:${toBase64(q.pcrBlob)}`;
}

/** The inverse of formatQuote; only the raw ("r") form, as the verifier accepts without its unsafe zlib option. */
export function parseQuote(s: string): QuoteParts {
  if (!s.startsWith("r")) throw new KeylimeError("keylime.format", 'quote: only the raw form (leading "r") is supported');
  const parts = s.slice(1).split(":");
  if (parts.length !== 3) throw new KeylimeError("keylime.format", `quote: expected 3 parts separated by ":", got ${parts.length}`);
  return { attest: b64(parts[0]!, "TPMS_ATTEST"), signature: b64(parts[1]!, "TPMT_SIGNATURE"), pcrBlob: b64(parts[2]!, "PCR blob") };
}

// tss2 sizes on which the blob's layout rests (tss2_tpm2_types.h).
const HASH_COUNT = 16; // TPM2_NUM_PCR_BANKS: TPML_PCR_SELECTION's fixed array
const PCR_SELECT_MAX = 4; // (TPM2_MAX_PCRS 32 + 7) / 8
const SELECTION_SIZE = 2 + 1 + PCR_SELECT_MAX + 1; // u16 hash, u8 sizeofSelect, u8[4], 1 pad to the struct's 2-byte alignment
const DIGESTS_PER_LIST = 8; // TPML_DIGEST holds at most 8 TPM2B_DIGESTs
const HA_SIZE = 64; // TPMU_HA: sizeof SHA-512
const DIGEST_LIST_SIZE = 4 + DIGESTS_PER_LIST * (2 + HA_SIZE);
/** What Keylime reads: PCRs 0..23, so three select bytes. */
const SIZEOF_SELECT = 3;
const MAX_PCR = 23;

export interface PcrBank {
  /** TPM_ALG_ID of the bank (0x000b SHA-256). */
  hash: number;
  /** PCR index -> value; encoded in ascending index order, as the TPM's PCR digest is computed. */
  values: Map<number, Uint8Array>;
}

/** The blob for one bank (Keylime's verifier hashes only one). */
export function encodePcrBlob(bank: PcrBank): Uint8Array {
  const pcrs = [...bank.values.keys()].sort((a, b) => a - b);
  for (const p of pcrs) if (!Number.isInteger(p) || p < 0 || p > MAX_PCR) throw new KeylimeError("keylime.format", `PCR ${p} is outside 0..${MAX_PCR}`);
  const lists = Math.ceil(pcrs.length / DIGESTS_PER_LIST);
  const b = Buffer.alloc(4 + HASH_COUNT * SELECTION_SIZE + 4 + lists * DIGEST_LIST_SIZE);
  b.writeUInt32LE(1, 0);
  let o = 4;
  b.writeUInt16LE(bank.hash, o);
  b.writeUInt8(SIZEOF_SELECT, o + 2);
  for (const p of pcrs) b[o + 3 + (p >> 3)]! |= 1 << (p & 7);
  o += HASH_COUNT * SELECTION_SIZE;
  b.writeUInt32LE(lists, o);
  o += 4;
  for (let l = 0; l < lists; l++) {
    const chunk = pcrs.slice(l * DIGESTS_PER_LIST, (l + 1) * DIGESTS_PER_LIST);
    b.writeUInt32LE(chunk.length, o);
    chunk.forEach((p, i) => {
      const v = bank.values.get(p)!;
      if (v.length === 0 || v.length > HA_SIZE) throw new KeylimeError("keylime.format", `PCR ${p} value has ${v.length} bytes`);
      const at = o + 4 + i * (2 + HA_SIZE);
      b.writeUInt16LE(v.length, at);
      Buffer.from(v).copy(b, at + 2);
    });
    o += DIGEST_LIST_SIZE;
  }
  return new Uint8Array(b);
}

/** Reads a blob as Keylime's verifier does; refuses what it would refuse. */
export function decodePcrBlob(blob: Uint8Array): PcrBank {
  const b = Buffer.from(blob.buffer, blob.byteOffset, blob.byteLength);
  const fail = (why: string): never => {
    throw new KeylimeError("keylime.format", `PCR blob: ${why}`);
  };
  const head = 4 + HASH_COUNT * SELECTION_SIZE + 4;
  if (b.length < head) fail(`${b.length} bytes, shorter than its ${head}-byte header`);
  if (b.readUInt32LE(0) !== 1) fail(`${b.readUInt32LE(0)} banks selected; one is supported`);
  let bank: { hash: number; pcrs: number[] } | undefined;
  for (let i = 0; i < HASH_COUNT; i++) {
    const o = 4 + i * SELECTION_SIZE;
    const size = b[o + 2]!;
    if (size !== 0 && size !== SIZEOF_SELECT) fail(`sizeofSelect ${size}`);
    const pcrs: number[] = [];
    for (let p = 0; p < size * 8; p++) if (b[o + 3 + (p >> 3)]! & (1 << (p & 7))) pcrs.push(p);
    if (pcrs.length > 0) {
      if (bank) fail("more than one bank has PCRs selected");
      bank = { hash: b.readUInt16LE(o), pcrs };
    }
  }
  if (!bank) fail("no PCR selected");
  const lists = b.readUInt32LE(head - 4);
  if (b.length !== head + lists * DIGEST_LIST_SIZE) fail(`${b.length} bytes for ${lists} digest lists`);
  const digests: Uint8Array[] = [];
  for (let l = 0; l < lists; l++) {
    const o = head + l * DIGEST_LIST_SIZE;
    const count = b.readUInt32LE(o);
    if (count > DIGESTS_PER_LIST) fail(`digest list of ${count}`);
    for (let i = 0; i < DIGESTS_PER_LIST; i++) {
      const at = o + 4 + i * (2 + HA_SIZE);
      const size = b.readUInt16LE(at);
      if (size > HA_SIZE) fail(`digest of ${size} bytes`);
      if (size > 0) digests.push(new Uint8Array(b.subarray(at + 2, at + 2 + size)));
    }
  }
  const { hash, pcrs } = bank!;
  if (digests.length !== pcrs.length) fail(`${digests.length} values for ${pcrs.length} selected PCRs`);
  return { hash, values: new Map(pcrs.map((p, i) => [p, digests[i]!])) };
}

/**
 * PCRs of a Keylime mask: a hex bitmap, bit N = PCR N, "0x" optional, as the
 * verifier sends it from the tenant's policy. Only PCRs 0..23 exist.
 */
export function parseMask(mask: string): number[] {
  const m = /^(?:0x)?([0-9a-fA-F]{1,8})$/.exec(mask);
  if (!m) throw new KeylimeError("keylime.format", `mask ${JSON.stringify(mask.slice(0, 20))} is not a 32-bit hex number`);
  const bits = parseInt(m[1]!, 16);
  if (bits >>> 0 > 0xffffff) throw new KeylimeError("keylime.format", `mask ${mask} selects PCRs above ${MAX_PCR}`);
  const out: number[] = [];
  for (let p = 0; p <= MAX_PCR; p++) if (bits & (1 << p)) out.push(p);
  return out;
}

export function formatMask(pcrs: number[]): string {
  let bits = 0;
  for (const p of pcrs) {
    if (!Number.isInteger(p) || p < 0 || p > MAX_PCR) throw new KeylimeError("keylime.format", `PCR ${p} is outside 0..${MAX_PCR}`);
    bits |= 1 << p;
  }
  return `0x${(bits >>> 0).toString(16)}`;
}

/** Keylime's PCR for binding the agent's public key to its quotes. */
export const KEY_BINDING_PCR = 16;

/**
 * What the agent extends PCR 16 with after resetting it: SHA-256 of the PEM
 * string it serves as `pubkey`, trailing newline included, exactly as the
 * verifier hashes it (keylime/tpm/tpm_main.py, the "data" check on PCR 16).
 */
export function keyBindingDigest(pubkeyPem: string): Uint8Array {
  return sha256(utf8.encode(pubkeyPem));
}

/** PCR 16 after reset and one extend with keyBindingDigest: H(0^32 || H(pem)). */
export function expectedKeyBindingPcr(pubkeyPem: string): Uint8Array {
  return sha256(concatBytes(new Uint8Array(32), keyBindingDigest(pubkeyPem)));
}

/** The PCRs a Keylime quote covers: the mask's, plus 16 always (the key binding). */
export function quotedPcrs(mask: string | number[]): number[] {
  const pcrs = typeof mask === "string" ? parseMask(mask) : mask;
  return [...new Set([...pcrs, KEY_BINDING_PCR])].sort((a, b) => a - b);
}

/** Max nonce length the rust agent accepts; Keylime's verifier sends 20 characters. */
export const MAX_NONCE = 64;

/**
 * Keylime's nonce as TPM qualifyingData: its ASCII bytes, not a decoding
 * (tpm_util.checkquote compares extraData with nonce.encode()). Only
 * alphanumeric and at most 64 characters, so it fits TPM2B_DATA on any TPM.
 */
export function nonceBytes(nonce: string): Uint8Array {
  if (!/^[A-Za-z0-9]{1,64}$/.test(nonce)) throw new KeylimeError("keylime.format", `nonce must be 1..${MAX_NONCE} alphanumeric characters`);
  return utf8.encode(nonce);
}

/** The digest TPMS_QUOTE_INFO.pcrDigest must hold for these values: H(values in ascending PCR order). */
export function pcrDigest(bank: PcrBank): Uint8Array {
  const pcrs = [...bank.values.keys()].sort((a, b) => a - b);
  return sha256(concatBytes(...pcrs.map((p) => bank.values.get(p)!)));
}
