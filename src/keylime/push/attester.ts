import { errorChain, type Logger, sleep, toHex } from "../../shared/index.ts";
import { PushError } from "./errors.ts";
import type { VerifierAnswer, VerifierHttp } from "./http.ts";
import {
  capabilitiesRequest,
  type EvidenceRequested,
  errorDetails,
  evidenceRequest,
  parseDocument,
  parseEvidenceAcknowledged,
  parseEvidenceRequested,
  parseSessionCreated,
  parseSessionEvaluated,
  sessionCreateRequest,
  sessionProofRequest,
} from "./jsonapi.ts";
import type { PushAk, PushEvidenceSource, PushTpm } from "./ports.ts";
import { parseRetryAfter, type RetryOptions, RetryPolicy } from "./retry.ts";
import type { KeylimePushStatus } from "./status.ts";

export const PUSH_API_PREFIX = "/v3.0";

export interface PushAttesterOptions {
  /** The agent UUID the registrar knows (and the tenant enrolled at the verifier). */
  agentId: string;
  http: VerifierHttp;
  tpm: PushTpm;
  ak: PushAk;
  evidence: PushEvidenceSource;
  /** SHA-256 PCRs offered as quotable subjects (all 24 on a PC-client TPM). */
  pcrs?: number[];
  retry: RetryOptions;
  /** Interval between attestations when the verifier does not say (it always does: quote_interval). */
  defaultIntervalMs?: number;
  /**
   * A token this close to its known expiry is replaced by a new session
   * before it is used (at most a quarter of its lifetime, so a short-lived
   * token is not renewed on every attestation).
   */
  tokenRenewMarginMs?: number;
  log: Logger;
  onStatus?: (status: KeylimePushStatus) => void;
  now?: () => number;
}

interface Token {
  value: string;
  /** Local clock. */
  expiresAt?: number;
  /** Renew this long before expiresAt. */
  marginMs: number;
  /** Obtained in the attestation cycle now running: a 401 with it is a failure, not an expiry. */
  fresh: boolean;
}

const ALL_PCRS = Array.from({ length: 24 }, (_, i) => i);
/**
 * The longest token lifetime believed. The verifier's two times may be any
 * date JavaScript can hold (found by fuzzing: an evaluation time in year
 * -271821 made the expiry an Invalid Date, and toISOString threw a
 * RangeError out of the loop); a longer claim only means renewing sooner.
 */
const MAX_TOKEN_LIFETIME_MS = 7 * 86_400_000;

/**
 * The push-mode agent of Keylime API 3.0 (docs/keylime.md#push-mode-api-30), one loop:
 * a proof-of-possession session for a bearer token when there is none or it
 * is about to expire, then per attestation the capabilities (POST), the
 * evidence the verifier chose (PATCH: a quote over its PCRs with its
 * challenge, and the UEFI log when asked), and a wait of
 * `seconds_to_next_attestation`. Failures wait the verifier's Retry-After or
 * a capped exponential backoff with jitter; a 401 drops the token and
 * authenticates again at once, once. Aborting the signal ends the loop
 * between or during requests.
 */
export class PushAttester {
  private token: Token | undefined;
  private readonly retry: RetryPolicy;
  private readonly now: () => number;
  private readonly pcrs: Set<number>;
  private status: KeylimePushStatus;
  private lastLogged: string | undefined;

  constructor(private readonly opts: PushAttesterOptions) {
    this.retry = new RetryPolicy(opts.retry);
    this.now = opts.now ?? Date.now;
    this.pcrs = new Set(opts.pcrs ?? ALL_PCRS);
    this.status = {
      verifier: opts.http.base.origin,
      state: "authenticating",
      sessions: 0,
      sessionsFailed: 0,
      attestationsCreated: 0,
      evidenceSubmitted: 0,
      evidenceRejected: 0,
    };
  }

  snapshot(): KeylimePushStatus {
    return structuredClone(this.status);
  }

