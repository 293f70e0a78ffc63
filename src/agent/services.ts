import { Attestation, edgeNodeCertsRequest } from "../attestation/index.ts";
import type { AgentConfig } from "../config/index.ts";
import type { ControllerCertStore, ControllerClient, EnvelopeKey, WireDump } from "../controller/index.ts";
import type { KeyIdentity } from "../identity/index.ts";
import type { DeviceUuid, Onboarder } from "../onboarding/index.ts";
import type { DeviceServices, Pkcs11Keys } from "../services/index.ts";
import { errorChain, type Logger } from "../shared/index.ts";
import type { DeviceLayout } from "../state/index.ts";
import type { StatusBoard } from "../status/index.ts";
import { ConfigPoller, DeferredQueue, InfoReporter } from "../sync/index.ts";
import type { TpmManager } from "../tpm/index.ts";
import { VaultManager } from "../vault/index.ts";
import { AGENT_VERSION } from "../version.ts";
import { CertRefresher } from "./certs-refresh.ts";
import { pageOutBootCode, unmapIdleCode } from "./compact.ts";
import { DeviceFacts } from "./facts.ts";
import { deviceInfoSource } from "./info-source.ts";
import { AgentEvents, reactions } from "./reactions.ts";
import { Settle } from "./settle.ts";
import { runTogether } from "./supervise.ts";

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
  /** The controller's wire dump, which records Keylime's exchanges too. */
  wireDump?: WireDump;
  /** The PKCS#11 module of [keys], for the keys service. */
  pkcs11?: Pkcs11Keys;
  /** The vault, opening since the device identity was known (openVault). */
  vault: OpeningVault;
}

export interface OpeningVault {
  manager: VaultManager;
  /** Settles once open() did; a failure is logged, the vault then stays locked or closed. */
  opened: Promise<void>;
}

/**
 * Starts opening the vault as soon as the device key is known: unsealing is
 * TPM work that needs neither the controller nor a UUID (EVE's vaultmgr runs
 * beside onboarding), so it overlaps the onboarding exchanges instead of
 * following them.
 */
export function openVault(cfg: AgentConfig, layout: DeviceLayout, log: Logger, device: KeyIdentity, tpm?: TpmManager): OpeningVault {
  const manager = new VaultManager({ layout, ...(tpm ? { tpm, deviceCertPoint: device.publicKey } : {}), fscrypt: cfg.vault.fscrypt, log });
  const opened = manager.open().then(
    () => undefined,
    (e) => log.error("vault did not open", { error: errorChain(e) }),
  );
  return { manager, opened };
}

/**
 * Everything that runs once the device has its UUID (docs/protocol.md#endpoints,
 * 11): vault, certificate upload, attestation, config polling and info
 * reports. Each is built here and only reports events; what one does about
 * another's event is decided in reactions.ts.
 */
