import { type ControllerReply, type EnvelopeKey, TransportError } from "../controller/index.ts";
import { codec, type EdgeDevConfig, EnvelopeError } from "../protocol/index.ts";
import { AgentError, bytesEqual, errorChain, type Logger, spread } from "../shared/index.ts";
import { configChanges } from "./config-changes.ts";
import { ConfigCheckpoint, DEFAULT_BACKUP_AFTER_MS } from "./config-checkpoint.ts";
import { type OpenedConfig, openConfigEnvelope, requireProtoBody } from "./config-envelope.ts";
import type { ConfigPollStatus, ConfigSource, PollOutcome } from "./config-status.ts";
import { SyncError } from "./errors.ts";
import type { ControllerPoster, SigningCertSource } from "./ports.ts";
import { Waker } from "./wake.ts";

export interface ConfigPollerDeps {
  client: ControllerPoster;
  certs: SigningCertSource;
  /** the device key: config requests are device-signed */
  deviceKey: EnvelopeKey;
  /** the integrity token from the last successful attestation, if any (owned by attestation) */
  token: () => Uint8Array | undefined;
  /** /persist/checkpoint/lastconfig */
  lastConfigPath: string;
  /** how long a config must run before it is copied to lastconfig.bak (EVE: 600 s) */
  backupAfterMs?: number;
  /** try lastconfig.bak before lastconfig (after a crash-type reboot) */
  preferBackupCheckpoint?: boolean;
  /** timer.config.interval; each wait is a random 30-100 % of it */
  intervalMs: number;
  log: Logger;
  now?: () => Date;
  random?: () => number;

  /** a verified config to apply; may be async, and is awaited before the next poll */
  onConfig: (config: EdgeDevConfig, source: ConfigSource) => void | Promise<void>;
  /**
   * 403 to a request that carried the current integrity token: restart
   * attestation. A 403 to a request sent without a token, or with one
   * attestation has since replaced, is not passed on.
   */
  onForbidden?: () => void;
  /** 404/400: the device may have been re-created; the caller rate-limits its /uuid re-check */
  onNotFound?: () => void;
  /** the envelope named a cert we do not hold; the cert store is already invalidated, refetch /certs */
  onCertMiss?: () => void;
  /** controllercert_confighash changed: refetch /certs */
  onCertsChanged?: () => void;
  /** controller_epoch changed: resend all info */
  onEpochChanged?: () => void;
  onStatus?: (s: ConfigPollStatus) => void;
}

type Hook = "onForbidden" | "onNotFound" | "onCertMiss" | "onCertsChanged" | "onEpochChanged";

/**
 * EVE's config poll (docs/state-machines.md#config-poller): a signed ConfigRequest right away and
 * then every random 30-100 % of the interval; the last hash is kept in memory
 * only, so each boot starts with a full config. Until the controller delivers
 * one, a failed poll falls back once to the re-verified lastconfig checkpoint.
 *
 * Each poll is a TPM signature, so besides the timer only real events cut a
 * wait short: a new integrity token (`pollNow`) and a controller signing
 * cert that replaces the one a config failed to verify with (`certsRefreshed`).
 */
export class ConfigPoller {
  private hash = "";
  private applied: EdgeDevConfig | undefined;
  private configThisBoot = false;
  private checkpointSettled = false;
  private inflight: Promise<PollOutcome> | undefined;
  /** The signing cert (PEM bytes; empty: none held) a config could not be verified with, until certs change. */
  private missedSigning: Uint8Array | undefined;
  private readonly waker = new Waker();
  private readonly checkpoint: ConfigCheckpoint;
  private readonly now: () => Date;
  private state: ConfigPollStatus = { polls: 0, checkpoint: { state: "pending" } };

  constructor(private readonly deps: ConfigPollerDeps) {
    this.checkpoint = new ConfigCheckpoint(deps.lastConfigPath, deps.backupAfterMs ?? DEFAULT_BACKUP_AFTER_MS);
    this.now = deps.now ?? (() => new Date());
  }

  get status(): ConfigPollStatus {
    return structuredClone(this.state);
  }

  async run(signal: AbortSignal): Promise<void> {
    while (!signal.aborted) {
      await this.pollOnce();
      if (signal.aborted) return;
      await this.waker.wait(spread(this.deps.intervalMs, 0.3, 1.0, this.deps.random), signal);
    }
  }

