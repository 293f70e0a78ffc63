/**
 * /attest as Adam handles it (pkg/server/attestation.go; docs/adam.md#integrity-token-and-quotes):
 * cert upload, nonce, quote check with integrity token and escrowed keys,
 * and key escrow guarded by that token.
 */
import { sha256 } from "@noble/hashes/sha2.js";
import { type PublicKeyInfo, parseCertificatesPem, verifySha256Signature } from "../../src/pki/index.ts";
import {
  AttestStorageKeysResponseCode,
  AttestVersionType,
  type AttestVolumeKey,
  codec,
  TpmHashAlgo,
  type ZAttestQuote,
  type ZAttestReq,
  ZAttestReqType,
  type ZAttestResponse,
  ZAttestResponseCode,
  ZAttestRespType,
  ZCertType,
} from "../../src/protocol/index.ts";
import { bytesEqual, toHex, utf8 } from "../../src/shared/index.ts";
import type { ControllerState, DeviceRecord, PcrTemplate } from "./state.ts";
import { AttestDecodeError, parseTpmsAttest, TPM_ALG_SHA256, TPM_ST_ATTEST_QUOTE } from "./tpms-attest.ts";

/** Adam: nonceSize 12 and integrityTokenSize 128, both as hex characters. */
export const NONCE_CHARS = 12;
export const TOKEN_CHARS = 128;

/** Knobs a test turns to make attestation go wrong on purpose; counts are used up one per affected request. */
export interface AttestFaults {
  /** The next N quotes get QUOTE_FAILED whatever they contain (no token, no keys). */
  rejectQuote: number;
  /** Forced verdicts for the next quotes, used before rejectQuote (e.g. [ZAttestResponseCode.Z_ATTEST_RESPONSE_CODE_INVALID]). */
  forceQuoteCode: number[];
  /** After the next N nonce answers the controller keeps a different nonce, so the quote gets NONCE_MISMATCH. */
  staleNonce: number;
  /** The next N successful quotes come back without the escrowed keys (as if the controller lost them). */
  withholdKeys: number;
  /** HTTP statuses for the next nonce requests, used up one per nonce request; 0 answers normally. */
  nonceStatus: number[];
}

export function noAttestFaults(): AttestFaults {
  return { rejectQuote: 0, forceQuoteCode: [], staleNonce: 0, withholdKeys: 0, nonceStatus: [] };
}

function randomHex(chars: number): string {
  return toHex(crypto.getRandomValues(new Uint8Array(Math.ceil(chars / 2)))).slice(0, chars);
}

function use(faults: AttestFaults, key: "rejectQuote" | "staleNonce" | "withholdKeys"): boolean {
  if (faults[key] <= 0) return false;
  faults[key]--;
  return true;
}

async function verifyEither(key: PublicKeyInfo, data: Uint8Array, sig: Uint8Array): Promise<boolean> {
  // Adam tries ASN.1 DER first and falls back to raw r||s; RSA keys ignore the encoding.
  for (const enc of ["der", "raw"] as const) {
    if (await verifySha256Signature(key, data, sig, enc).catch(() => false)) return true;
  }
  return false;
}

type Verdict = { code: number; reason: string };
const ok: Verdict = { code: ZAttestResponseCode.Z_ATTEST_RESPONSE_CODE_SUCCESS, reason: "" };
const fail = (code: number, reason: string): Verdict => ({ code, reason });

