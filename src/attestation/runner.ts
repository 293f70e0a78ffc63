import {
  codec,
  verifyEnvelope,
  EnvelopeError,
  ZAttestReqType,
  ZAttestRespType,
  ZAttestResponseCode,
  AttestStorageKeysResponseCode,
  AttestVolumeKeyType,
  type AttestVolumeKey,
  type ZAttestQuote,
  type ZAttestResponse,
} from "../protocol/index.ts";
import type { ControllerCertStore, ControllerClient } from "../controller/index.ts";
import type { KeyIdentity } from "../identity/index.ts";
import { removeFile, writeFileAtomic, type DeviceLayout } from "../state/index.ts";
import { AgentError, bytesEqual, errorChain, sleep, type Logger } from "../shared/index.ts";
import { AttestState, attestStateName, type AttestStateValue } from "./states.ts";
import { attestVersions, gzippedEventLog, quoteMessage, takeQuote, MAX_ATTEST_REQUEST, type EvidenceSources, type QuoteSource } from "./evidence.ts";

export class AttestError extends AgentError {
  constructor(kind: "attest.http" | "attest.response" | "attest.refused" | "attest.escrow", message: string, options?: { cause?: unknown }) {
    super(kind, message, options);
  }
}

/** What attestation needs from the vault manager (eve-protocol.md 7.2 step 4, 11.3). */
export interface AttestationVault {
  /** False without a TPM: escrow is skipped and attestation completes after the quote. */
  readonly escrowEnabled: boolean;
  /** AttestVolumeKeyData bytes once the vault key exists and is unlocked. */
  escrowBlob(): Uint8Array | undefined;
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

type Outcome = "done" | "restart";

/**
 * Runs EVE's attestation sequence (eve-protocol.md 7.2): nonce, quote,
 * integrity token, escrow; restarts on the controller's verdict or on a 403
 * from /config, and keeps the token only in memory and /run.
 */
export class Attestation {
  private state: AttestStateValue = AttestState.None;
  private integrityToken: Uint8Array | undefined;
  private restartRequested = false;
  /** The token held when the pending restart was asked for. */
  private restartFor: Uint8Array | undefined;
  private wake: (() => void) | undefined;
  private stats = { cycles: 0, quotes: 0 };
  private lastError: AttestationStatus["lastError"];
  private lastSuccess: string | undefined;
  private eventLogNote: string | undefined;
  private published = "";

  constructor(private readonly deps: AttestationDeps) {
    // A token from an earlier run is never valid: EVE's lives in tmpfs.
    removeFile(deps.layout.run.integrityToken);
  }

  token(): Uint8Array | undefined {
    return this.integrityToken;
  }

  get quoteAttempted(): boolean {
    return this.stats.quotes > 0;
  }

  /**
   * Config answered 403 to the token held now: attest again (after the
   * current cycle, if one is running, unless that cycle brings a new token).
   */
  requestRestart(): void {
    if (!this.quoteAttempted) return;
    this.restartRequested = true;
    this.restartFor = this.integrityToken;
    this.wake?.();
  }

  status(): AttestationStatus {
    return {
      state: attestStateName(this.state),
      stateNumber: this.state,
      ...this.stats,
      tokenPresent: this.integrityToken !== undefined,
      ...(this.lastSuccess ? { lastSuccess: this.lastSuccess } : {}),
      ...(this.lastError ? { lastError: this.lastError } : {}),
      ...(this.eventLogNote ? { eventLog: this.eventLogNote } : {}),
    };
  }

  private set(state: AttestStateValue): void {
    this.state = state;
    this.publish();
  }

  /** Listeners act on every status they get (status board, info), so a repeat of the last one is not sent. */
  private publish(): void {
    const s = this.status();
    const shape = JSON.stringify(s);
    if (shape === this.published) return;
    this.published = shape;
    this.deps.onStatus(s);
  }