  /** Polls as soon as the loop is free: for events that change the answer, such as a new integrity token. */
  pollNow(): void {
    this.waker.wake();
  }

  /**
   * The controller certs were fetched again. Polls at once only when the last
   * config failed for want of its signing cert and a different one is now
   * held, so a controller that keeps signing with an unpublished cert cannot
   * turn refreshes into a poll loop.
   */
  certsRefreshed(): void {
    const missed = this.missedSigning;
    const held = this.deps.certs.certs?.signing.pem;
    if (missed === undefined || !held || bytesEqual(missed, held)) return;
    this.missedSigning = undefined;
    this.waker.wake();
  }

  /** Makes the next poll fetch the full config (EVE does so when leaving maintenance mode). */
  forgetHash(): void {
    this.hash = "";
  }

  /** One poll; concurrent callers share the poll in flight. Never throws. */
  pollOnce(): Promise<PollOutcome> {
    this.inflight ??= this.poll().finally(() => {
      this.inflight = undefined;
    });
    return this.inflight;
  }

  private async poll(): Promise<PollOutcome> {
    const at = this.now();
    this.state.polls++;
    this.state.lastPollAt = at.toISOString();
    delete this.state.lastHttpStatus;
    let outcome: PollOutcome;
    try {
      // Kept to judge a 403: it only speaks about the token this request carried.
      const sent = this.deps.token();
      const request = codec.ConfigRequest.encode({ configHash: this.hash, integrity_token: sent ?? new Uint8Array() });
      const reply = await this.deps.client.post("config", request, this.deps.deviceKey);
      this.state.lastHttpStatus = reply.status;
      outcome = await this.handleReply(reply, sent);
    } catch (e) {
      this.recordError(e);
      outcome = e instanceof TransportError ? "unreachable" : "failed";
    }
    this.state.lastOutcome = outcome;
    if (outcome === "applied" || outcome === "unchanged") {
      this.configThisBoot = true;
      const cp = this.state.checkpoint.state;
      if (cp === "pending" || cp === "waiting-for-certs") this.state.checkpoint = { state: "not-needed" };
    } else {
      this.deps.log.warn("config poll failed", { outcome, status: this.state.lastHttpStatus, error: this.state.lastError?.message });
      await this.fallBackToCheckpoint();
    }
    this.refreshBackup();
    this.publish();
    return outcome;
  }

  private async handleReply(reply: ControllerReply, sent: Uint8Array | undefined): Promise<PollOutcome> {
    switch (reply.outcome) {
      case "success":
        return reply.status === 304 ? "unchanged" : this.handleBody(reply);
      case "forbidden":
        this.forbidden(sent);
        return "forbidden";
      case "not-found":
        this.recordError(new SyncError("config.status", `controller answered ${reply.status}: device unknown`));
        this.notify("onNotFound");
        return "not-found";
      case "upgrading":
        this.recordError(new SyncError("config.status", "controller answered 503: upgrading"));
        return "upgrading";
      default:
        this.recordError(new SyncError("config.status", `controller answered ${reply.status}`));
        return "failed";
    }
  }

  /**
   * EVE restarts attestation on a 403 (docs/state-machines.md#restart). That is only
   * right when the request carried the token attestation holds now: a request
   * sent before the first token, or with a token since replaced, was refused
   * for a reason attestation is already dealing with, and restarting would
   * throw away a fresh token and cost another quote.
   */
  private forbidden(sent: Uint8Array | undefined): void {
    const current = this.deps.token();
    if (sent !== undefined && current !== undefined && bytesEqual(sent, current)) {
      this.recordError(new SyncError("config.status", "controller answered 403: integrity token not accepted"));
      this.notify("onForbidden");
      return;
    }
    const why = sent === undefined ? "the request carried no integrity token" : "the request carried an integrity token since replaced";
    // Logged with the failed poll; attestation is already getting or has got the token.
    this.recordError(new SyncError("config.status", `controller answered 403: ${why}`));
  }

