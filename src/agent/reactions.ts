import type { Attestation, AttestationStatus } from "../attestation/index.ts";
import type { ControllerCertStore } from "../controller/index.ts";
import type { Onboarder } from "../onboarding/index.ts";
import { codec, type EdgeDevConfig, timestampToDate } from "../protocol/index.ts";
import { AgentError, bytesEqual, errorChain, type Logger } from "../shared/index.ts";
import type { StatusBoard } from "../status/index.ts";
import type { ConfigPoller, ConfigPollStatus, ConfigSource, DeferredQueue, DeliveryResult, InfoReporter } from "../sync/index.ts";
import type { VaultStatus, VaultStore } from "../vault/index.ts";
import type { CertRefresher } from "./certs-refresh.ts";
import type { DeviceFacts } from "./facts.ts";
import { InfoTrigger } from "./info-trigger.ts";
import { maintenanceReasonName } from "./maintenance.ts";

/** Vault entry holding the last applied EdgeDevConfig. */
export const CONFIG_ENTRY = "config.current";

/** Everything one service tells the others, as it happens. The README's reaction table lists who reacts. */
export type AgentEvent =
  /** Every component exists and is wired; the services are about to run. */
  | { type: "services.started"; offlineStart: boolean }
  | { type: "vault.changed"; status: VaultStatus }
  /** One send attempt of the deferred queue (`action` "attest": the edge-node cert upload). */
  | { type: "queue.result"; action: string; result: DeliveryResult }
  /** GET /certs succeeded. */
  | { type: "certs.refreshed" }
  | { type: "attestation.status"; status: AttestationStatus }
  /** A quote brought an integrity token whose value differs from the one held. */
  | { type: "attestation.tokenChanged" }
  | { type: "attestation.certMiss" }
  /** The controller answered the quote NO_CERT_FOUND. */
  | { type: "attestation.noCertFound" }
  | { type: "uuid.changed"; uuid: string }
  | { type: "config.received"; config: EdgeDevConfig; source: ConfigSource }
  /** 403 to a config request that carried the current integrity token. */
  | { type: "config.forbidden" }
  /** 404/400 to a config request. */
  | { type: "config.notFound" }
  | { type: "config.certMiss" }
  /** controllercert_confighash changed. */
  | { type: "config.certsChanged" }
  /** controller_epoch changed. */
  | { type: "config.epochChanged" }
  | { type: "config.pollStatus"; status: ConfigPollStatus }
  /** The info reporter queued a report: its counters and the queue's changed. */
  | { type: "info.queued" };

type Handler = (event: AgentEvent) => void | Promise<void>;

/**
 * Where components report their events. The reactions are attached once
 * every component exists, so nothing reacts through a component that is
 * not built yet; an event before that is a wiring bug and throws.
 */
export class AgentEvents {
  private handler: Handler | undefined;

  attach(handler: Handler): void {
    if (this.handler) throw new AgentError("agent.wiring", "reactions are already attached");
    this.handler = handler;
  }

  /** Returns the reaction's promise where it does async work (applying a config), so the reporter can await it. */
  emit(event: AgentEvent): void | Promise<void> {
    if (!this.handler) throw new AgentError("agent.wiring", `event ${event.type} before the reactions were attached`);
    return this.handler(event);
  }
}

/** The components the reactions act on, narrowed to what they use. */
export interface ReactionParts {
  board: Pick<StatusBoard, "publish" | "update">;
  log: Logger;
  facts: DeviceFacts;
  vault: { status(): VaultStatus; readonly store: Pick<VaultStore, "put" | "get"> };
  attestation: Pick<Attestation, "requestRestart" | "status">;
  poller: Pick<ConfigPoller, "pollNow" | "certsRefreshed">;
  refresher: Pick<CertRefresher, "requestNow">;
  info: Pick<InfoReporter, "trigger" | "status">;
  queue: Pick<DeferredQueue, "enqueue" | "status">;
  certs: Pick<ControllerCertStore, "certs">;
  onboarder: Pick<Onboarder, "recheckUuid">;
  uuid: () => string;
  /** The edge-node certs request body (attest, ECDH and EK certs). */
  certsUploadBody: () => Uint8Array;
  /** EVE re-runs `client getUuid` after a config 404 at most this often. */
  uuidRecheckMs: number;
  now?: () => number;
}

/**
 * Who reacts to what, in one switch (the README's reaction table is its
 * summary). Services report events; only this function turns one service's
 * event into another's action, and only it records device facts.
 */
