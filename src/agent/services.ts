import type { AgentConfig } from "../config/index.ts";
import type { ControllerCertStore, ControllerClient, EnvelopeKey } from "../controller/index.ts";
import type { KeyIdentity } from "../identity/index.ts";
import type { DeviceUuid, Onboarder } from "../onboarding/index.ts";
import type { TpmManager } from "../tpm/index.ts";
import { VaultManager, type VaultStatus } from "../vault/index.ts";
import { Attestation, edgeNodeCertsRequest, type AttestationStatus } from "../attestation/index.ts";
import { ConfigPoller, DeferredQueue, InfoReporter } from "../sync/index.ts";
import { codec, MaintenanceModeReason, timestampToDate, type EdgeDevConfig } from "../protocol/index.ts";
import type { StatusBoard } from "../status/index.ts";
import type { DeviceLayout } from "../state/index.ts";
import { errorChain, type Logger } from "../shared/index.ts";
import { CertRefresher } from "./certs-refresh.ts";
import { deviceInfoSource } from "./info-source.ts";
import { AGENT_VERSION } from "../version.ts";
import { runTogether } from "./supervise.ts";

/** Vault entry holding the last applied EdgeDevConfig. */
export const CONFIG_ENTRY = "config.current";

export interface ServicesContext {
  cfg: AgentConfig;
  layout: DeviceLayout;
  board: StatusBoard;
  log: Logger;
  client: ControllerClient;
  certs: ControllerCertStore;
  device: KeyIdentity;
  tpm?: TpmManager;
  hsm: { status: "ENABLED" | "DISABLED" | "NOTFOUND"; info?: string };
  /** The one source of the device UUID; the onboarder writes it, services read or subscribe. */
  uuid: DeviceUuid;
  serial?: string;
  onboarder: Onboarder;
  /** Onboarding came through the offline fast path: refresh certs as soon as the controller answers. */
  offlineStart: boolean;
}

/**
 * Everything that runs once the device has its UUID (eve-protocol.md 7-9,
 * 11): vault, certificate upload, attestation, config polling and info
 * reports, wired so each reacts to the others as EVE's agents do.
 */