export async function runServices(ctx: ServicesContext, signal: AbortSignal): Promise<void> {
  const { cfg, layout, board, log, certs, device, tpm } = ctx;
  // One group: when a service fails the others are aborted, their requests in flight included.
  const group = new AbortController();
  const client = ctx.client.scoped(group.signal);
  const deviceKey: EnvelopeKey = { signer: device, certDer: device.certificate.der };
  const uuid = () => ctx.uuid.require();
  const events = new AgentEvents();

  const vault = ctx.vault.manager;
  await ctx.vault.opened;

  // The keys, certificates and identity sockets for the device's own processes; they live as long as this run.
  // A failure there (a socket group that does not exist) must not keep the device from its controller.
  // Started once the services below have sent their first requests: setting up the sockets then overlaps the
  // TPM's and the controller's answers instead of delaying the first of them.
  // Their modules are loaded here rather than with the agent's: evaluating them at start would only delay the boot.
  let local: DeviceServices | undefined;
  const startLocal = async () => {
    if (group.signal.aborted || !cfg.services.enabled) return;
    try {
      const { startDeviceServices } = await import("../services/index.ts");
      if (group.signal.aborted) return;
      local = startDeviceServices({
        cfg,
        layout,
        log,
        ...(tpm ? { tpm } : {}),
        device,
        vault: () => vault.store,
        uuid: () => ctx.uuid.value,
        ...(ctx.pkcs11 ? { pkcs11: ctx.pkcs11 } : {}),
      });
    } catch (e) {
      log.error("device services did not start", { error: errorChain(e) });
    }
  };

  const queue = new DeferredQueue({
    dir: layout.persist.infoQueue,
    client,
    deviceKey,
    minMs: cfg.timers.deferredMinMs,
    maxMs: cfg.timers.deferredMaxMs,
    log: log.child("queue"),
    onResult: (item, result) => events.emit({ type: "queue.result", action: item.action, result }),
  });

  const refresher = new CertRefresher(client, certs, cfg.timers.certIntervalMs, log.child("certs"), () => events.emit({ type: "certs.refreshed" }));

  const attestation = new Attestation({
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
    onStatus: (status) => events.emit({ type: "attestation.status", status }),
    onTokenChanged: () => events.emit({ type: "attestation.tokenChanged" }),
    onCertMiss: () => events.emit({ type: "attestation.certMiss" }),
    onNoCertFound: () => events.emit({ type: "attestation.noCertFound" }),
  });

  const poller = new ConfigPoller({
    client,
    certs,
    deviceKey,
    token: () => attestation.token(),
    lastConfigPath: layout.persist.lastConfig,
    intervalMs: cfg.timers.configIntervalMs,
    log: log.child("config"),
    onConfig: (config, source) => events.emit({ type: "config.received", config, source }),
    onForbidden: () => events.emit({ type: "config.forbidden" }),
    onNotFound: () => events.emit({ type: "config.notFound" }),
    onCertMiss: () => events.emit({ type: "config.certMiss" }),
    onCertsChanged: () => events.emit({ type: "config.certsChanged" }),
    onEpochChanged: () => events.emit({ type: "config.epochChanged" }),
    onStatus: (status) => events.emit({ type: "config.pollStatus", status }),
  });

  const keylime = startKeylime(ctx);

  const facts = new DeviceFacts({ vault: () => vault.status(), attestation: () => attestation.status() });

  const info = new InfoReporter({
    source: deviceInfoSource({
      uuid,
      ...(ctx.serial ? { serial: ctx.serial } : {}),
      hsm: ctx.hsm,
      rootCertPath: layout.config.rootCert,
      attestation: () => attestation.status(),
      vault: () => vault.status(),
      maintenance: () => facts.maintenance(),
    }),
    // The status shows the reporter's counters once they are updated, right after the report is queued.
    queue: { enqueue: (item) => (queue.enqueue(item), queueMicrotask(() => void events.emit({ type: "info.queued" }))) },
    intervalMs: cfg.timers.deviceInfoIntervalMs,
    log: log.child("info"),
  });

  const settle = new Settle((reason) => {
    // The boot's garbage is worth a full collection; after a poll or a report the heap has barely changed (their
    // garbage goes as it is made) and a full collection would cost more CPU than it returns.
    if (reason === "boot") {
      // The JIT's raised start-up thresholds (src/cli.ts) are for the boot's run-once code; with the boot over, what
      // runs from now on is periodic and worth compiling. Doing it here rather than only at cli.ts's 30 s mark keeps a
      // poll that comes before that mark from compiling code the next settle then has to hand back.
      Bun.unsafe.setJITPolicy(1);
      Bun.gc(true);
    }
    try {
      // The boot's code is handed back for good; what the kernel keeps (pages other processes map too: libc,
      // libcrypto) and periodic work's code are only unmapped, as the next poll runs them again.
      const out = reason === "boot" ? pageOutBootCode() : undefined;
      const c = unmapIdleCode();
      log.debug("settled: code handed back", { after: reason, mappings: c.mappings, refused: (out?.refused || c.refused) ?? false });
    } catch (e) {
      log.debug("settled; handing code back failed", { after: reason, error: errorChain(e) });
    }
  });
  const react = reactions({
    board,
    log,
    facts,
    vault,
    attestation,
    poller,
    refresher,
    info,
    queue,
    certs,
    onboarder: ctx.onboarder,
    uuid,
    certsUploadBody: () => edgeNodeCertsRequest(layout, tpm?.ekPublic()),
    uuidRecheckMs: cfg.timers.uuidRecheckMs,
  });
  events.attach((e) => {
    settle.see(e);
    return react(e);
  });
  const stopVaultWatch = vault.onChange((status) => events.emit({ type: "vault.changed", status }));
  const stopUuidWatch = ctx.uuid.onChange((id) => events.emit({ type: "uuid.changed", uuid: id }));
  events.emit({ type: "services.started", offlineStart: ctx.offlineStart });
  const localStart = setImmediate(() => void startLocal());
  try {
    await runTogether(
      [
        { name: "info-queue", run: (s) => queue.run(s) },
        { name: "cert-refresh", run: (s) => refresher.run(s) },
        { name: "attestation", run: (s) => attestation.run(s) },
        { name: "config", run: (s) => poller.run(s) },
        { name: "info", run: (s) => info.run(s) },
        ...(keylime ? [keylime] : []),
      ],
      signal,
      log,
      group,
    );
  } finally {
    settle.stop();
    group.abort();
    clearImmediate(localStart);
    local?.stop();
    stopUuidWatch();
    // Still watched: the status shows the vault closed while the services are down.
    vault.close();
    stopVaultWatch();
  }
}

/**
 * The Keylime agent side when [keylime] is enabled: a service of the group
 * whose trouble stays in its status section and never fails EVE's services.
 */
function startKeylime(ctx: ServicesContext): { name: string; run: (s: AbortSignal) => Promise<void> } | undefined {
  const { cfg, tpm, board, log } = ctx;
  if (!cfg.keylime.enabled) return undefined;
  const klog = log.child("keylime");
  if (!tpm) {
    klog.error("[keylime] is enabled but the agent runs without a TPM; Keylime needs one");
    board.publish("keylime", {
      enabled: true,
      mode: cfg.keylime.mode,
      registrar: cfg.keylime.registrarUrl,
      registered: false,
      activated: false,
      registrationAttempts: 0,
      lastError: { kind: "keylime.no-tpm", message: "Keylime needs the TPM; the agent runs without one", at: new Date().toISOString() },
    });
    return undefined;
  }
  // Keylime's modules load only on devices that enable it.
  const run = async (s: AbortSignal) => {
    const { KeylimeAgent, keylimeMode } = await import("../keylime/index.ts");
    const mode = keylimeMode({
      cfg: cfg.keylime,
      log: klog,
      eventLogPath: cfg.eventLogPath,
      ...(ctx.wireDump ? { wireDump: ctx.wireDump } : {}),
      onExchange: (endpoint, status, ms) => board.meters.controllerRequest(`keylime-${endpoint}`, status, ms / 1000),
    });
    const agent = new KeylimeAgent({
      cfg: cfg.keylime,
      tpm,
      log: klog,
      onStatus: (st) => board.publish("keylime", st),
      ...(mode ? { mode } : {}),
      ...(ctx.wireDump ? { wireDump: ctx.wireDump } : {}),
    });
    await agent.run(s);
  };
  return {
    name: "keylime",
    run: (s) => run(s).catch((e) => klog.error("Keylime stopped", { error: errorChain(e) })),
  };
}