  private fail(err: unknown): void {
    const kind = err instanceof AgentError ? err.kind : "attest.unexpected";
    this.lastError = { kind, message: errorChain(err), at: new Date().toISOString() };
    this.deps.log.warn("attestation step failed", { kind, error: this.lastError.message, state: attestStateName(this.state) });
    if (err instanceof EnvelopeError && err.kind === "envelope.cert-miss") this.deps.onCertMiss();
    this.publish();
  }

  async run(signal: AbortSignal): Promise<void> {
    while (!signal.aborted) {
      this.stats.cycles++;
      await this.cycle(signal);
      while (!signal.aborted && !this.restartDue()) {
        await new Promise<void>((resolve) => {
          this.wake = resolve;
          signal.addEventListener("abort", () => resolve(), { once: true });
        });
        this.wake = undefined;
      }
      if (signal.aborted) return;
      this.restartRequested = false;
      this.deps.log.info("attestation restarting");
      this.set(AttestState.RestartWait);
      await sleep(this.deps.retryMs, signal);
    }
  }

  /** A restart is pending for the token held now; one asked for against a token since replaced is dropped. */
  private restartDue(): boolean {
    if (!this.restartRequested) return false;
    const current = this.integrityToken;
    const replaced = current !== undefined && (this.restartFor === undefined || !bytesEqual(this.restartFor, current));
    if (!replaced) return true;
    this.restartRequested = false;
    this.deps.log.info("restart not needed: the 403 was for a token attestation has since replaced");
    return false;
  }