export async function runServices(ctx: ServicesContext, signal: AbortSignal): Promise<void> {
  const { cfg, layout, board, log, certs, device, tpm } = ctx;
  // One group: when a service fails the others are aborted, their requests in flight included.
  const group = new AbortController();
  const client = ctx.client.scoped(group.signal);
  const deviceKey: EnvelopeKey = { signer: device, certDer: device.certificate.der };
  const uuid = () => ctx.uuid.require();

  const vault = new VaultManager({ layout, ...(tpm ? { tpm, deviceCertPoint: device.publicKey } : {}), log });
  let attestation: Attestation | undefined;
  let info: InfoReporter | undefined;
  let certsRefused = false;
  let certUpload: Record<string, unknown> = {};
  // Published whole (not merged) so a cleared error really disappears from the status.
  const publishAttestation = (s: AttestationStatus | undefined = attestation?.status()) => {
    if (s) board.publish("attestation", { ...s, ...certUpload });
  };
  let configOk = false;

  // Info goes out when what it reports changes, not on every internal step.
  let infoShape = "";
  const infoChanged = () => {
    const a = attestation?.status();
    const v = vault.status();
    const shape = JSON.stringify([a?.stateNumber, a?.lastError?.message, v.status, v.locked, v.error, maintenance()]);
    if (shape === infoShape) return;
    infoShape = shape;
    info?.trigger();
  };
  const maintenance = (): number[] => {
    const reasons: number[] = [];
    const v = vault.status();
    if (v.locked) reasons.push(MaintenanceModeReason.MAINTENANCE_MODE_REASON_VAULT_LOCKED_UP);
    if (certsRefused && configOk) reasons.push(MaintenanceModeReason.MAINTENANCE_MODE_REASON_EDGE_NODE_CERTS_REFUSED);
    const a = attestation?.status();
    if (a?.lastError?.kind === "quote.tpm") reasons.push(MaintenanceModeReason.MAINTENANCE_MODE_REASON_TPM_QUOTE_FAILURE);
    return reasons;
  };
  const reasonName = (r: number) => Object.entries(MaintenanceModeReason).find(([, v]) => v === r)?.[0] ?? String(r);
  const publishMaintenance = () => board.update("device", { maintenanceReasons: maintenance().map(reasonName) });

  vault.onChange((s: VaultStatus) => {
    board.publish("vault", { ...s });
    publishMaintenance();
    infoChanged();
  });
  try {
    await vault.open();
  } catch (e) {
    log.error("vault did not open", { error: errorChain(e) });
  }
  board.publish("vault", { ...vault.status() });

  const queue = new DeferredQueue({
    dir: layout.persist.infoQueue,
    client,
    deviceKey,
    minMs: cfg.timers.deferredMinMs,
    maxMs: cfg.timers.deferredMaxMs,
    log: log.child("queue"),
    onResult: (item, result) => {
      if (!item.key.startsWith("attest:")) return;
      if (result.outcome === "delivered") certsRefused = false;
      else if (result.outcome === "dropped") {
        // A controller answers 4xx when it will not take these certs (e.g. /persist was wiped).
        certsRefused = true;
        log.error("controller refused the edge node certificates", { status: result.status });
      }
      certUpload = { certUpload: result.outcome, ...("status" in result && result.status !== undefined ? { certUploadStatus: result.status } : {}) };
      publishAttestation();
      publishMaintenance();
      infoChanged();
    },
  });

  const uploadCerts = () => {
    queue.enqueue({ key: `attest:${uuid()}`, action: "attest", payload: edgeNodeCertsRequest(layout, tpm?.ekPublic()) });
  };

  const refresher = new CertRefresher(client, certs, cfg.timers.certIntervalMs, log.child("certs"), () => {
    board.update("controller", { signingCert: certs.certs?.signing.cert.subject, certCount: certs.certs?.hashes.length, certsRefreshedAt: new Date().toISOString() });
    poller.certsRefreshed();
  });

  attestation = new Attestation({
    layout,
    client,
    device,
    certs,
    ...(tpm ? { tpm } : {}),
    vault: {
      escrowEnabled: vault.tpmEnabled,
      escrowBlob: () => vault.escrow()?.key,
      onEscrowReady: (listener) => vault.onEscrowReady(() => listener()),
      acceptControllerKeys: async (keys) => {
        await vault.acceptControllerKeys(keys);
      },
      escrowAcknowledged: () => vault.escrowAcknowledged(),
    },
    evidence: { eventLogPath: cfg.eventLogPath, eveReleasePath: cfg.eveReleasePath, configDir: layout.config.dir, agentVersion: AGENT_VERSION },
    retryMs: cfg.timers.attestRetryMs,
    log: log.child("attestation"),
    onStatus: (s: AttestationStatus) => {
      publishAttestation(s);
      publishMaintenance();
      infoChanged();
    },
    // Each poll is a TPM signature: only a new token value, not any status, asks for config early.
    onTokenChanged: () => poller.pollNow(),
    onCertMiss: () => refresher.requestNow(),
    onNoCertFound: () => uploadCerts(),
  });

  let lastUuidCheck = 0;
  // A controller that re-created the device knows none of its certs and no info yet.
  const stopUuidWatch = ctx.uuid.onChange(() => {
    uploadCerts();
    info?.trigger();
    poller.pollNow();
  });
  const poller: ConfigPoller = new ConfigPoller({
    client,
    certs,
    deviceKey,
    token: () => attestation!.token(),
    lastConfigPath: layout.persist.lastConfig,
    intervalMs: cfg.timers.configIntervalMs,
    log: log.child("config"),
    onConfig: async (c: EdgeDevConfig, source) => {
      configOk = true;
      // The applied config is kept at rest in the vault, as EVE keeps device data there.
      if (!vault.status().locked) {
        try {
          await vault.store.put(CONFIG_ENTRY, codec.EdgeDevConfig.encode(c));
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
      publishMaintenance();
    },
    onForbidden: () => attestation!.requestRestart(),
    onNotFound: () => {
      const now = Date.now();
      if (now - lastUuidCheck < cfg.timers.uuidRecheckMs) return;
      lastUuidCheck = now;
      void ctx.onboarder.recheckUuid();
    },
    onCertMiss: () => refresher.requestNow(),
    onCertsChanged: () => refresher.requestNow(),
    onEpochChanged: () => info?.trigger(),
    onStatus: (s) => board.update("config", { poll: { ...s } }),
  });

  info = new InfoReporter({
    source: deviceInfoSource({
      uuid,
      ...(ctx.serial ? { serial: ctx.serial } : {}),
      hsm: ctx.hsm,
      rootCertPath: layout.config.rootCert,
      attestation: () => attestation?.status(),
      vault: () => vault.status(),
      maintenance,
    }),
    queue,
    intervalMs: cfg.timers.deviceInfoIntervalMs,
    log: log.child("info"),
  });

  // The cert upload goes first so the controller holds the attestation cert before the quote.
  uploadCerts();
  if (ctx.offlineStart) refresher.requestNow();
  const publishInfo = () => board.update("info", { ...info!.status, queue: queue.status });
  publishInfo();
  const statusTick = setInterval(publishInfo, 1000);
  try {
    await runTogether(
      [
        { name: "info-queue", run: (s) => queue.run(s) },
        { name: "cert-refresh", run: (s) => refresher.run(s) },
        { name: "attestation", run: (s) => attestation.run(s) },
        { name: "config", run: (s) => poller.run(s) },
        { name: "info", run: (s) => info!.run(s) },
      ],
      signal,
      log,
      group,
    );
  } finally {
    group.abort();
    stopUuidWatch();
    clearInterval(statusTick);
    vault.close();
  }
}
