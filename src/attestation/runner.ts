import type { ControllerCertStore, ControllerClient } from "../controller/index.ts";
import type { KeyIdentity } from "../identity/index.ts";
import {
  AttestStorageKeysResponseCode,
  type AttestVolumeKey,
  AttestVolumeKeyType,
  codec,
  EnvelopeError,
  verifyEnvelope,
  type ZAttestQuote,
  ZAttestReqType,
  type ZAttestResponse,
  ZAttestResponseCode,
  ZAttestRespType,
} from "../protocol/index.ts";
import { AgentError, errorChain, type Logger, sleep } from "../shared/index.ts";
import { type DeviceLayout, removeFile, writeFileAtomic } from "../state/index.ts";
import { AttestError } from "./errors.ts";
import { attestVersions, type EvidenceSources, gzippedEventLog, MAX_ATTEST_REQUEST, type QuoteSource, quoteMessage, takeQuote } from "./evidence.ts";
import { type AttestEffect, type AttestEvent, type AttestMachine, initialAttestMachine, step } from "./machine.ts";
import { type AttestStateValue, attestStateName } from "./states.ts";

export { AttestError } from "./errors.ts";

/** What attestation needs from the vault manager (docs/state-machines.md#escrow-step). */
export interface AttestationVault {
  /** False without a TPM: escrow is skipped and attestation completes after the quote. */
  readonly escrowEnabled: boolean;
  /** AttestVolumeKeyData bytes once the vault key exists and is unlocked. */
  escrowBlob(): Uint8Array | undefined;
  /** Calls `listener` whenever an escrow blob becomes available; returns the unsubscribe function. */
  onEscrowReady(listener: () => void): () => void;
  /** Keys the controller returned after a successful quote (empty: it has none). */
  acceptControllerKeys(keys: AttestVolumeKey[]): Promise<void>;
  /** STORE_KEYS succeeded. */
  escrowAcknowledged(): Promise<void> | void;
}

export interface AttestationStatus {
  state: string;
  stateNumber: AttestStateValue;
  cycles: number;
  quotes: number;
  tokenPresent: boolean;
  lastSuccess?: string;
  lastError?: { kind: string; message: string; at: string };
  eventLog?: string;
}

export interface AttestationDeps {
  layout: DeviceLayout;
  client: ControllerClient;
  device: KeyIdentity;
  certs: ControllerCertStore;
  /** Undefined without a TPM: quotes are sent empty, as EVE does. */
  tpm?: QuoteSource;
  vault: AttestationVault;
  evidence: EvidenceSources;
  retryMs: number;
  log: Logger;
  /** Called when the status changes, never twice with the same status. */
  onStatus: (s: AttestationStatus) => void;
  /**
   * The controller issued an integrity token whose value differs from the one
   * held (the first token of the boot included): config can be asked for again.
   */
  onTokenChanged?: () => void;
  /** The controller signing cert did not match: refetch /certs. */
  onCertMiss: () => void;
  /** The controller answered NO_CERT_FOUND: it lacks our attestation cert, so upload the certs again. */
  onNoCertFound?: () => void;
}

/**
 * Runs EVE's attestation sequence (docs/state-machines.md#attestation): nonce, quote,
 * integrity token, escrow; restarts on the controller's verdict or on a 403
 * from /config, and keeps the token only in memory and /run. The decisions
 * are `step`'s (machine.ts); this class performs its effects and turns their
 * results, the vault's escrow signal and 403s into events, one at a time.
 */
export class Attestation {
  private machine: AttestMachine;
  private readonly inbox = new Inbox<AttestEvent>();
  private lastError: AttestationStatus["lastError"];
  private lastSuccess: string | undefined;
  private eventLogNote: string | undefined;
  private published: AttestationStatus | undefined;

  constructor(private readonly deps: AttestationDeps) {
    // A token from an earlier run is never valid: EVE's lives in tmpfs.
    removeFile(deps.layout.run.integrityToken);
    this.machine = initialAttestMachine({ escrowEnabled: deps.vault.escrowEnabled, retryMs: deps.retryMs });
  }

  token(): Uint8Array | undefined {
    return this.machine.token;
  }

  get quoteAttempted(): boolean {
    return this.machine.quotes > 0;
  }

  /**
   * Config answered 403 to the token held now: attest again (after the
   * current cycle, if one is running, unless that cycle brings a new token).
   */
  requestRestart(): void {
    this.inbox.post({ type: "restart", token: this.machine.token });
  }

