import type { KeylimeConfig } from "../config/index.ts";
import { encodePem } from "../pki/index.ts";
import { AgentError, Backoff, errorChain, type Logger, sleep, toBase64 } from "../shared/index.ts";
import { type AttestationKeyName, type EkAlg, HANDLES, type TpmManager } from "../tpm/index.ts";
import { KeylimeError } from "./errors.ts";
import type { WireRecorder } from "./push/http.ts";
import { authTag, hashEkUuid, RegistrarClient, type RegistrationBody } from "./registrar.ts";
import { akKeyName, type KeylimeStatus } from "./types.ts";

/** The TPM operations Keylime uses, all through the agent's one TPM queue. */
export type KeylimeTpm = Pick<
  TpmManager,
  "tcgEk" | "keyPublicBytes" | "keyName" | "activateCredential" | "keylimeQuote" | "certifyAk" | "resetAndExtend" | "pcrReset" | "pcrExtend" | "readPcrs"
>;

/** What the registrar now holds for this agent. */
export interface RegisteredAgent {
  uuid: string;
  /** Registrar API version used. */
  apiVersion: string;
  ak: AttestationKeyName;
  akHandle: number;
  /** TPM2B_PUBLIC of the AK and the TCG EK, as registered. */
  akPublic: Uint8Array;
  ekPublic: Uint8Array;
  ekAlg: EkAlg;
}

export interface KeylimeModeContext {
  cfg: KeylimeConfig;
  tpm: KeylimeTpm;
  log: Logger;
  /** The agent UUID (hash_ek resolved). */
  uuid: string;
  /** Merges fields into the keylime status section. */
  report(patch: Partial<KeylimeStatus>): void;
}

/**
 * The pull server or the push client, plugged in after registration.
 * prepare() runs before registering, for what the registrar must be told
 * (the pull server's mTLS certificate); run() runs until the signal aborts.
 */
export interface KeylimeMode {
  prepare?(ctx: KeylimeModeContext): Promise<{ mtlsCert?: string }>;
  run(ctx: KeylimeModeContext & { agent: RegisteredAgent }, signal: AbortSignal): Promise<void>;
}

export interface KeylimeAgentDeps {
  cfg: KeylimeConfig;
  tpm: KeylimeTpm;
  log: Logger;
  onStatus?: (s: KeylimeStatus) => void;
  mode?: KeylimeMode;
  fetch?: typeof fetch;
  /** The agent's wire dump: the registrar exchanges are recorded as NNNN-keylime-registrar-<step>. */
  wireDump?: WireRecorder;
  /** Jitter source for the backoff (tests). */
  random?: () => number;
}

const EK_ALG = { rsa: "rsa", ecc: "ecc" } as const satisfies Record<KeylimeConfig["tpmEncryptionAlg"], EkAlg>;

/**
 * The Keylime agent side: registers the TCG EK and an EVE attestation key with
 * the registrar, activates the credential, then runs the configured mode.
 * run() never rejects: Keylime trouble is logged and shown in the status,
 * it must not take EVE's services down with it.
 */
export class KeylimeAgent {
  private state: KeylimeStatus;
  private readonly log: Logger;
  private uuid: string | undefined;

  constructor(private readonly deps: KeylimeAgentDeps) {
    this.log = deps.log;
    const cfg = deps.cfg;
    this.state = {
      enabled: cfg.enabled,
      mode: cfg.mode,
      registrar: cfg.registrarUrl,
      registered: false,
      activated: false,
      registrationAttempts: 0,
      akHandle: `0x${HANDLES[akKeyName(cfg.tpmSigningAlg)].toString(16)}`,
      ...(cfg.uuid !== "hash_ek" ? { uuid: cfg.uuid.toLowerCase() } : {}),
    };
  }

  status(): KeylimeStatus {
    return structuredClone(this.state);
  }

  private report(patch: Partial<KeylimeStatus>): void {
    const next = { ...this.state, ...patch };
    for (const k of Object.keys(patch) as (keyof KeylimeStatus)[]) if (patch[k] === undefined) delete next[k];
    this.state = next;
    this.deps.onStatus?.(this.status());
  }

  private fail(e: unknown): void {
    const kind = e instanceof AgentError ? e.kind : "keylime";
    const message = e instanceof Error ? e.message : String(e);
    const prev = this.state.lastError;
    this.report({ lastError: prev && prev.kind === kind && prev.message === message ? prev : { kind, message, at: new Date().toISOString() } });
  }

  /** The configured UUID, or hash_ek: hex SHA-256 of the TCG EK's PEM. */
  async resolveUuid(): Promise<string> {
    if (this.uuid) return this.uuid;
    const cfg = this.deps.cfg;
    this.uuid = cfg.uuid === "hash_ek" ? hashEkUuid((await this.deps.tpm.tcgEk(EK_ALG[cfg.tpmEncryptionAlg])).publicBytes) : cfg.uuid.toLowerCase();
    this.report({ uuid: this.uuid });
    return this.uuid;
  }