/** Adam's quoteValidate, check for check and in the same order (so the same response codes). */
async function validateQuote(device: DeviceRecord, quote: ZAttestQuote): Promise<Verdict> {
  const C = ZAttestResponseCode;
  if (!device.nonce) return fail(C.Z_ATTEST_RESPONSE_CODE_NONCE_MISMATCH, "no nonce was handed out");
  if (!device.attestCerts) return fail(C.Z_ATTEST_RESPONSE_CODE_NO_CERT_FOUND, "no certs uploaded");
  const zcert = device.attestCerts.find((c) => c.type === ZCertType.CERT_TYPE_DEVICE_RESTRICTED_SIGNING);
  if (!zcert) return fail(C.Z_ATTEST_RESPONSE_CODE_NO_CERT_FOUND, "no RESTRICTED_SIGNING cert uploaded");
  let key: PublicKeyInfo;
  try {
    const parsed = parseCertificatesPem(zcert.cert)[0];
    if (!parsed) throw new Error("no certificate in PEM");
    key = parsed.publicKey;
  } catch (e) {
    return fail(C.Z_ATTEST_RESPONSE_CODE_NO_CERT_FOUND, `RESTRICTED_SIGNING cert unreadable: ${(e as Error).message}`);
  }
  // Adam answers INVALID (not QUOTE_FAILED) for a bad signature and an undecodable or non-quote attest.
  if (!(await verifyEither(key, quote.attestData, quote.signature))) return fail(C.Z_ATTEST_RESPONSE_CODE_INVALID, "quote signature does not verify");
  let attest;
  try {
    attest = parseTpmsAttest(quote.attestData);
  } catch (e) {
    if (e instanceof AttestDecodeError) return fail(C.Z_ATTEST_RESPONSE_CODE_INVALID, e.message);
    throw e;
  }
  if (attest.type !== TPM_ST_ATTEST_QUOTE || !attest.quote) return fail(C.Z_ATTEST_RESPONSE_CODE_INVALID, "attest is not a quote");
  if (!bytesEqual(attest.extraData, utf8.encode(device.nonce))) return fail(C.Z_ATTEST_RESPONSE_CODE_NONCE_MISMATCH, "extraData is not the nonce");
  const q = attest.quote;
  if (q.pcrHash !== TPM_ALG_SHA256) return fail(C.Z_ATTEST_RESPONSE_CODE_QUOTE_FAILED, `PCR bank 0x${q.pcrHash.toString(16)} is not SHA-256`);
  const values = new Map<number, Uint8Array>();
  for (const pcr of quote.pcr_values) {
    if (pcr.hash_algo !== TpmHashAlgo.TPM_HASH_ALGO_SHA256) return fail(C.Z_ATTEST_RESPONSE_CODE_QUOTE_FAILED, `PCR ${pcr.index} is not a SHA-256 value`);
    values.set(pcr.index, pcr.value);
  }
  const h = sha256.create();
  for (const i of q.pcrs) {
    const v = values.get(i);
    if (!v) return fail(C.Z_ATTEST_RESPONSE_CODE_QUOTE_FAILED, `quoted PCR ${i} missing from pcr_values`);
    h.update(v);
  }
  if (!bytesEqual(h.digest(), q.pcrDigest)) return fail(C.Z_ATTEST_RESPONSE_CODE_QUOTE_FAILED, "pcr_values do not hash to the quoted digest");
  return ok;
}

function versionsOf(quote: ZAttestQuote): { eve: string; firmware: string } {
  let eve = "";
  let firmware = "";
  for (const v of quote.versions) {
    if (v.version_type === AttestVersionType.ATTEST_VERSION_TYPE_EVE) eve = v.version;
    if (v.version_type === AttestVersionType.ATTEST_VERSION_TYPE_FIRMWARE) firmware = v.version;
  }
  return { eve, firmware };
}

function receivedTemplate(quote: ZAttestQuote): PcrTemplate {
  const { eve, firmware } = versionsOf(quote);
  return { eveVersion: eve, firmwareVersion: firmware, PCRValues: quote.pcr_values.map((p) => ({ index: p.index, value: toHex(p.value) })) };
}

/** Adam's templateAttest after the template has been recorded. */
function checkTemplate(state: ControllerState, quote: ZAttestQuote): Verdict {
  const C = ZAttestResponseCode;
  if (!state.options.enforceTemplateAttestation) return ok;
  const { eve, firmware } = versionsOf(quote);
  if (!eve) return fail(C.Z_ATTEST_RESPONSE_CODE_INVALID, "quote carries no EVE version");
  // The last template for this EVE version wins unless one also matches the firmware (Adam's loop).
  let template: PcrTemplate | undefined;
  for (const t of state.options.PCRTemplates) {
    if (t.eveVersion !== eve) continue;
    template = t;
    if (t.firmwareVersion === firmware) break;
  }
  if (!template) return fail(C.Z_ATTEST_RESPONSE_CODE_INVALID, `no template for EVE ${eve} firmware ${firmware}`);
  const device = new Map(quote.pcr_values.map((p) => [p.index, toHex(p.value)]));
  for (const want of template.PCRValues ?? []) {
    if (want.value === "" || want.value === "*") continue;
    const got = device.get(want.index);
    if (got === undefined) return fail(C.Z_ATTEST_RESPONSE_CODE_QUOTE_FAILED, `template PCR ${want.index} not sent`);
    if (got !== want.value)
      return fail(C.Z_ATTEST_RESPONSE_CODE_QUOTE_FAILED, `PCR index ${want.index} value mismatch: is ${got}, template wants ${want.value}`);
  }
  return ok;
}

export interface AttestResult {
  status: number;
  /** encoded ZAttestResponse for a 201 */
  response?: Uint8Array;
  /** why a quote was refused, for test diagnostics */
  reason?: string;
  /** Set when this was a quote and it was refused: the reason Adam would log as quoteValidate or templateAttest failed. */
  quoteRefusal?: string;
}