  status(): AttestationStatus {
    const m = this.machine;
    return {
      state: attestStateName(m.phase.state),
      stateNumber: m.phase.state,
      cycles: m.cycles,
      quotes: m.quotes,
      tokenPresent: m.token !== undefined,
      ...(this.lastSuccess ? { lastSuccess: this.lastSuccess } : {}),
      ...(this.lastError ? { lastError: this.lastError } : {}),
      ...(this.eventLogNote ? { eventLog: this.eventLogNote } : {}),
    };
  }

  async run(signal: AbortSignal): Promise<void> {
    const vault = this.deps.vault;
    const stopEscrowWatch = vault.onEscrowReady(() => {
      const blob = vault.escrowBlob();
      if (blob) this.inbox.post({ type: "escrowReady", blob });
    });
    try {
      this.inbox.post({ type: "start" });
      for (;;) {
        const event = await this.inbox.take(signal);
        if (!event) return;
        const next = step(this.machine, event);
        if (next.ignored) {
          // External events (a 403, the vault's signal) are often not awaited; anything else is a bug worth seeing.
          if (event.type !== "restart" && event.type !== "escrowReady")
            this.deps.log.warn("attestation event ignored", { event: event.type, state: attestStateName(this.machine.phase.state) });
          continue;
        }
        this.machine = next.state;
        for (const effect of next.effects) {
          if (signal.aborted) return;
          const result = await this.perform(effect, signal);
          if (result) this.inbox.post(result);
        }
      }
    } finally {
      stopEscrowWatch();
    }
  }

  /** Performs one effect; the result of a request, quote, vault call or wait comes back as the next event. */
  private async perform(effect: AttestEffect, signal: AbortSignal): Promise<AttestEvent | undefined> {
    switch (effect.type) {
      case "publish":
        this.publish();
        return undefined;
      case "fail":
        this.recordFailure(effect.error, effect.in);
        return undefined;
      case "certMiss":
        this.deps.onCertMiss();
        return undefined;
      case "log":
        this.deps.log.info(effect.message);
        return undefined;
      case "tokenChanged":
        this.deps.onTokenChanged?.();
        return undefined;
      case "noCertFound":
        this.deps.onNoCertFound?.();
        return undefined;
      case "keepToken":
        this.keepToken(effect.token, effect.newValue, effect.keysOffered);
        return undefined;
      case "requestNonce":
        return this.attempt(async () => {
          const resp = await this.exchange(codec.ZAttestReq.encode({ reqType: ZAttestReqType.ATTEST_REQ_NONCE }), ZAttestRespType.ATTEST_RESP_NONCE);
          return { type: "nonce", nonce: resp.nonce?.nonce ?? new Uint8Array() };
        });
      case "quote":
        return this.attempt(async () => {
          const quote = await this.buildQuote(effect.nonce);
          return { type: "quoted", request: codec.ZAttestReq.encode({ reqType: ZAttestReqType.ATTEST_REQ_QUOTE, quote }) };
        });
      case "sendQuote":
        return this.attempt(async () => {
          const resp = await this.exchange(effect.request, ZAttestRespType.ATTEST_RESP_QUOTE_RESP);
          const q = resp.quoteResp;
          return {
            type: "quoteVerdict",
            code: q?.response ?? ZAttestResponseCode.Z_ATTEST_RESPONSE_CODE_INVALID,
            token: q?.integrity_token ?? new Uint8Array(),
            keys: q?.keys ?? [],
          };
        });
      case "acceptKeys": {
        let error: unknown;
        try {
          await this.deps.vault.acceptControllerKeys(effect.keys);
        } catch (e) {
          error = e;
        }
        const escrow = this.deps.vault.escrowEnabled ? this.deps.vault.escrowBlob() : undefined;
        return { type: "keysAccepted", escrow, ...(error !== undefined ? { error } : {}) };
      }
      case "sendEscrow":
        return this.attempt(async () => {
          const body = codec.ZAttestReq.encode({
            reqType: ZAttestReqType.Z_ATTEST_REQ_TYPE_STORE_KEYS,
            storage_keys: {
              integrity_token: effect.token ?? new Uint8Array(),
              keys: [{ key_type: AttestVolumeKeyType.ATTEST_VOLUME_KEY_TYPE_VSK, key: effect.blob }],
            },
          });
          const resp = await this.exchange(body, ZAttestRespType.Z_ATTEST_RESP_TYPE_STORE_KEYS);
          return { type: "escrowVerdict", code: resp.storage_keys_resp?.response ?? AttestStorageKeysResponseCode.ATTEST_STORAGE_KEYS_RESPONSE_CODE_INVALID };
        });
      case "acknowledgeEscrow":
        return this.attempt(async () => {
          await this.deps.vault.escrowAcknowledged();
          this.deps.log.info("vault key escrowed with the controller");
          return { type: "escrowAcknowledged" };
        });
      case "sleep":
        await sleep(effect.ms, signal);
        return signal.aborted ? undefined : { type: "timer" };
    }
  }

