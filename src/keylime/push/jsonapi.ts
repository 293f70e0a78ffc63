import { fromHex, toBase64, toHex, utf8 } from "../../shared/index.ts";
import { PushError, type VerifierErrorDetail } from "./errors.ts";

/**
 * The documents of Keylime's push protocol (API 3.0, docs/keylime.md#push-mode-api-30):
 * builders for what the agent sends, parsers for what the verifier answers.
 * Parsers read only the fields the agent acts on, check each one's type and
 * bounds, and fail with `keylime.push.malformed` naming the field, so a
 * verifier that changes its answers shows up as one clear error instead of
 * an undefined deep inside the loop.
 */

export const JSONAPI_MEDIA_TYPE = "application/vnd.api+json";

/** Bigger than any answer seen (the evidence acknowledgement, 5.6 kB, echoes the capabilities) by far, small enough to bound memory. */
export const MAX_ANSWER_BYTES = 256 * 1024;

/** PCR indexes a TPM 2.0 PC-client TPM has. */
const PCR_COUNT = 24;
/** TPM2B_DATA holds at most sizeof(TPMU_HA) = 64 bytes: a longer challenge cannot be qualifying data. */
const MAX_CHALLENGE_BYTES = 64;
const MAX_ID_LENGTH = 128;
/** Hash algorithm names Keylime uses (tpm2-tools names, `algorithms.Hash`). */
export type HashAlgorithm = "sha1" | "sha256" | "sha384" | "sha512" | "sm3_256";
/** Signature schemes Keylime knows (`algorithms.Sign`). */
export type SignatureScheme = "rsassa" | "rsapss" | "ecdsa" | "ecdaa" | "ecschnorr";

// ---------------------------------------------------------------------------
// Reading untrusted JSON with the path of every field in the error.

type Json = unknown;
type Obj = Record<string, Json>;

function malformed(what: string, path: string): never {
  throw new PushError("keylime.push.malformed", `verifier answer: ${path} ${what}`);
}

function obj(v: Json, path: string): Obj {
  if (typeof v !== "object" || v === null || Array.isArray(v)) malformed("is not an object", path);
  return v as Obj;
}

function str(v: Json, path: string, max = 4096): string {
  if (typeof v !== "string") malformed("is not a string", path);
  if (v.length > max) malformed(`is longer than ${max} characters`, path);
  return v;
}

function optStr(v: Json, path: string, max?: number): string | undefined {
  return v === undefined || v === null ? undefined : str(v, path, max);
}

function int(v: Json, path: string, min: number, max: number): number {
  if (typeof v !== "number" || !Number.isInteger(v) || v < min || v > max) malformed(`is not an integer in [${min}, ${max}]`, path);
  return v;
}

function arr(v: Json, path: string, max: number): Json[] {
  if (!Array.isArray(v)) malformed("is not an array", path);
  if (v.length > max) malformed(`has more than ${max} items`, path);
  return v;
}

function time(v: Json, path: string): Date | undefined {
  const s = optStr(v, path, 64);
  if (s === undefined) return undefined;
  const d = new Date(s);
  if (Number.isNaN(d.getTime())) malformed("is not an ISO time", path);
  return d;
}

/** Standard base64 only (what Python's b64encode writes); Buffer.from would skip bad characters silently. */
function b64(v: Json, path: string, maxBytes: number): Uint8Array {
  const s = str(v, path, Math.ceil(maxBytes / 3) * 4);
  if (s.length === 0 || s.length % 4 !== 0 || !/^[A-Za-z0-9+/]*={0,2}$/.test(s)) malformed("is not base64", path);
  return new Uint8Array(Buffer.from(s, "base64"));
}

/** The JSON document of an answer body, within the size cap. */
export function parseDocument(body: Uint8Array): Obj {
  if (body.length > MAX_ANSWER_BYTES) malformed(`is larger than ${MAX_ANSWER_BYTES} bytes`, "body");
  let doc: Json;
  try {
    doc = JSON.parse(utf8.decode(body));
  } catch {
    malformed("is not JSON", "body");
  }
  return obj(doc, "body");
}