  private async cycle(signal: AbortSignal): Promise<void> {
    while (!signal.aborted) {
      const quoted = await this.nonceAndQuote(signal);
      if (quoted === "restart") {
        this.set(AttestState.RestartWait);
        await sleep(this.deps.retryMs, signal);
        continue;
      }
      const escrow = await this.escrow(signal);
      if (escrow === "restart") {
        this.set(AttestState.RestartWait);
        await sleep(this.deps.retryMs, signal);
        continue;
      }
      return;
    }
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

  private async nonceAndQuote(signal: AbortSignal): Promise<Outcome | "quoted"> {
    this.set(AttestState.NonceWait);
    let nonce: Uint8Array;
    try {
      const resp = await this.exchange(codec.ZAttestReq.encode({ reqType: ZAttestReqType.ATTEST_REQ_NONCE }), ZAttestRespType.ATTEST_RESP_NONCE);
      if (!resp.nonce || resp.nonce.nonce.length === 0) throw new AttestError("attest.response", "nonce response without a nonce");
      nonce = resp.nonce.nonce;
    } catch (e) {
      this.fail(e);
      return "restart";
    }

    this.set(AttestState.InternalQuoteWait);
    let quote: ZAttestQuote;
    try {
      quote = await this.buildQuote(nonce);
    } catch (e) {
      this.fail(e);
      return "restart";
    }
    const body = codec.ZAttestReq.encode({ reqType: ZAttestReqType.ATTEST_REQ_QUOTE, quote });

    // Transport trouble re-sends the same quote; only the controller's verdict asks for a new nonce.
    while (!signal.aborted) {
      this.set(AttestState.AttestWait);
      this.stats.quotes++;
      let resp: ZAttestResponse;
      try {
        resp = await this.exchange(body, ZAttestRespType.ATTEST_RESP_QUOTE_RESP);
      } catch (e) {
        this.fail(e);
        await sleep(this.deps.retryMs, signal);
        continue;
      }
      const code = resp.quoteResp?.response ?? ZAttestResponseCode.Z_ATTEST_RESPONSE_CODE_INVALID;
      if (code === ZAttestResponseCode.Z_ATTEST_RESPONSE_CODE_SUCCESS) {
        await this.accepted(resp.quoteResp!.integrity_token, resp.quoteResp!.keys);
        return "quoted";
      }
      if (code === ZAttestResponseCode.Z_ATTEST_RESPONSE_CODE_INVALID) {
        this.fail(new AttestError("attest.response", "controller answered the quote with INVALID"));
        await sleep(this.deps.retryMs, signal);
        continue;
      }
      this.fail(new AttestError("attest.refused", `controller refused the quote: ${responseCodeName(code)}`));
      // Beyond EVE: a controller that lost (or never stored) the certs would otherwise refuse every quote.
      if (code === ZAttestResponseCode.Z_ATTEST_RESPONSE_CODE_NO_CERT_FOUND) this.deps.onNoCertFound?.();
      return "restart";
    }
    return "restart";
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

  private async accepted(token: Uint8Array, keys: AttestVolumeKey[]): Promise<void> {
    if (token.length === 0) this.deps.log.warn("controller accepted the quote but sent an empty integrity token");
    const changed = this.integrityToken === undefined || !bytesEqual(this.integrityToken, token);
    this.integrityToken = token;
    writeFileAtomic(this.deps.layout.run.integrityToken, token, 0o600);
    this.lastSuccess = new Date().toISOString();
    this.lastError = undefined;
    this.deps.log.info("quote accepted; integrity token received", { escrowedVsks: keys.length, newValue: changed });
    const usable = keys.filter((k) => k.key_type === AttestVolumeKeyType.ATTEST_VOLUME_KEY_TYPE_VSK && k.key.length > 0);
    try {
      await this.deps.vault.acceptControllerKeys(usable);
    } catch (e) {
      this.fail(e);
    }
    // After the keys, so a config fetched with this token finds the vault unlocked when it can be.
    if (changed) this.deps.onTokenChanged?.();
  }

  private async escrow(signal: AbortSignal): Promise<Outcome> {
    if (!this.deps.vault.escrowEnabled) {
      this.set(AttestState.Complete);
      return "done";
    }
    let blob = this.deps.vault.escrowBlob();
    if (!blob) this.set(AttestState.InternalEscrowWait);
    // The vault offers no event for this; looking every 500 ms costs nothing and publishes nothing.
    while (!blob && !signal.aborted) {
      await sleep(500, signal);
      if (this.restartDue()) return "done";
      blob = this.deps.vault.escrowBlob();
    }
    if (!blob) return "done";
    const body = codec.ZAttestReq.encode({
      reqType: ZAttestReqType.Z_ATTEST_REQ_TYPE_STORE_KEYS,
      storage_keys: {
        integrity_token: this.integrityToken ?? new Uint8Array(),
        keys: [{ key_type: AttestVolumeKeyType.ATTEST_VOLUME_KEY_TYPE_VSK, key: blob }],
      },
    });
    while (!signal.aborted) {
      this.set(AttestState.AttestEscrowWait);
      try {
        const resp = await this.exchange(body, ZAttestRespType.Z_ATTEST_RESP_TYPE_STORE_KEYS);
        const code = resp.storage_keys_resp?.response ?? AttestStorageKeysResponseCode.ATTEST_STORAGE_KEYS_RESPONSE_CODE_INVALID;
        if (code === AttestStorageKeysResponseCode.ATTEST_STORAGE_KEYS_RESPONSE_CODE_SUCCESS) {
          await this.deps.vault.escrowAcknowledged();
          this.deps.log.info("vault key escrowed with the controller");
          this.set(AttestState.Complete);
          return "done";
        }
        if (code === AttestStorageKeysResponseCode.ATTEST_STORAGE_KEYS_RESPONSE_CODE_ITOKEN_MISMATCH) {
          this.fail(new AttestError("attest.escrow", "controller refused the escrow: integrity token mismatch"));
          return "restart";
        }
        throw new AttestError("attest.escrow", "controller answered the escrow with INVALID");
      } catch (e) {
        this.fail(e);
        await sleep(this.deps.retryMs, signal);
      }
    }
    return "done";
  }
}

function responseCodeName(code: number): string {
  return Object.entries(ZAttestResponseCode).find(([, v]) => v === code)?.[0] ?? String(code);
}
