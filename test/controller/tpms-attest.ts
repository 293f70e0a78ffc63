/**
 * A TPMS_ATTEST reader for the controller side, written apart from the
 * agent's src/tpm decoder on purpose: if both shared one parser, a bug in it
 * would make the agent's quotes look right to its own test controller.
 *
 * It accepts what go-tpm v0.3.3's DecodeAttestationData (Adam's parser)
 * accepts, so "undecodable" means the same thing here as in Adam.
 */

export const TPM_GENERATED = 0xff544347;
export const TPM_ST_ATTEST_QUOTE = 0x8018;
const TPM_ST_ATTEST_CERTIFY = 0x8017;
const TPM_ST_ATTEST_CREATION = 0x801a;
export const TPM_ALG_SHA256 = 0x000b;

// Digest sizes go-tpm knows when a TPM2B_NAME holds a hash.
const DIGEST_BYTES: Record<number, number> = { 4: 20, 11: 32, 12: 48, 13: 64, 18: 32 };

export class AttestDecodeError extends Error {}

export interface QuoteInfo {
  /** hash algorithm of the single PCR selection; 0 ("unknown", as go-tpm reports it) when the list is empty */
  pcrHash: number;
  /** selected PCR indices, ascending */
  pcrs: number[];
  pcrDigest: Uint8Array;
}

export interface ParsedAttest {
  magic: number;
  type: number;
  extraData: Uint8Array;
  /** present only for type ATTEST_QUOTE */
  quote?: QuoteInfo;
}

class Cursor {
  private at = 0;
  constructor(private readonly b: Uint8Array) {}
  private take(n: number, what: string): Uint8Array {
    if (this.at + n > this.b.length) throw new AttestDecodeError(`TPMS_ATTEST truncated in ${what}`);
    const out = this.b.subarray(this.at, this.at + n);
    this.at += n;
    return out;
  }
  u8(what: string): number {
    return this.take(1, what)[0]!;
  }
  u16(what: string): number {
    const b = this.take(2, what);
    return (b[0]! << 8) | b[1]!;
  }
  u32(what: string): number {
    const b = this.take(4, what);
    return ((b[0]! << 24) | (b[1]! << 16) | (b[2]! << 8) | b[3]!) >>> 0;
  }
  bytes(n: number, what: string): Uint8Array {
    return this.take(n, what);
  }
  sized(what: string): Uint8Array {
    return this.take(this.u16(what), what);
  }
}

function checkName(name: Uint8Array): void {
  // go-tpm reads a 4-byte name as a handle and anything else non-empty as TPMT_HA.
  if (name.length === 0 || name.length === 4) return;
  if (name.length < 2) throw new AttestDecodeError("qualifiedSigner is too short for a hash name");
  const alg = (name[0]! << 8) | name[1]!;
  const size = DIGEST_BYTES[alg];
  if (size === undefined) throw new AttestDecodeError(`qualifiedSigner uses unknown hash 0x${alg.toString(16)}`);
  if (name.length - 2 < size) throw new AttestDecodeError("qualifiedSigner digest is truncated");
}

function readQuoteInfo(c: Cursor): QuoteInfo {
  const count = c.u32("pcrSelect.count");
  // An empty list decodes (as "unknown" hash) and is refused later as a wrong bank, like Adam.
  if (count === 0) return { pcrHash: 0, pcrs: [], pcrDigest: c.sized("pcrDigest") };
  if (count !== 1) throw new AttestDecodeError(`quote selects ${count} PCR banks, only one is understood`);
  const pcrHash = c.u16("pcrSelect.hash");
  const bitmap = c.bytes(c.u8("pcrSelect.sizeofSelect"), "pcrSelect.pcrSelect");
  const pcrs: number[] = [];
  bitmap.forEach((byte, i) => {
    for (let bit = 0; bit < 8; bit++) if (byte & (1 << bit)) pcrs.push(i * 8 + bit);
  });
  return { pcrHash, pcrs, pcrDigest: c.sized("pcrDigest") };
}

/** Parses TPMS_ATTEST (TPM 2.0 Part 2 10.12.12); throws AttestDecodeError where go-tpm would fail. */
export function parseTpmsAttest(data: Uint8Array): ParsedAttest {
  const c = new Cursor(data);
  const magic = c.u32("magic");
  const type = c.u16("type");
  if (magic !== TPM_GENERATED) throw new AttestDecodeError(`magic 0x${magic.toString(16)} is not TPM_GENERATED`);
  checkName(c.sized("qualifiedSigner"));
  const extraData = c.sized("extraData");
  c.bytes(17, "clockInfo");
  c.bytes(8, "firmwareVersion");
  if (type === TPM_ST_ATTEST_QUOTE) return { magic, type, extraData, quote: readQuoteInfo(c) };
  // Certify and creation structures decode in go-tpm; the caller refuses them as "not a quote".
  if (type === TPM_ST_ATTEST_CERTIFY || type === TPM_ST_ATTEST_CREATION) return { magic, type, extraData };
  throw new AttestDecodeError(`attestation type 0x${type.toString(16)} is not supported`);
}