  async run(signal: AbortSignal): Promise<void> {
    const log = this.opts.log;
    log.info("keylime push attestation starting", { verifier: this.status.verifier, agentId: this.opts.agentId });
    try {
      while (!signal.aborted) {
        let waitMs: number;
        try {
          waitMs = await this.cycle(signal);
          this.retry.succeeded();
          this.lastLogged = undefined;
          this.update({ state: "waiting", lastError: undefined });
        } catch (e) {
          if (signal.aborted) break;
          const err = asPushError(e);
          if (err.kind === "keylime.push.unauthorized" && this.token && !this.token.fresh) {
            // The verifier let the token lapse (or restarted): a new session now, not a backoff.
            log.info("keylime bearer token refused; authenticating again");
            this.dropToken();
            continue;
          }
          if (err.kind === "keylime.push.unauthorized") this.dropToken();
          waitMs = this.retry.delayAfter(err);
          this.noteError(err);
          const fields = {
            error: errorChain(err),
            retryInMs: waitMs,
            ...(err.status ? { status: err.status } : {}),
            ...(err.details.length ? { verifier: err.details.map((d) => d.detail ?? d.title).join("; ") } : {}),
          };
          // Each distinct failure is logged once; a verifier that keeps answering the same must not flood the journal.
          const said = `${err.kind}: ${err.message}`;
          if (said !== this.lastLogged) log.warn("keylime push attestation failed", fields);
          else log.debug("keylime push attestation failed again", fields);
          this.lastLogged = said;
          this.update({ state: "retrying" });
        } finally {
          if (this.token) this.token.fresh = false;
        }
        this.update({ nextAttemptAt: new Date(this.now() + waitMs).toISOString() });
        await sleep(waitMs, signal);
      }
    } finally {
      this.update({ state: "stopped", nextAttemptAt: undefined });
    }
  }

  /** One attestation; returns how long to wait before the next. */
  private async cycle(signal: AbortSignal): Promise<number> {
    const token = await this.ensureToken(signal);
    this.update({ state: "negotiating" });
    const requested = await this.negotiate(token, signal);
    this.update({ state: "collecting", lastAttestationIndex: requested.index });
    const quote = this.checkRequest(requested);
    const evidence = {
      quote: await this.tpmCall("quote", () => this.opts.tpm.quote(quote.challenge, quote.pcrs)),
      ...(requested.uefiLog ? { uefiLog: await this.uefiLog() } : {}),
    };
    if (signal.aborted) throw new PushError("keylime.push.transport", "stopping");
    this.update({ state: "submitting", lastPcrs: quote.pcrs });
    const path = `${PUSH_API_PREFIX}/agents/${encodeURIComponent(this.opts.agentId)}/attestations/${requested.index}`;
    const res = await this.opts.http.send("attestations-evidence", "PATCH", path, evidenceRequest(evidence), token, signal);
    if (res.status === 401) throw failure(res, "keylime.push.unauthorized", "evidence refused: bearer token not accepted");
    if (res.status === 400 || res.status === 422) {
      this.update({ evidenceRejected: this.status.evidenceRejected + 1 });
      throw failure(res, "keylime.push.status", `evidence for attestation ${requested.index} rejected (${res.status})`);
    }
    if (res.status !== 202) throw failure(res, "keylime.push.status", `evidence for attestation ${requested.index}: unexpected status ${res.status}`);
    const ack = parseEvidenceAcknowledged(parseDocument(res.body));
    const at = new Date(this.now()).toISOString();
    this.update({
      evidenceSubmitted: this.status.evidenceSubmitted + 1,
      lastEvidenceAt: at,
      ...(ack.evaluation ? { lastVerdict: ack.evaluation, lastVerdictAt: at } : {}),
    });
    this.opts.log.debug("keylime evidence accepted", {
      index: requested.index,
      pcrs: quote.pcrs.join(","),
      uefiLog: requested.uefiLog,
      nextInS: ack.secondsToNextAttestation,
    });
    const ms = ack.secondsToNextAttestation !== undefined ? ack.secondsToNextAttestation * 1000 : (this.opts.defaultIntervalMs ?? 60_000);
    return Math.max(this.retry.minMs, ms);
  }