/** `data` of a single-resource document, with its `type` checked. */
function resource(doc: Obj, type: string): { id: string | undefined; attributes: Obj; doc: Obj; data: Obj } {
  const data = obj(doc.data, "data");
  if (str(data.type, "data.type", 64) !== type) malformed(`is "${String(data.type)}", not "${type}"`, "data.type");
  const id = optStr(data.id, "data.id", MAX_ID_LENGTH);
  return { id, attributes: obj(data.attributes, "data.attributes"), doc, data };
}

/**
 * The `errors` array of an error answer, for the status and the log.
 * Lenient on purpose: an error answer that is itself malformed must not hide
 * the status code that came with it.
 */
export function errorDetails(body: Uint8Array): VerifierErrorDetail[] {
  let doc: unknown;
  try {
    doc = JSON.parse(utf8.decode(body.subarray(0, MAX_ANSWER_BYTES)));
  } catch {
    return [];
  }
  const list = (doc as { errors?: unknown })?.errors;
  if (!Array.isArray(list)) return [];
  const out: VerifierErrorDetail[] = [];
  for (const e of list.slice(0, 8)) {
    if (typeof e !== "object" || e === null) continue;
    const pick = (k: string) => {
      const v = (e as Obj)[k];
      return typeof v === "string" || typeof v === "number" ? String(v).slice(0, 300) : undefined;
    };
    const d: VerifierErrorDetail = {};
    for (const k of ["status", "code", "title", "detail"] as const) {
      const v = pick(k);
      if (v !== undefined) d[k] = v;
    }
    out.push(d);
  }
  return out;
}

// ---------------------------------------------------------------------------
// Proof-of-possession session: POST /v3.0/sessions, then PATCH /v3.0/sessions/{id}.

export function sessionCreateRequest(agentId: string): Obj {
  return {
    data: {
      type: "session",
      attributes: {
        agent_id: agentId,
        authentication_supported: [{ authentication_class: "pop", authentication_type: "tpm_pop" }],
      },
    },
  };
}

export interface SessionChallenge {
  sessionId: string;
  /** The decoded challenge: TPM2_Certify's qualifyingData. */
  challenge: Uint8Array;
  challengesExpireAt?: Date;
}

export function parseSessionCreated(doc: Obj, agentId: string): SessionChallenge {
  const { id, attributes } = resource(doc, "session");
  if (!id) malformed("is missing", "data.id");
  checkAgent(attributes, agentId);
  const requested = arr(attributes.authentication_requested, "data.attributes.authentication_requested", 8);
  const idx = requested.findIndex((r) => {
    const o = obj(r, "data.attributes.authentication_requested[]");
    return o.authentication_class === "pop" && o.authentication_type === "tpm_pop";
  });
  if (idx < 0) malformed("offers no pop/tpm_pop authentication", "data.attributes.authentication_requested");
  const path = `data.attributes.authentication_requested[${idx}].chosen_parameters`;
  const chosen = obj(obj(requested[idx], path).chosen_parameters, path);
  const challenge = b64(chosen.challenge, `${path}.challenge`, MAX_CHALLENGE_BYTES);
  if (challenge.length > MAX_CHALLENGE_BYTES) malformed(`decodes to more than ${MAX_CHALLENGE_BYTES} bytes`, `${path}.challenge`);
  const expires = time(attributes.challenges_expire_at, "data.attributes.challenges_expire_at");
  return { sessionId: id, challenge, ...(expires ? { challengesExpireAt: expires } : {}) };
}

/** TPMS_ATTEST and TPMT_SIGNATURE of a TPM2_Certify or TPM2_Quote, as the TPM marshals them. */
export interface SignedAttest {
  message: Uint8Array;
  signature: Uint8Array;
}

export function sessionProofRequest(sessionId: string, agentId: string, proof: SignedAttest): Obj {
  return {
    data: {
      type: "session",
      id: sessionId,
      attributes: {
        agent_id: agentId,
        authentication_provided: [
          {
            authentication_class: "pop",
            authentication_type: "tpm_pop",
            data: { message: toBase64(proof.message), signature: toBase64(proof.signature) },
          },
        ],
      },
    },
  };
}

