import { readFileSync } from "node:fs";
import type { KeylimeConfig } from "../../config/index.ts";
import type { Logger } from "../../shared/index.ts";
import { akKeyName } from "../types.ts";
import { PushAttester } from "./attester.ts";
import { deviceEvidence, type KeylimeTpmManager, pushTpm } from "./device.ts";
import { PushError } from "./errors.ts";
import { VerifierHttp, type WireRecorder } from "./http.ts";
import type { KeylimePushStatus } from "./status.ts";

export interface PushServiceOptions {
  cfg: KeylimeConfig;
  /** The agent UUID as registered; the loop starts once registration has it. */
  agentId: string;
  tpm: KeylimeTpmManager;
  /** The UEFI event log offered to the verifier; none without it. */
  eventLogPath?: string;
  wireDump?: WireRecorder;
  onExchange?: (endpoint: string, status: number | undefined, ms: number) => void;
  onStatus?: (status: KeylimePushStatus) => void;
  log: Logger;
}

/**
 * The push loop for `[keylime] mode = "push"`, built from the configuration:
 * the verifier's URL and CA, the AK the signing algorithm selects, the
 * registration backoff bounds for its own retries.
 */
export function pushAttester(o: PushServiceOptions): PushAttester {
  const { cfg } = o;
  if (!cfg.verifierUrl || !cfg.verifierCa) throw new PushError("keylime.push.status", "push mode needs keylime.verifierUrl and keylime.verifierCa");
  let ca: string;
  try {
    ca = readFileSync(cfg.verifierCa, "utf8");
  } catch (e) {
    throw new PushError("keylime.push.transport", `cannot read keylime.verifierCa ${cfg.verifierCa}: ${(e as Error).message}`, { cause: e });
  }
  if (!ca.includes("-----BEGIN CERTIFICATE-----"))
    throw new PushError("keylime.push.transport", `keylime.verifierCa ${cfg.verifierCa} holds no PEM certificate`);
  const http = new VerifierHttp({
    baseUrl: new URL(cfg.verifierUrl),
    ca,
    ...(o.wireDump ? { wireDump: o.wireDump } : {}),
    ...(o.onExchange ? { onExchange: o.onExchange } : {}),
  });
  const { tpm, ak } = pushTpm(o.tpm, akKeyName(cfg.tpmSigningAlg));
  if (ak.keyAlgorithm !== "rsa") {
    // Keylime 7.14's push verifier fixes a session's scheme to rsassa: an ECC AK never passes its PoP.
    o.log.warn('Keylime push verifiers (7.14) accept only an RSA AK; with tpmSigningAlg = "ecdsa" sessions will be evaluated "fail"', {
      ak: akKeyName(cfg.tpmSigningAlg),
    });
  }
  return new PushAttester({
    agentId: o.agentId,
    http,
    tpm,
    ak,
    evidence: deviceEvidence(o.eventLogPath),
    retry: { initialMs: cfg.retryInitialMs, maxMs: cfg.retryMaxMs },
    log: o.log,
    ...(o.onStatus ? { onStatus: o.onStatus } : {}),
  });
}