  private async ensureToken(signal: AbortSignal): Promise<string> {
    const t = this.token;
    if (t && (t.expiresAt === undefined || t.expiresAt - this.now() > t.marginMs)) return t.value;
    this.dropToken();
    this.update({ state: "authenticating" });
    return this.authenticate(signal);
  }

  private async authenticate(signal: AbortSignal): Promise<string> {
    const { agentId, http } = this.opts;
    const created = await http.send("sessions", "POST", `${PUSH_API_PREFIX}/sessions`, sessionCreateRequest(agentId), undefined, signal);
    if (created.status !== 200 && created.status !== 201) throw failure(created, "keylime.push.status", `session not created (${created.status})`);
    const session = parseSessionCreated(parseDocument(created.body), agentId);
    const proof = await this.tpmCall("certify", () => this.opts.tpm.certifyAk(session.challenge));
    const path = `${PUSH_API_PREFIX}/sessions/${encodeURIComponent(session.sessionId)}`;
    const evaluated = await http.send("sessions-pop", "PATCH", path, sessionProofRequest(session.sessionId, agentId, proof), undefined, signal);
    // 7.14 answers a proof it cannot verify with 401 and evaluation "fail", an unknown agent with 200 and "fail".
    if (evaluated.status === 401) return this.sessionFailed(evaluated, "the verifier did not accept the proof of possession");
    if (evaluated.status !== 200) throw failure(evaluated, "keylime.push.status", `session proof not evaluated (${evaluated.status})`);
    const outcome = parseSessionEvaluated(parseDocument(evaluated.body), session.sessionId, agentId);
    if (outcome.evaluation === "fail")
      return this.sessionFailed(evaluated, 'session evaluated "fail" (agent not enrolled at the verifier yet, or its AK differs from the registrar\'s)');
    // The lifetime is read on the verifier's clock (expiry minus evaluation time) and laid on ours, so a skewed device clock neither renews too late nor every time.
    const now = this.now();
    const claimedMs = outcome.tokenExpiresAt ? outcome.tokenExpiresAt.getTime() - (outcome.evaluatedAt?.getTime() ?? now) : undefined;
    const lifetimeMs = claimedMs !== undefined ? Math.min(MAX_TOKEN_LIFETIME_MS, Math.max(0, claimedMs)) : undefined;
    const expiresAt = lifetimeMs !== undefined ? now + lifetimeMs : undefined;
    const marginMs = Math.min(this.opts.tokenRenewMarginMs ?? 15_000, Math.max(0, (lifetimeMs ?? 0) / 4));
    this.token = { value: outcome.token, fresh: true, marginMs, ...(expiresAt !== undefined ? { expiresAt } : {}) };
    const shownExpiry = expiresAt !== undefined ? new Date(expiresAt).toISOString() : undefined;
    this.update({ sessions: this.status.sessions + 1, lastSession: "pass", tokenExpiresAt: shownExpiry });
    this.opts.log.info("keylime session passed", { sessions: this.status.sessions, ...(shownExpiry ? { expiresAt: shownExpiry } : {}) });
    return outcome.token;
  }

  private sessionFailed(res: VerifierAnswer, message: string): never {
    this.update({ sessionsFailed: this.status.sessionsFailed + 1, lastSession: "fail" });
    throw failure(res, "keylime.push.auth-failed", message);
  }

  private async negotiate(token: string, signal: AbortSignal): Promise<EvidenceRequested> {
    const { agentId, ak, evidence } = this.opts;
    const doc = capabilitiesRequest({
      hashAlgorithms: [ak.hashAlgorithm],
      signatureSchemes: [ak.signatureScheme],
      availableSubjects: { [ak.hashAlgorithm]: [...this.pcrs].sort((a, b) => a - b) },
      certificationKey: {
        keyAlgorithm: ak.keyAlgorithm,
        keySize: ak.keySize,
        name: ak.name,
        publicArea: ak.publicArea,
        allowableHashAlgorithms: [ak.hashAlgorithm],
        allowableSignatureSchemes: [ak.signatureScheme],
      },
      uefiLog: (await evidence.uefiLog()) !== undefined,
      bootTime: evidence.bootTime(),
    });
    const path = `${PUSH_API_PREFIX}/agents/${encodeURIComponent(agentId)}/attestations`;
    const res = await this.opts.http.send("attestations", "POST", path, doc, token, signal);
    if (res.status === 401) throw failure(res, "keylime.push.unauthorized", "capabilities refused: bearer token not accepted");
    if (res.status !== 201) throw failure(res, "keylime.push.status", `attestation not created (${res.status})`);
    const requested = parseEvidenceRequested(parseDocument(res.body), res.headers.location, agentId);
    this.update({ attestationsCreated: this.status.attestationsCreated + 1 });
    return requested;
  }

