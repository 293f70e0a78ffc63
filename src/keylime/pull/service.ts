import { fromBase64, type Logger } from "../../shared/index.ts";
import { type ApiVersion, encAlgName } from "./api-version.ts";
import { BootstrapKeys, type Combined, HALF_BYTES } from "./bootstrap.ts";
import { PullError } from "./errors.ts";
import type { Evidence } from "./evidence.ts";
import { decryptPayload, deliverPayload, type PayloadOptions, preparePayloadDir } from "./payload.ts";
import type { PullIdentity, PullQuoter } from "./ports.ts";
import type { PullStatus } from "./status.ts";
import { TransportKey } from "./transport-key.ts";

export interface PullServiceOptions {
  identity: PullIdentity;
  quoter: PullQuoter;
  evidence: Evidence;
  payload: PayloadOptions;
  /** A key made elsewhere (tests); by default a new one per start. */
  transportKey?: TransportKey;
  log: Logger;
  onStatus?: (s: PullStatus) => void;
}

export interface QuoteResults {
  quote: string;
  hash_alg: string;
  enc_alg: string;
  sign_alg: string;
  pubkey?: string;
  boottime?: number;
  mb_measurement_list?: string;
  ima_measurement_list?: string;
  ima_measurement_list_entry?: number;
}

export interface IntegrityRequest {
  nonce: Uint8Array;
  pcrs: number[];
  partial: boolean;
  imaEntry: number;
}

/** Keylime's UEFI-log PCR: the log goes with a quote whose mask names it (rust-keylime quotes_handler). */
const MB_PCR = 0;
/** base64 of a 2048-bit RSA-OAEP ciphertext is 344 characters. */
const RSA_CIPHERTEXT_BYTES = 256;
const B64_RE = /^(?:[A-Za-z0-9+/]{4})*(?:[A-Za-z0-9+/]{2}==|[A-Za-z0-9+/]{3}=)?$/;
const TAG_RE = /^[0-9a-fA-F]{96}$/;

const bad = (message: string) => new PullError("keylime.pull.bad-request", message);

function strictBase64(v: unknown, field: string): Uint8Array {
  if (typeof v !== "string" || v === "" || !B64_RE.test(v)) throw bad(`${field} must be base64`);
  return fromBase64(v);
}

/**
 * The agent side of Keylime's pull API: quotes with PCR 16 bound to the
 * transport key, the U/V bootstrap key and the payload it unlocks. The
 * HTTP layer (app.ts) parses and answers; this holds the state.
 */
export class PullService {
  readonly transport: TransportKey;
  readonly keys: BootstrapKeys;
  private readonly st: PullStatus;
  private payloadDirOk = false;

  constructor(private readonly opts: PullServiceOptions) {
    this.transport = opts.transportKey ?? TransportKey.generate();
    this.keys = new BootstrapKeys(opts.identity.uuid);
    this.st = { quotesServed: { identity: 0, integrity: 0 }, requests: 0, refused: 0, bootstrapKey: "none" };
    try {
      preparePayloadDir(opts.payload.dir, opts.payload.allowDiskBacked);
      this.payloadDirOk = true;
    } catch (e) {
      // Attestation goes on without it: only a payload needs the directory, and the refusal shows in the status.
      const err = e instanceof PullError ? e : new PullError("keylime.pull.payload-dir", "payload directory unusable", { cause: e });
      this.st.payloadDirError = { kind: err.kind, message: err.message, at: new Date().toISOString() };
      opts.log.error("payload directory refused; payloads will not be written", { error: `${err.kind}: ${err.message}` });
    }
  }

  get uuid(): string {
    return this.opts.identity.uuid;
  }

  get status(): PullStatus {
    return structuredClone({ ...this.st, bootstrapKey: this.keys.state });
  }

  setListening(listen: PullStatus["listen"]): void {
    this.st.listen = listen;
    this.publish();
  }

  /** Every answered request, counted once by the HTTP layer. */
  noteRequest(httpStatus: number): void {
    this.st.requests++;
    this.st.lastRequestAt = new Date().toISOString();
    if (httpStatus >= 400 && httpStatus < 500) this.st.refused++;
    this.publish();
  }

  noteError(err: PullError): void {
    this.st.lastError = { kind: err.kind, message: err.message, at: new Date().toISOString() };
    this.publish();
  }

  private algs(api: ApiVersion) {
    const a = this.opts.quoter.algorithms;
    return { hash_alg: a.hash, enc_alg: encAlgName(api, a.enc), sign_alg: a.sign };
  }

  private async quote(nonce: Uint8Array, pcrs: number[]): Promise<string> {
    try {
      return await this.opts.quoter.quote({ nonce, pcrs, bind: this.transport.bindDigest() });
    } catch (e) {
      const err = new PullError("keylime.pull.quote", "Unable to retrieve quote", { cause: e });
      this.opts.log.error("Keylime quote failed", { error: e instanceof Error ? e.message : String(e) });
      this.noteError(err);
      throw err;
    }
  }