async function quoteProcess(
  device: DeviceRecord,
  state: ControllerState,
  faults: AttestFaults,
  quote: ZAttestQuote | undefined,
): Promise<{ resp: ZAttestResponse; reason?: string }> {
  // Adam makes the token at the first quote whatever its outcome, and never changes it after.
  if (!device.integrityToken) device.integrityToken = randomHex(TOKEN_CHARS);
  const keys: AttestVolumeKey[] = device.storageKeys?.keys ?? [];
  const refuse = (v: Verdict) => ({
    resp: { respType: ZAttestRespType.ATTEST_RESP_QUOTE_RESP, quoteResp: { response: v.code, integrity_token: new Uint8Array(), keys: [] } },
    reason: v.reason,
  });
  const succeed = (withKeys: AttestVolumeKey[]) => ({
    resp: {
      respType: ZAttestRespType.ATTEST_RESP_QUOTE_RESP,
      quoteResp: { response: ZAttestResponseCode.Z_ATTEST_RESPONSE_CODE_SUCCESS, integrity_token: utf8.encode(device.integrityToken), keys: withKeys },
    },
  });

  const forced = faults.forceQuoteCode.shift();
  if (forced !== undefined && forced !== ZAttestResponseCode.Z_ATTEST_RESPONSE_CODE_SUCCESS) return refuse(fail(forced, "faults.forceQuoteCode"));
  if (forced === undefined && use(faults, "rejectQuote")) return refuse(fail(ZAttestResponseCode.Z_ATTEST_RESPONSE_CODE_QUOTE_FAILED, "faults.rejectQuote"));

  // No PCR values is how a device without TPM quotes: Adam lets it through, but never with keys.
  if (!quote || quote.pcr_values.length === 0) {
    device.attested = true;
    return succeed([]);
  }
  const verdict = await validateQuote(device, quote);
  if (verdict.code !== ZAttestResponseCode.Z_ATTEST_RESPONSE_CODE_SUCCESS) return refuse(verdict);
  device.receivedPCRTemplate = receivedTemplate(quote);
  device.eventLog = quote.tpm_binary_event_log.length ? quote.tpm_binary_event_log : undefined;
  const templ = checkTemplate(state, quote);
  if (templ.code !== ZAttestResponseCode.Z_ATTEST_RESPONSE_CODE_SUCCESS) return refuse(templ);
  device.attested = true;
  return succeed(use(faults, "withholdKeys") ? [] : keys);
}

/** Handles one decoded-envelope /attest payload for an authenticated device. */
export async function attestProcess(device: DeviceRecord, state: ControllerState, faults: AttestFaults, payload: Uint8Array): Promise<AttestResult> {
  let req: ZAttestReq;
  try {
    req = codec.ZAttestReq.decode(payload);
  } catch {
    return { status: 400, reason: "undecodable ZAttestReq" };
  }
  device.attestRequests.push(req.reqType);
  let resp: ZAttestResponse;
  let reason: string | undefined;
  switch (req.reqType) {
    case ZAttestReqType.ATTEST_REQ_CERT:
      device.attestCerts = req.certs;
      resp = { respType: ZAttestRespType.ATTEST_RESP_CERT };
      break;
    case ZAttestReqType.ATTEST_REQ_NONCE: {
      const forced = faults.nonceStatus.shift();
      if (forced) return { status: forced, reason: "faults.nonceStatus" };
      const nonce = randomHex(NONCE_CHARS);
      device.nonce = use(faults, "staleNonce") ? randomHex(NONCE_CHARS) : nonce;
      device.attested = false;
      resp = { respType: ZAttestRespType.ATTEST_RESP_NONCE, nonce: { nonce: utf8.encode(nonce) } };
      break;
    }
    case ZAttestReqType.ATTEST_REQ_QUOTE:
      ({ resp, reason } = await quoteProcess(device, state, faults, req.quote));
      if (reason) return { status: 201, response: codec.ZAttestResponse.encode(resp), reason, quoteRefusal: reason };
      break;
    case ZAttestReqType.Z_ATTEST_REQ_TYPE_STORE_KEYS: {
      const sk = req.storage_keys;
      const token = sk?.integrity_token ?? new Uint8Array();
      // An empty token never matches, even when the controller has none yet.
      const good = sk !== undefined && token.length > 0 && bytesEqual(token, utf8.encode(device.integrityToken));
      if (good) device.storageKeys = sk;
      const R = AttestStorageKeysResponseCode;
      resp = {
        respType: ZAttestRespType.Z_ATTEST_RESP_TYPE_STORE_KEYS,
        storage_keys_resp: { response: good ? R.ATTEST_STORAGE_KEYS_RESPONSE_CODE_SUCCESS : R.ATTEST_STORAGE_KEYS_RESPONSE_CODE_ITOKEN_MISMATCH },
      };
      if (!good) reason = "integrity token mismatch";
      break;
    }
    default:
      return { status: 400, reason: `request type ${req.reqType} not implemented` };
  }
  return { status: 201, response: codec.ZAttestResponse.encode(resp), ...(reason ? { reason } : {}) };
}