export type SessionOutcome =
  | {
      evaluation: "pass";
      token: string;
      tokenExpiresAt?: Date;
      /** The verifier's clock when it evaluated the proof: expiry minus this is the lifetime, whatever our clock says. */
      evaluatedAt?: Date;
    }
  | { evaluation: "fail" };

/** The evaluated session: a bearer token on "pass"; "fail" carries no reason by design (the verifier gives none). */
export function parseSessionEvaluated(doc: Obj, sessionId: string, agentId: string): SessionOutcome {
  const { id, attributes } = resource(doc, "session");
  if (id !== undefined && id !== sessionId) malformed(`is "${id}", not the session "${sessionId}"`, "data.id");
  checkAgent(attributes, agentId);
  const evaluation = str(attributes.evaluation, "data.attributes.evaluation", 16);
  if (evaluation === "fail") return { evaluation: "fail" };
  if (evaluation !== "pass") malformed(`is "${evaluation}", neither "pass" nor "fail"`, "data.attributes.evaluation");
  // Printable, no spaces: it goes into an Authorization header as is.
  const token = str(attributes.token, "data.attributes.token", 512);
  if (!/^[\x21-\x7e]+$/.test(token)) malformed("is not a printable token", "data.attributes.token");
  const expires = time(attributes.token_expires_at, "data.attributes.token_expires_at");
  const evaluatedAt = time(attributes.response_received_at, "data.attributes.response_received_at");
  return { evaluation: "pass", token, ...(expires ? { tokenExpiresAt: expires } : {}), ...(evaluatedAt ? { evaluatedAt } : {}) };
}

function checkAgent(attributes: Obj, agentId: string): void {
  const got = optStr(attributes.agent_id, "data.attributes.agent_id", MAX_ID_LENGTH);
  if (got !== undefined && got !== agentId) malformed(`is "${got}", not this agent`, "data.attributes.agent_id");
}

// ---------------------------------------------------------------------------
// Capabilities: POST /v3.0/agents/{id}/attestations.

export interface CertificationKey {
  keyAlgorithm: "rsa" | "ecc";
  keySize: number;
  /** The AK's TPM name (nameAlg || digest). */
  name: Uint8Array;
  /** The AK's TPMT_PUBLIC, without the TPM2B size (what the verifier compares with the registrar's AK). */
  publicArea: Uint8Array;
  allowableHashAlgorithms: HashAlgorithm[];
  allowableSignatureSchemes: SignatureScheme[];
}

export interface Capabilities {
  hashAlgorithms: HashAlgorithm[];
  signatureSchemes: SignatureScheme[];
  /** PCR numbers the agent can quote, per bank. */
  availableSubjects: Partial<Record<HashAlgorithm, number[]>>;
  certificationKey: CertificationKey;
  /** Offer the UEFI (TCG2) event log; the verifier asks for it when the agent has a measured-boot policy. */
  uefiLog: boolean;
  bootTime: Date;
}

/** ISO 8601 in UTC without fractions, as the rust agent sends it. */
function isoSeconds(d: Date): string {
  return d.toISOString().replace(/\.\d{3}Z$/, "Z");
}

export function capabilitiesRequest(c: Capabilities): Obj {
  const key = c.certificationKey;
  const evidence: Obj[] = [
    {
      evidence_class: "certification",
      evidence_type: "tpm_quote",
      capabilities: {
        component_version: "2.0",
        hash_algorithms: c.hashAlgorithms,
        signature_schemes: c.signatureSchemes,
        available_subjects: c.availableSubjects,
        certification_keys: [
          {
            key_algorithm: key.keyAlgorithm,
            key_class: "asymmetric",
            key_size: key.keySize,
            server_identifier: "ak",
            local_identifier: toHex(key.name),
            public: toBase64(key.publicArea),
            allowable_hash_algorithms: key.allowableHashAlgorithms,
            allowable_signature_schemes: key.allowableSignatureSchemes,
          },
        ],
      },
    },
  ];
  if (c.uefiLog) {
    evidence.push({
      evidence_class: "log",
      evidence_type: "uefi_log",
      capabilities: {
        evidence_version: "2.1",
        supports_partial_access: false,
        appendable: false,
        formats: ["application/octet-stream"],
      },
    });
  }
  return { data: { type: "attestation", attributes: { evidence_supported: evidence, system_info: { boot_time: isoSeconds(c.bootTime) } } } };
}