  private quoted(kind: "identity" | "integrity"): void {
    this.st.quotesServed[kind]++;
    this.st.lastQuoteAt = new Date().toISOString();
  }

  /** The tenant's check before it sends U: a quote over PCR 16 only, with the key it will encrypt to. */
  async identityQuote(nonce: Uint8Array, api: ApiVersion): Promise<QuoteResults> {
    const quote = await this.quote(nonce, []);
    this.quoted("identity");
    return { quote, ...this.algs(api), pubkey: this.transport.publicPem };
  }

  /** The verifier's periodic quote, with the logs that let it judge the PCRs. */
  async integrityQuote(req: IntegrityRequest, api: ApiVersion): Promise<QuoteResults> {
    const quote = await this.quote(req.nonce, req.pcrs);
    const out: QuoteResults = { quote, ...this.algs(api), boottime: this.opts.evidence.bootTime };
    if (!req.partial) out.pubkey = this.transport.publicPem;
    if (req.pcrs.includes(MB_PCR)) {
      const mb = this.opts.evidence.measuredBoot();
      if (mb !== undefined) out.mb_measurement_list = mb;
    }
    const ima = this.opts.evidence.imaFrom(req.imaEntry);
    if (ima) {
      out.ima_measurement_list = ima.list;
      out.ima_measurement_list_entry = ima.entry;
    }
    this.quoted("integrity");
    return out;
  }

  info(api: ApiVersion) {
    const a = this.algs(api);
    return { agent_uuid: this.uuid, tpm_hash_alg: a.hash_alg, tpm_enc_alg: a.enc_alg, tpm_sign_alg: a.sign_alg, ak_handle: this.opts.quoter.akHandle };
  }

  private half(body: Record<string, unknown>): Uint8Array {
    const ct = strictBase64(body.encrypted_key, "encrypted_key");
    if (ct.length !== RSA_CIPHERTEXT_BYTES) throw bad("encrypted_key is not an RSA-2048 ciphertext");
    let half: Uint8Array;
    try {
      half = this.transport.decrypt(ct);
    } catch (e) {
      throw new PullError("keylime.pull.bad-request", "Failed to decrypt encrypted_key", { cause: e });
    }
    if (half.length !== HALF_BYTES) throw bad("decrypted key has the wrong length");
    return half;
  }

  /** POST keys/ukey from the tenant: U, the auth tag and the optional encrypted payload. */
  addU(body: Record<string, unknown>): void {
    const half = this.half(body);
    if (typeof body.auth_tag !== "string" || !TAG_RE.test(body.auth_tag)) throw bad("auth_tag must be 96 hex digits");
    const authTag = Buffer.from(body.auth_tag, "hex");
    const payload = body.payload === undefined || body.payload === null ? undefined : strictBase64(body.payload, "payload");
    this.combined(this.keys.addU({ half, authTag: new Uint8Array(authTag), ...(payload ? { payload } : {}) }));
  }

  /** POST keys/vkey from the verifier, sent after its first good quote. */
  addV(body: Record<string, unknown>): void {
    this.combined(this.keys.addV(this.half(body)));
  }

  verify(challenge: string): string {
    const hmac = this.keys.verify(challenge);
    if (hmac === undefined) throw new PullError("keylime.pull.no-key", "Bootstrap key not yet available.");
    return hmac;
  }

  private combined(c: Combined | undefined): void {
    this.publish();
    if (!c) return;
    this.opts.log.info("bootstrap key derived from U and V", { payload: c.payload !== undefined });
    // After the reply: the tenant and verifier wait on nothing the payload does.
    if (c.payload) setTimeout(() => this.deliver(c.key, c.payload!), 0);
  }

  private deliver(key: Uint8Array, encrypted: Uint8Array): void {
    if (!this.payloadDirOk) {
      this.noteError(new PullError("keylime.pull.payload-dir", "payload received but the payload directory was refused"));
      return;
    }
    try {
      const plain = decryptPayload(key, encrypted);
      const d = deliverPayload(plain, this.opts.payload, (o) => {
        if (this.st.payload) Object.assign(this.st.payload, { scriptExitCode: o.exitCode, scriptTimedOut: o.timedOut });
        this.publish();
      });
      this.st.payload = d;
      this.opts.log.info("payload delivered", { files: d.files, bytes: d.bytes, script: d.script });
    } catch (e) {
      const err = e instanceof PullError ? e : new PullError("keylime.pull.payload", "payload could not be delivered", { cause: e });
      this.opts.log.error("payload not delivered", { error: `${err.kind}: ${err.message}` });
      this.st.lastError = { kind: err.kind, message: err.message, at: new Date().toISOString() };
    }
    this.publish();
  }

  private publish(): void {
    this.opts.onStatus?.(this.status);
  }
}
