import { parseMask as parseKeylimeMask } from "../quote.ts";
import { PullError } from "./errors.ts";

/**
 * Query parameters as Keylime 7.14 sends them, checked before anything
 * touches the TPM. Keylime makes nonces and challenges with
 * tpm_util.random_password(20): 20 characters of [A-Za-z0-9]. Shorter ones
 * are refused (a short nonce makes a quote easier to replay); up to 64 are
 * taken, the TPM's own limit on qualifyingData (sizeof TPMU_HA).
 */
const NONCE_RE = /^[A-Za-z0-9]{20,64}$/;
/** IMA entry numbers fit a u32 on every kernel that exports the list. */
const ENTRY_RE = /^(0|[1-9][0-9]{0,9})$/;

const bad = (message: string) => new PullError("keylime.pull.bad-request", message);

/** The nonce's ASCII bytes are the quote's extraData (kl/tpm/tpm_util.py checkquote compares them raw). */
export function parseNonce(v: string | undefined): Uint8Array {
  if (v === undefined) throw bad("missing nonce");
  if (!NONCE_RE.test(v)) throw bad("nonce must be 20 to 64 letters or digits");
  return new TextEncoder().encode(v);
}

export function parseChallenge(v: string | undefined): string {
  if (v === undefined || v === "") throw bad("No challenge provided.");
  if (!NONCE_RE.test(v)) throw bad("challenge must be 20 to 64 letters or digits");
  return v;
}

/**
 * PCR indices named by the mask (bit N = PCR N, "0x" and hex, as the
 * tenant writes it with hex()), ascending; PCR 16 is added by the quoter,
 * not here.
 */
export function parseMask(v: string | undefined): number[] {
  if (v === undefined) throw bad("missing mask");
  // Without its prefix Python's int(mask, 0) would read the text as decimal: refused rather than guessed.
  if (!/^0x/i.test(v)) throw bad("mask must be a hex number of PCRs 0..23");
  try {
    return parseKeylimeMask(v);
  } catch {
    throw bad("mask must be a hex number of PCRs 0..23");
  }
}

/** partial=1: the verifier has the public key cached and it is left out. */
export function parsePartial(v: string | undefined): boolean {
  if (v === "0") return false;
  if (v === "1") return true;
  throw bad("partial must be 0 or 1");
}

export function parseImaEntry(v: string | undefined): number {
  if (v === undefined) return 0;
  if (!ENTRY_RE.test(v) || Number(v) > 0xffffffff) throw bad("ima_ml_entry must be a non-negative integer");
  return Number(v);
}