  /** The quote the verifier chose, checked against what this AK and TPM can give before any TPM time is spent. */
  private checkRequest(r: EvidenceRequested): NonNullable<EvidenceRequested["quote"]> {
    const { ak } = this.opts;
    const unsupported = (why: string) => new PushError("keylime.push.unsupported", `attestation ${r.index}: ${why}`);
    if (r.unsupported.length > 0) throw unsupported(`verifier asks for evidence this agent does not produce: ${r.unsupported.join(", ")}`);
    const q = r.quote;
    if (!q) throw unsupported("verifier asks for no TPM quote (does the agent have a PCR policy at the verifier?)");
    if (q.hashAlgorithm !== ak.hashAlgorithm) throw unsupported(`hash algorithm ${q.hashAlgorithm} chosen, the AK quotes ${ak.hashAlgorithm}`);
    if (q.signatureScheme !== ak.signatureScheme) throw unsupported(`signature scheme ${q.signatureScheme} chosen, the AK signs ${ak.signatureScheme}`);
    if (q.certificationKeyName !== undefined && q.certificationKeyName !== toHex(ak.name))
      throw unsupported("verifier chose a certification key that is not this agent's AK");
    const missing = q.pcrs.filter((p) => !this.pcrs.has(p));
    if (missing.length > 0) throw unsupported(`PCRs ${missing.join(",")} asked for, not offered`);
    return q;
  }

  private async uefiLog(): Promise<Uint8Array> {
    const log = await this.opts.evidence.uefiLog();
    if (!log) throw new PushError("keylime.push.unsupported", "verifier asks for the UEFI event log, which this device no longer exposes");
    return log;
  }

  private async tpmCall<T>(what: string, f: () => Promise<T>): Promise<T> {
    try {
      return await f();
    } catch (e) {
      throw new PushError("keylime.push.tpm", `TPM ${what} for the verifier failed`, { cause: e });
    }
  }

  private dropToken(): void {
    this.token = undefined;
    this.update({ tokenExpiresAt: undefined });
  }

  private noteError(err: PushError): void {
    const prev = this.status.lastError;
    const same = prev && prev.kind === err.kind && prev.message === err.message;
    this.update({
      lastError: same ? prev : { kind: err.kind, message: err.message, at: new Date(this.now()).toISOString(), ...(err.status ? { status: err.status } : {}) },
    });
  }

  private update(patch: Partial<KeylimePushStatus>): void {
    const next = { ...this.status, ...patch };
    for (const k of Object.keys(patch) as (keyof KeylimePushStatus)[]) if (patch[k] === undefined) delete next[k];
    this.status = next;
    this.opts.onStatus?.(this.snapshot());
  }
}

function asPushError(e: unknown): PushError {
  return e instanceof PushError ? e : new PushError("keylime.push.status", errorChain(e), { cause: e });
}

/** An error for an answer, with the verifier's Retry-After and error details. */
function failure(res: VerifierAnswer, kind: PushError["kind"], message: string): PushError {
  const details = errorDetails(res.body);
  const said = details
    .map((d) => d.detail ?? d.title)
    .filter(Boolean)
    .join("; ");
  const retryAfterMs = parseRetryAfter(res.headers["retry-after"]);
  return new PushError(kind, said ? `${message}: ${said}` : message, { status: res.status, details, ...(retryAfterMs !== undefined ? { retryAfterMs } : {}) });
}