  /**
   * One registration: negotiate, POST EK/AK, ActivateCredential, PUT the
   * auth_tag. Throws a KeylimeError (kind keylime.refused on 403).
   */
  async registerOnce(signal?: AbortSignal, mtlsCert?: string): Promise<RegisteredAgent> {
    const cfg = this.deps.cfg;
    const ekAlg = EK_ALG[cfg.tpmEncryptionAlg];
    const ak = akKeyName(cfg.tpmSigningAlg);
    this.report({ registrationAttempts: this.state.registrationAttempts + 1 });
    const ek = await this.deps.tpm.tcgEk(ekAlg);
    const uuid = await this.resolveUuid();
    if (!ek.certificate) this.log.warn("the TPM has no EK certificate in NV; only a tenant with require_ek_cert = False accepts this agent", { ekAlg });
    const akPublic = this.deps.tpm.keyPublicBytes(ak);
    const client = new RegistrarClient(cfg.registrarUrl, {
      ...(signal ? { signal } : {}),
      ...(this.deps.fetch ? { fetch: this.deps.fetch } : {}),
      ...(this.deps.wireDump ? { wireDump: this.deps.wireDump } : {}),
    });
    const apiVersion = await client.negotiate();
    const body: RegistrationBody = {
      ek_tpm: toBase64(ek.publicBytes),
      ...(ek.certificate ? { ekcert: encodePem("CERTIFICATE", ek.certificate) } : {}),
      aik_tpm: toBase64(akPublic),
      mtls_cert: cfg.mode === "pull" && cfg.mtls ? requireCert(mtlsCert) : "disabled",
      ...(cfg.mode === "pull" ? { ip: cfg.contactIp, port: cfg.contactPort } : {}),
    };
    this.report({ apiVersion, ek: ek.source, registered: false, activated: false });
    const challenge = await client.register(apiVersion, uuid, body);
    this.report({ registered: true, registeredAt: new Date().toISOString() });
    let secret: Uint8Array;
    try {
      secret = await this.deps.tpm.activateCredential(ekAlg, ak, challenge.credentialBlob, challenge.encSecret);
    } catch (e) {
      throw new KeylimeError("keylime.activation", "the registrar's credential does not activate with this TPM's EK and AK", { cause: e });
    }
    const tag = authTag(secret, uuid);
    secret.fill(0);
    await client.activate(apiVersion, uuid, tag);
    this.report({ activated: true, refused: undefined, lastError: undefined });
    this.log.info("registered with the Keylime registrar", { uuid, apiVersion, ak: this.state.akHandle, ek: ek.source });
    return { uuid, apiVersion, ak, akHandle: HANDLES[ak], akPublic, ekPublic: ek.publicBytes, ekAlg };
  }

  /**
   * Registers, retrying with capped exponential backoff. A 403 (the UUID is
   * held by another TPM) is not retried at that pace: it needs an operator,
   * so it is reported and checked again only every retryMaxMs. Undefined
   * when the signal aborted first.
   */
  async register(signal: AbortSignal, mtlsCert?: string): Promise<RegisteredAgent | undefined> {
    const cfg = this.deps.cfg;
    const backoff = new Backoff(cfg.retryInitialMs, cfg.retryMaxMs, 0.2, this.deps.random);
    let lastLogged = "";
    while (!signal.aborted) {
      try {
        return await this.registerOnce(signal, mtlsCert);
      } catch (e) {
        if (signal.aborted) break;
        this.fail(e);
        const refused = e instanceof KeylimeError && e.kind === "keylime.refused";
        if (refused) this.report({ refused: true });
        const wait = refused ? cfg.retryMaxMs : backoff.next();
        // Each distinct error is logged once: a registrar that stays down must not flood the log.
        const error = errorChain(e);
        if (error !== lastLogged) this.log.error("Keylime registration failed", { error, retryInMs: wait });
        else this.log.debug("Keylime registration failed again", { error, retryInMs: wait });
        lastLogged = error;
        await sleep(wait, signal);
      }
    }
    return undefined;
  }

  /** Registration then the mode, again from registration if the mode fails; returns when the signal aborts. */
  async run(signal: AbortSignal): Promise<void> {
    const cfg = this.deps.cfg;
    const backoff = new Backoff(cfg.retryInitialMs, cfg.retryMaxMs, 0.2, this.deps.random);
    this.report({});
    while (!signal.aborted) {
      try {
        const uuid = await this.resolveUuid();
        const ctx: KeylimeModeContext = { cfg, tpm: this.deps.tpm, log: this.log, uuid, report: (p) => this.report(p) };
        const prepared = this.deps.mode?.prepare ? await this.deps.mode.prepare(ctx) : {};
        const agent = await this.register(signal, prepared.mtlsCert);
        if (!agent) return;
        backoff.reset();
        if (!this.deps.mode) {
          await new Promise<void>((resolve) => (signal.aborted ? resolve() : signal.addEventListener("abort", () => resolve(), { once: true })));
          return;
        }
        await this.deps.mode.run({ ...ctx, agent }, signal);
        if (signal.aborted) return;
        throw new KeylimeError("keylime.protocol", `Keylime ${cfg.mode} mode stopped by itself`);
      } catch (e) {
        if (signal.aborted) return;
        this.fail(e);
        const wait = backoff.next();
        this.log.error("Keylime stopped; starting over", { error: errorChain(e), retryInMs: wait });
        await sleep(wait, signal);
      }
    }
  }
}

function requireCert(pem: string | undefined): string {
  if (!pem) throw new KeylimeError("keylime.protocol", "keylime.mtls = true but the pull server gave no certificate to register as mtls_cert");
  return pem;
}