  private async handleBody(reply: ControllerReply): Promise<PollOutcome> {
    let opened: OpenedConfig;
    try {
      requireProtoBody(reply);
      const signing = this.deps.certs.certs?.signing;
      if (!signing) throw new SyncError("config.no-certs", "no verified controller signing certificate to check the config with");
      opened = await openConfigEnvelope(reply.body, signing);
      this.missedSigning = undefined;
    } catch (e) {
      this.recordError(e);
      const missed = (e instanceof EnvelopeError && e.kind === "envelope.cert-miss") || (e instanceof SyncError && e.kind === "config.no-certs");
      if (!missed) return "invalid";
      this.missedSigning = this.deps.certs.certs?.signing.pem ?? new Uint8Array();
      this.deps.certs.invalidate();
      this.notify("onCertMiss");
      return "cert-miss";
    }
    const hash = opened.response.configHash;
    if (this.hash !== "" && hash === this.hash) return "unchanged";
    this.hash = hash;
    try {
      this.checkpoint.save(reply.body, this.now());
    } catch (e) {
      // A config that cannot be checkpointed is still the controller's current intent.
      this.recordError(e);
      this.deps.log.error("cannot checkpoint config", { error: errorChain(e) });
    }
    await this.apply(opened, "controller");
    return "applied";
  }

  private async fallBackToCheckpoint(): Promise<void> {
    if (this.configThisBoot || this.checkpointSettled) return;
    const signing = this.deps.certs.certs?.signing;
    if (!signing) {
      this.state.checkpoint = { state: "waiting-for-certs" };
      return;
    }
    const loaded = await this.checkpoint.load(signing, this.deps.preferBackupCheckpoint ?? false);
    this.checkpointSettled = true;
    if (loaded.kind === "none") {
      this.state.checkpoint = { state: "none" };
      this.deps.log.info("no config checkpoint to fall back on");
      return;
    }
    if (loaded.kind === "refused") {
      this.state.checkpoint = { state: "refused", reason: loaded.reason };
      this.recordError(new SyncError("config.checkpoint", `config checkpoint not used: ${loaded.reason}`));
      this.deps.log.warn("config checkpoint refused", { reason: loaded.reason });
      return;
    }
    this.state.checkpoint = { state: "used", from: loaded.from, ...(loaded.skipped ? { reason: loaded.skipped } : {}) };
    this.deps.log.info("running on the checkpointed config", { from: loaded.from, version: loaded.opened.config.id?.version, skipped: loaded.skipped });
    // With the checkpoint's hash remembered, an unchanged controller config comes back as 304.
    this.hash = loaded.opened.response.configHash;
    await this.apply(loaded.opened, "checkpoint");
  }

  private async apply(opened: OpenedConfig, source: ConfigSource): Promise<void> {
    const previous = this.applied;
    this.applied = opened.config;
    this.state.config = {
      uuid: opened.uuid,
      version: opened.config.id?.version ?? "",
      hash: opened.response.configHash,
      source,
      appliedAt: this.now().toISOString(),
    };
    this.deps.log.info("config applied", { source, version: this.state.config.version, hash: this.state.config.hash });
    try {
      await this.deps.onConfig(opened.config, source);
    } catch (e) {
      this.recordError(new SyncError("config.apply", "applying the config failed", { cause: e }));
      this.deps.log.error("applying config failed", { error: errorChain(e) });
    }
    const changed = configChanges(previous, opened.config);
    if (changed.certs) this.notify("onCertsChanged");
    if (changed.epoch) this.notify("onEpochChanged");
  }

  private refreshBackup(): void {
    try {
      if (this.checkpoint.refreshBackupIfSettled(this.now())) this.deps.log.info("config checkpoint backup refreshed");
    } catch (e) {
      this.deps.log.warn("cannot refresh config checkpoint backup", { error: errorChain(e) });
    }
  }

  private notify(hook: Hook): void {
    try {
      this.deps[hook]?.();
    } catch (e) {
      this.deps.log.error("config poll callback failed", { hook, error: errorChain(e) });
    }
  }

  private recordError(e: unknown): void {
    const kind = e instanceof AgentError ? e.kind : "config.unexpected";
    this.state.lastError = { kind, message: errorChain(e), at: this.now().toISOString() };
  }

  private publish(): void {
    try {
      this.deps.onStatus?.(this.status);
    } catch (e) {
      this.deps.log.error("config status callback failed", { error: errorChain(e) });
    }
  }
}
