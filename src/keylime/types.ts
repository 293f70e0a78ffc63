import type { KeylimeConfig, KeylimeEncryptionAlg, KeylimeSigningAlg } from "../config/index.ts";
import type { KeyName } from "../tpm/index.ts";

/**
 * What the Keylime component shows in the status document (section
 * "keylime"). Registration fills the first block; the pull server and the
 * push client fill theirs. No key material, no secrets.
 */
export interface KeylimeStatus {
  enabled: boolean;
  mode: KeylimeConfig["mode"];
  /** The agent UUID as registered (resolved from hash_ek once the EK is read). */
  uuid?: string;
  registrar: string;
  /** Registrar API version negotiated through GET /version. */
  apiVersion?: string;
  /** The registrar holds our EK and AK (POST answered 200). */
  registered: boolean;
  /** The credential was activated and the registrar accepted the auth_tag (PUT answered 200). */
  activated: boolean;
  registeredAt?: string;
  /** Attempts since the agent started, failed ones included. */
  registrationAttempts: number;
  /** Set when the registrar answered 403: the UUID is held by another TPM; not retried blindly. */
  refused?: boolean;
  /** The AK's persistent handle, e.g. "0x81000003". */
  akHandle?: string;
  /** Where the EK came from: a persistent handle or "transient" (created per use). */
  ek?: string;
  /** Pull: quotes served to the tenant and verifier. */
  quotesServed?: number;
  /** Push: evidence accepted by the verifier. */
  evidenceSubmitted?: number;
  /** Last verdict the verifier gave, when the agent learns it (push), e.g. "pass" / "fail". */
  lastVerdict?: string;
  lastVerdictAt?: string;
  lastError?: { kind: string; message: string; at: string };
}

/** Keylime's algorithm names for the TPM keys the configuration selects. */
export interface KeylimeAlgorithms {
  hash: "sha256";
  /** Keylime's names since API 2.5 ("rsa2048", "ecc256"); older versions take "rsa" / "ecc". */
  enc: "rsa2048" | "ecc256";
  sign: KeylimeSigningAlg;
}

export function keylimeAlgorithms(cfg: Pick<KeylimeConfig, "tpmEncryptionAlg" | "tpmSigningAlg" | "tpmHashAlg">): KeylimeAlgorithms {
  return { hash: cfg.tpmHashAlg, enc: encName(cfg.tpmEncryptionAlg), sign: cfg.tpmSigningAlg };
}

function encName(a: KeylimeEncryptionAlg): KeylimeAlgorithms["enc"] {
  return a === "rsa" ? "rsa2048" : "ecc256";
}

/**
 * Which EVE key signs Keylime quotes: the AIK 0x81000003 (RSA-2048,
 * RSASSA-SHA256) or the quote key 0x81000004 (P-256, ECDSA-SHA256). Both are
 * restricted signing keys, the kind Keylime requires for an AK.
 */
export function akKeyName(sign: KeylimeSigningAlg): Extract<KeyName, "aik" | "quote"> {
  return sign === "rsassa" ? "aik" : "quote";
}