export function reactions(p: ReactionParts): Handler {
  const { board, log, facts } = p;
  const now = p.now ?? Date.now;
  const infoTrigger = new InfoTrigger();
  let lastUuidCheck = 0;

  const publishInfo = () => board.update("info", { ...p.info.status, queue: p.queue.status });
  // The info section is published when the queue or the reporter changes, not on a timer: an idle device stays asleep.
  const uploadCerts = () => {
    p.queue.enqueue({ key: `attest:${p.uuid()}`, action: "attest", payload: p.certsUploadBody() });
    publishInfo();
  };
  // Published whole (not merged) so a cleared error really disappears from the status.
  const publishAttestation = (s: AttestationStatus = p.attestation.status()) => {
    const upload = facts.certUpload;
    const certUpload = upload ? { certUpload: upload.outcome, ...(upload.status !== undefined ? { certUploadStatus: upload.status } : {}) } : {};
    board.publish("attestation", { ...s, ...certUpload });
  };
  /** Maintenance and info follow every change of what they are made of. */
  const factsChanged = () => {
    board.update("device", { maintenanceReasons: facts.maintenance().map(maintenanceReasonName) });
    // Info goes out when what it reports changes, not on every internal step.
    if (infoTrigger.changed(facts.infoView())) p.info.trigger();
  };

  const applyConfig = async (c: EdgeDevConfig, source: ConfigSource) => {
    facts.recordConfig();
    // The applied config is kept at rest in the vault, as EVE keeps device data there.
    if (!p.vault.status().locked) {
      try {
        const bytes = codec.EdgeDevConfig.encode(c);
        // A boot applies the config it kept last time: rewriting the same bytes would only cost an encryption and two fsyncs.
        const kept = await p.vault.store.get(CONFIG_ENTRY).catch(() => undefined);
        if (!kept || !bytesEqual(kept, bytes)) await p.vault.store.put(CONFIG_ENTRY, bytes);
      } catch (e) {
        log.warn("could not keep the config in the vault", { error: errorChain(e) });
      }
    }
    board.update("config", {
      received: true,
      source,
      version: c.id?.version,
      ...(c.device_name ? { deviceName: c.device_name } : {}),
      ...(c.config_timestamp ? { configTimestamp: timestampToDate(c.config_timestamp).toISOString() } : {}),
      items: c.configItems.length,
    });
    factsChanged();
  };

  return (e) => {
    switch (e.type) {
      case "services.started":
        board.publish("vault", { ...p.vault.status() });
        factsChanged();
        // The cert upload goes first so the controller holds the attestation cert before the quote.
        uploadCerts();
        // After the offline fast path the held controller certs are a checkpoint: refresh them as soon as possible.
        if (e.offlineStart) p.refresher.requestNow();
        publishInfo();
        return;
      case "vault.changed":
        board.publish("vault", { ...e.status });
        factsChanged();
        return;
      case "queue.result":
        publishInfo();
        if (e.action !== "attest") return;
        facts.recordCertUpload(e.result);
        // A controller answers 4xx when it will not take these certs (e.g. /persist was wiped).
        if (e.result.outcome === "dropped") log.error("controller refused the edge node certificates", { status: e.result.status });
        publishAttestation();
        factsChanged();
        return;
      case "certs.refreshed":
        board.update("controller", {
          signingCert: p.certs.certs?.signing.cert.subject,
          certCount: p.certs.certs?.hashes.length,
          certsRefreshedAt: new Date().toISOString(),
        });
        p.poller.certsRefreshed();
        return;
      case "attestation.status":
        publishAttestation(e.status);
        factsChanged();
        return;
      case "attestation.tokenChanged":
        // Each poll is a TPM signature: only a new token value, not any status, asks for config early.
        p.poller.pollNow();
        return;
      case "attestation.certMiss":
      case "config.certMiss":
      case "config.certsChanged":
        p.refresher.requestNow();
        return;
      case "attestation.noCertFound":
        uploadCerts();
        return;
      case "uuid.changed":
        // A controller that re-created the device knows none of its certs and no info yet.
        uploadCerts();
        p.info.trigger();
        p.poller.pollNow();
        return;
      case "config.received":
        return applyConfig(e.config, e.source);
      case "config.forbidden":
        p.attestation.requestRestart();
        return;
      case "config.notFound": {
        const t = now();
        if (t - lastUuidCheck < p.uuidRecheckMs) return;
        lastUuidCheck = t;
        void p.onboarder.recheckUuid();
        return;
      }
      case "config.epochChanged":
        p.info.trigger();
        return;
      case "config.pollStatus":
        board.update("config", { poll: { ...e.status } });
        return;
      case "info.queued":
        publishInfo();
        return;
    }
  };
}