/** The quote the verifier asked for in answer to the capabilities. */
export interface QuoteRequest {
  challenge: Uint8Array;
  signatureScheme: string;
  hashAlgorithm: string;
  /** The PCRs to quote in the `hashAlgorithm` bank, ascending. */
  pcrs: number[];
  /** The AK name the verifier chose, when it said (hex). */
  certificationKeyName?: string;
}

export interface EvidenceRequested {
  /** The attestation's index (the n of …/attestations/n): the evidence goes to this one. */
  index: number;
  quote?: QuoteRequest;
  uefiLog: boolean;
  /** Evidence types asked for that this agent does not produce (e.g. ima_log). */
  unsupported: string[];
  challengesExpireAt?: Date;
}

/** Keylime 7.14 writes `/v3.0/agents/…` in the 201's Location and `/3/agents/…` in the 202's. */
const ATTESTATION_PATH = /^\/v?3(?:\.\d+)?\/agents\/([^/?#]+)\/attestations\/(\d{1,9})$/;

function safeDecode(s: string): string | undefined {
  try {
    return decodeURIComponent(s);
  } catch {
    return undefined;
  }
}

/**
 * The 201 answer: which evidence to collect. The index comes from the
 * `Location` header (or `links.self`), which must name an attestation of
 * this agent; the agent builds the evidence URL itself from the index, so
 * an answer cannot send the evidence to another host or path.
 */
export function parseEvidenceRequested(doc: Obj, location: string | undefined, agentId: string): EvidenceRequested {
  const { attributes, data } = resource(doc, "attestation");
  const selfLink = data.links === undefined ? undefined : optStr(obj(data.links, "data.links").self, "data.links.self", 512);
  const path = location ?? selfLink;
  if (path === undefined) malformed("has neither a Location header nor data.links.self", "answer");
  const m = ATTESTATION_PATH.exec(path);
  if (!m || safeDecode(m[1]!) !== agentId)
    malformed(`("${path}") is not an attestation of this agent`, location !== undefined ? "Location" : "data.links.self");
  const index = Number(m[2]);
  const requested = arr(attributes.evidence_requested, "data.attributes.evidence_requested", 16);
  const out: EvidenceRequested = { index, uefiLog: false, unsupported: [] };
  requested.forEach((item, i) => {
    const p = `data.attributes.evidence_requested[${i}]`;
    const o = obj(item, p);
    const cls = str(o.evidence_class, `${p}.evidence_class`, 64);
    const type = str(o.evidence_type, `${p}.evidence_type`, 64);
    if (cls === "certification" && type === "tpm_quote")
      out.quote = parseQuoteRequest(obj(o.chosen_parameters, `${p}.chosen_parameters`), `${p}.chosen_parameters`);
    else if (cls === "log" && type === "uefi_log") out.uefiLog = true;
    else out.unsupported.push(`${cls}/${type}`);
  });
  const expires = time(attributes.challenges_expire_at, "data.attributes.challenges_expire_at");
  if (expires) out.challengesExpireAt = expires;
  return out;
}

function parseQuoteRequest(chosen: Obj, path: string): QuoteRequest {
  const challenge = b64(chosen.challenge, `${path}.challenge`, MAX_CHALLENGE_BYTES);
  if (challenge.length > MAX_CHALLENGE_BYTES) malformed(`decodes to more than ${MAX_CHALLENGE_BYTES} bytes`, `${path}.challenge`);
  const signatureScheme = str(chosen.signature_scheme, `${path}.signature_scheme`, 32);
  const hashAlgorithm = str(chosen.hash_algorithm, `${path}.hash_algorithm`, 32);
  const subjects = obj(chosen.selected_subjects, `${path}.selected_subjects`);
  const bank = subjects[hashAlgorithm];
  if (bank === undefined || bank === null) malformed(`has no PCRs for the chosen hash algorithm ${hashAlgorithm}`, `${path}.selected_subjects`);
  const pcrs = [
    ...new Set(
      arr(bank, `${path}.selected_subjects.${hashAlgorithm}`, PCR_COUNT).map((n, i) =>
        int(n, `${path}.selected_subjects.${hashAlgorithm}[${i}]`, 0, PCR_COUNT - 1),
      ),
    ),
  ].sort((a, b) => a - b);
  if (pcrs.length === 0) malformed("is empty", `${path}.selected_subjects.${hashAlgorithm}`);
  const out: QuoteRequest = { challenge, signatureScheme, hashAlgorithm, pcrs };
  if (chosen.certification_key !== undefined && chosen.certification_key !== null) {
    const key = obj(chosen.certification_key, `${path}.certification_key`);
    const name = optStr(key.local_identifier, `${path}.certification_key.local_identifier`, 200);
    if (name !== undefined) {
      try {
        fromHex(name);
      } catch {
        malformed("is not hex", `${path}.certification_key.local_identifier`);
      }
      out.certificationKeyName = name.toLowerCase();
    }
  }
  return out;
}

// ---------------------------------------------------------------------------
// Evidence: PATCH /v3.0/agents/{id}/attestations/{n}.

export interface CollectedEvidence {
  /** The quote; `subjectData` is the pcrblob of the pull-mode quote string (tpm2-tools' little-endian layout). */
  quote: SignedAttest & { subjectData: Uint8Array };
  /** The raw UEFI event log, when the verifier asked for it. */
  uefiLog?: Uint8Array;
}

export function evidenceRequest(e: CollectedEvidence): Obj {
  const collected: Obj[] = [
    {
      evidence_class: "certification",
      evidence_type: "tpm_quote",
      data: { message: toBase64(e.quote.message), signature: toBase64(e.quote.signature), subject_data: toBase64(e.quote.subjectData) },
    },
  ];
  if (e.uefiLog) collected.push({ evidence_class: "log", evidence_type: "uefi_log", data: { entries: toBase64(e.uefiLog) } });
  return { data: { type: "attestation", attributes: { evidence_collected: collected } } };
}

export type Verdict = "pass" | "fail";

export interface EvidenceAcknowledged {
  /** When the next attestation may start (meta.seconds_to_next_attestation), if the verifier said. */
  secondsToNextAttestation?: number;
  stage?: string;
  /** The verifier's verdict, when the answer already carries one (7.14 verifies after answering, so usually not). */
  evaluation?: Verdict;
}

/** A day: longer would park the device beyond any sensible attestation interval; seen values are quote_interval (seconds). */
const MAX_NEXT_ATTESTATION_S = 86_400;

export function parseEvidenceAcknowledged(doc: Obj): EvidenceAcknowledged {
  const { attributes } = resource(doc, "attestation");
  const out: EvidenceAcknowledged = {};
  const stage = optStr(attributes.stage, "data.attributes.stage", 64);
  if (stage) out.stage = stage;
  const evaluation = optStr(attributes.evaluation, "data.attributes.evaluation", 16);
  if (evaluation === "pass" || evaluation === "fail") out.evaluation = evaluation;
  if (doc.meta !== undefined && doc.meta !== null) {
    const s = obj(doc.meta, "meta").seconds_to_next_attestation;
    if (s !== undefined && s !== null) {
      if (typeof s !== "number" || !Number.isFinite(s) || s < 0 || s > MAX_NEXT_ATTESTATION_S)
        malformed(`is not a number of seconds in [0, ${MAX_NEXT_ATTESTATION_S}]`, "meta.seconds_to_next_attestation");
      out.secondsToNextAttestation = s;
    }
  }
  return out;
}