  private async attempt(f: () => Promise<AttestEvent>): Promise<AttestEvent> {
    try {
      return await f();
    } catch (error) {
      return { type: "failed", error };
    }
  }

  /** Listeners act on every status they get (status board, info), so a repeat of the last one is not sent. */
  private publish(): void {
    const s = this.status();
    if (this.published && sameStatus(this.published, s)) return;
    this.published = s;
    this.deps.onStatus(s);
  }

  private recordFailure(err: unknown, state: AttestStateValue): void {
    const kind = err instanceof AgentError ? err.kind : "attest.unexpected";
    this.lastError = { kind, message: errorChain(err), at: new Date().toISOString() };
    this.deps.log.warn("attestation step failed", { kind, error: this.lastError.message, state: attestStateName(state) });
  }

  private keepToken(token: Uint8Array, newValue: boolean, keysOffered: number): void {
    if (token.length === 0) this.deps.log.warn("controller accepted the quote but sent an empty integrity token");
    writeFileAtomic(this.deps.layout.run.integrityToken, token, 0o600);
    this.lastSuccess = new Date().toISOString();
    this.lastError = undefined;
    this.deps.log.info("quote accepted; integrity token received", { escrowedVsks: keysOffered, newValue });
  }

  private async exchange(body: Uint8Array, expect: number): Promise<ZAttestResponse> {
    const reply = await this.deps.client.post("attest", body, { signer: this.deps.device, certDer: this.deps.device.certificate.der });
    if (reply.outcome !== "success") throw new AttestError("attest.http", `POST /attest answered ${reply.status}`);
    const signing = this.deps.certs.certs?.signing;
    if (!signing) throw new EnvelopeError("envelope.cert-miss", "no verified controller signing cert");
    const payload = await verifyEnvelope(reply.body, { pem: signing.pem, publicKey: signing.publicKey });
    const resp = codec.ZAttestResponse.decode(payload);
    if (resp.respType !== expect) throw new AttestError("attest.response", `expected response type ${expect}, got ${resp.respType}`);
    return resp;
  }

  private async buildQuote(nonce: Uint8Array): Promise<ZAttestQuote> {
    const versions = attestVersions(this.deps.evidence);
    if (!this.deps.tpm) return quoteMessage(undefined, versions);
    const q = await takeQuote(this.deps.tpm, nonce);
    const log = gzippedEventLog(this.deps.evidence.eventLogPath);
    let msg = quoteMessage(q, versions, log.gz);
    this.eventLogNote = log.skipped ?? `${log.gz!.length} bytes gzipped`;
    if (log.gz && codec.ZAttestReq.encode({ reqType: ZAttestReqType.ATTEST_REQ_QUOTE, quote: msg }).length > MAX_ATTEST_REQUEST) {
      msg = quoteMessage(q, versions);
      this.eventLogNote = `omitted: request would exceed ${MAX_ATTEST_REQUEST} bytes`;
    }
    if (log.skipped) this.deps.log.warn("event log not sent", { reason: log.skipped });
    return msg;
  }
}

/** Every field of the status but the error, which is compared field by field. */
const PLAIN_STATUS_FIELDS = ["stateNumber", "cycles", "quotes", "tokenPresent", "lastSuccess", "eventLog"] as const;

function sameStatus(a: AttestationStatus, b: AttestationStatus): boolean {
  if (!PLAIN_STATUS_FIELDS.every((k) => a[k] === b[k])) return false;
  const [x, y] = [a.lastError, b.lastError];
  return x === y || (x !== undefined && y !== undefined && x.kind === y.kind && x.message === y.message && x.at === y.at);
}

/** Events in arrival order for one consumer; `take` waits for the next one or the abort. */
class Inbox<T> {
  private readonly items: T[] = [];
  private wake: (() => void) | undefined;

  post(item: T): void {
    this.items.push(item);
    this.wake?.();
  }

  async take(signal: AbortSignal): Promise<T | undefined> {
    while (this.items.length === 0) {
      if (signal.aborted) return undefined;
      await new Promise<void>((resolve) => {
        const done = () => {
          signal.removeEventListener("abort", done);
          this.wake = undefined;
          resolve();
        };
        this.wake = done;
        signal.addEventListener("abort", done, { once: true });
      });
    }
    return signal.aborted ? undefined : this.items.shift();
  }
}
