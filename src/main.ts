import { existsSync, readFileSync } from "node:fs";
import { openWorkerTpm } from "../native/tss2/index.ts";
import { type OpeningVault, openVault, runServices } from "./agent/index.ts";
import { type AgentConfig, statusSocketPath } from "./config/index.ts";
import { baseUrlFromServerFile, ControllerCertStore, ControllerClient, controllerTrust, WireDump } from "./controller/index.ts";
import {
  type DeviceKeyBackend,
  ensureDeviceIdentity,
  ensureSoftEdgeNodeCerts,
  ensureTpmEdgeNodeCerts,
  hardwareSerial,
  loadOnboardingIdentity,
  softDeviceKeyBackend,
  softSerial,
  tpmDeviceKeyBackend,
  tpmKeyStatus,
} from "./identity/index.ts";
import { DeviceUuid, fetchControllerCerts, Onboarder, readPersistedUuid } from "./onboarding/index.ts";
import { type ParsedCert, parseCertificatesPem } from "./pki/index.ts";
import type { Pkcs11Keys } from "./services/index.ts";
import { AgentError, errorChain, type Logger, sdNotifier, sleep } from "./shared/index.ts";
import { acquireInstanceLock, type DeviceLayout, deviceLayout, removeStaleTempFiles } from "./state/index.ts";
import { StatusBoard, startStatusServer } from "./status/index.ts";
import { type ManagerOptions, selectTpm, type TpmError, type TpmManager, tctiDevicePath } from "./tpm/index.ts";
import { AGENT_VERSION } from "./version.ts";

export class StartupError extends AgentError {
  constructor(message: string, options?: { cause?: unknown }) {
    super("startup", message, options);
  }
}

/** Blocks until the installer-provided controller files exist (docs/state-machines.md#start-up). */
async function waitForControllerFiles(layout: DeviceLayout, log: Logger, signal: AbortSignal): Promise<void> {
  let warned = false;
  while (!signal.aborted && !(existsSync(layout.config.server) && existsSync(layout.config.rootCert))) {
    if (!warned) log.warn("waiting for /config/server and /config/root-certificate.pem");
    warned = true;
    await sleep(1000, signal);
  }
}

interface Backend {
  keys: DeviceKeyBackend;
  tpm?: TpmManager;
  /** HwSecurityModuleStatus as EVE reports it. */
  hsmStatus: "ENABLED" | "DISABLED" | "NOTFOUND";
  hsmInfo?: string;
  softwareTpm?: boolean;
}

/**
 * Chooses the key backend with EVE's IsTpmEnabled rule for existing devices
 * (device cert present and no device.key.pem means TPM) and the configured
 * mode for new ones. `auto` falls back to software keys only when no TPM
 * device exists, never after a TPM error.
 */
async function chooseBackend(
  cfg: AgentConfig,
  layout: DeviceLayout,
  log: Logger,
  events: Required<Pick<ManagerOptions, "onLost" | "onReconnected" | "onOperation" | "onRetry">>,
  p11: Pkcs11Keys | undefined,
): Promise<Backend> {
  if (cfg.identity.pk) {
    // identity_pk = key://NAME: the device key is a preloaded PKCS#11 key and the TPM is not used for identity.
    if (!p11) throw new StartupError("identity.identity_pk needs the PKCS#11 module of [keys]");
    const { pkcs11DeviceKeyBackend } = await import("./services/index.ts");
    const cert = cfg.identity.cert ? cfg.certs.preloaded[cfg.identity.cert] : undefined;
    return { keys: pkcs11DeviceKeyBackend(p11, cfg.keys.preloaded[cfg.identity.pk]!, cert), hsmStatus: "DISABLED", hsmInfo: `PKCS#11 ${p11.module.path}` };
  }
  const hasCert = existsSync(layout.config.deviceCert);
  const hasSoftKey = existsSync(layout.config.deviceKey);
  const dev = tctiDevicePath(cfg.tpm.tcti);
  const tpmPresent = dev === undefined || existsSync(dev);
  const soft = (): Backend => ({ keys: softDeviceKeyBackend(layout), hsmStatus: tpmPresent ? "DISABLED" : "NOTFOUND" });
  if (hasCert && hasSoftKey) return soft();
  if (cfg.tpm.mode === "off") {
    if (hasCert) throw new StartupError(`tpm mode is off but ${layout.config.deviceCert} belongs to a TPM key (no device.key.pem)`);
    return soft();
  }
  const tpm = await selectTpm(cfg.tpm.mode, {
    tcti: cfg.tpm.tcti,
    connect: openWorkerTpm,
    log: log.child("tpm"),
    reconnectAttempts: cfg.tpm.reconnectAttempts,
    reconnectDelayMs: cfg.timers.tpmReconnectMs,
    ...events,
  });
  if (!tpm) {
    if (hasCert) throw new StartupError(`no TPM at ${dev} but ${layout.config.deviceCert} belongs to a TPM key`);
    return soft();
  }
  const info = await tpm.info();
  return { keys: tpmDeviceKeyBackend(layout, tpm, log.child("identity")), tpm, hsmStatus: "ENABLED", hsmInfo: info.hsmInfo, softwareTpm: info.software };
}

const STARTUP_RETRY_MS = 30_000;

/**
 * Runs the agent until `signal` aborts. The one-agent-per-device lock comes
 * first: a second instance must not touch the socket, the TPM or any file
 * (it would flush the first one's handles and race its onboarding). The
 * status endpoint comes up next and stays up; a failed start (bad files, TPM
 * trouble) is published there and retried, never a crash loop that leaves
 * the operator blind.
 */
export async function runAgent(cfg: AgentConfig, log: Logger, signal: AbortSignal): Promise<void> {
  const layout = deviceLayout(cfg.root);
  const lock = acquireInstanceLock(layout.run.instanceLock);
  try {
    // Only safe under the lock: no other agent can be half-way through a write.
    removeStaleTempFiles(layout, log.child("state"));
    const board = new StatusBoard(AGENT_VERSION, cfg.root);
    const status = startStatusServer(board, { socket: statusSocketPath(cfg), ...(cfg.status.tcp ? { tcp: cfg.status.tcp } : {}), log: log.child("status") });
    // systemd (Type=notify) counts the agent as started once its status socket answers.
    const systemd = sdNotifier(log.child("sd-notify"));
    systemd.ready();
    try {
      while (!signal.aborted) {
        try {
          await runDevice(cfg, layout, board, log, signal);
          return;
        } catch (e) {
          if (signal.aborted) return;
          if (e instanceof AgentError && FATAL_KINDS.has(e.kind)) throw e;
          const message = errorChain(e);
          log.error("start-up failed; retrying", { error: message, retryInMs: STARTUP_RETRY_MS });
          board.update("device", {
            lastError: { kind: e instanceof AgentError ? e.kind : "startup", message, at: new Date().toISOString() },
            onboarded: false,
          });
          await sleep(STARTUP_RETRY_MS, signal);
        }
      }
    } finally {
      systemd.stopping();
      status.stop();
    }
  } finally {
    lock.release();
  }
}

/** Errors a restart inside this process cannot mend; the process exits for its supervisor. */
const FATAL_KINDS = new Set(["tpm.lost"]);

async function runDevice(cfg: AgentConfig, layout: DeviceLayout, board: StatusBoard, log: Logger, parent: AbortSignal): Promise<void> {
  let tpm: TpmManager | undefined;
  // Everything this attempt starts (the onboarding loop included) ends with it, so a retry never runs beside leftovers.
  const attempt = new AbortController();
  const signal = AbortSignal.any([parent, attempt.signal]);
  let confirmation: Promise<void> | undefined;
  let lost: TpmError | undefined;
  let p11: Pkcs11Keys | undefined;
  let opening: Promise<Backend> | undefined;
  let vault: OpeningVault | undefined;
  try {
    await waitForControllerFiles(layout, log, signal);
    if (signal.aborted) return;
    // The services' modules load only for a PKCS#11 module here; a boot without one evaluates them after trusted.
    if (cfg.keys.pkcs11LibPath) p11 = await (await import("./services/index.ts")).Pkcs11Keys.open(cfg.keys, log.child("keys"));
    // The TPM Worker starts and loads the keys on its own thread; meanwhile this one reads the controller's files,
    // its cert checkpoint and sends GET /certs, none of which needs the device key.
    opening = chooseBackend(
      cfg,
      layout,
      log,
      {
        onLost: (e) => {
          lost = e;
          attempt.abort(e);
        },
        onReconnected: (n) => board.update("tpm", { reconnects: n }),
        onOperation: (operation, result, ms) => board.meters.tpmOperation(operation, result, ms / 1000),
        onRetry: (command) => board.meters.tpmRetry(command),
      },
      p11,
    );
    // Awaited below; on an early throw the finally still closes what it opened.
    opening.then(
      (b) => {
        tpm = b.tpm;
      },
      () => undefined,
    );

    const serial = hardwareSerial(cfg.serial ? { override: cfg.serial } : {});
    const soft = softSerial(layout.config.softSerial);
    let previousUuid: string | undefined;
    try {
      previousUuid = readPersistedUuid(layout);
    } catch (e) {
      log.error("persisted UUID is corrupt; onboarding again", { error: errorChain(e) });
    }
    const uuid = new DeviceUuid(previousUuid);
    board.update("device", { ...(serial ? { serial } : {}), ...(soft ? { softSerial: soft } : {}), ...(previousUuid ? { uuid: previousUuid } : {}) });

    const server = readFileSync(layout.config.server, "utf8");
    const rootPem = readFileSync(layout.config.rootCert, "utf8");
    let roots: ParsedCert[];
    try {
      roots = parseCertificatesPem(rootPem);
    } catch (e) {
      throw new StartupError(`${layout.config.rootCert} does not parse`, { cause: e });
    }
    // One dump for the controller's exchanges and Keylime's, numbered in one sequence.
    const wireDump = cfg.wireDumpDir
      ? new WireDump(cfg.wireDumpDir, {
          maxBytes: cfg.wireDumpMaxBytes,
          log: log.child("wiredump"),
          onState: (s) => board.update("controller", { wireDump: s }),
        })
      : undefined;
    const client = new ControllerClient({
      base: baseUrlFromServerFile(server),
      transport: {
        ca: controllerTrust(rootPem),
        dialTimeoutMs: cfg.timers.dialTimeoutMs,
        sendTimeoutMs: cfg.timers.sendTimeoutMs,
        maxResponseBytes: cfg.maxResponseBytes,
      },
      log: log.child("controller"),
      ...(wireDump ? { wireDump } : {}),
      serials: () => ({ ...(serial ? { serial } : {}), ...(soft ? { softSerial: soft } : {}) }),
      onExchange: (action, status, ms) => board.meters.controllerRequest(action, status, ms / 1000),
    }).scoped(signal);
    board.update("controller", { server: server.trim() });
    const certs = new ControllerCertStore(layout.persist.controllerCerts, () => roots, log.child("certs"));
    const loaded = await certs.loadCheckpoint();
    if (loaded) board.update("controller", { certsFrom: "checkpoint", signingCert: loaded.signing.cert.subject });
    const certsFetch = fetchControllerCerts(client, certs);

    const backend = await opening;
    board.publish("tpm", {
      backend: backend.keys.kind,
      mode: cfg.tpm.mode,
      ...(backend.tpm ? { tcti: cfg.tpm.tcti } : {}),
      hsmStatus: backend.hsmStatus,
      ...(backend.hsmInfo ? { hsmInfo: backend.hsmInfo } : {}),
      ...(backend.softwareTpm ? { warning: "software TPM: no hardware assurance" } : {}),
    });
    const now = () => new Date();
    const device = await ensureDeviceIdentity(layout, backend.keys, { now, log: log.child("identity") });
    vault = openVault(cfg, layout, log, device, backend.tpm);
    if (backend.tpm) board.update("tpm", tpmKeyStatus(backend.tpm));
    if (backend.tpm) await ensureTpmEdgeNodeCerts(layout, device, backend.tpm, { now, log: log.child("identity") });
    else await ensureSoftEdgeNodeCerts(layout, device, { now, log: log.child("identity") });
    const onboarding = loadOnboardingIdentity(layout);

    const onboarder = new Onboarder({
      layout,
      client,
      certs,
      device,
      ...(onboarding ? { onboarding } : {}),
      uuid,
      log: log.child("onboarding"),
      backoff: { initialMs: cfg.timers.backoffInitialMs, maxMs: cfg.timers.backoffMaxMs },
      fastPathMs: cfg.timers.fastPathMs,
      onStatus: (s) => board.publish("onboarding", { ...s }),
      certsFetch,
    });
    const result = await onboarder.run(signal);
    confirmation = result.confirmation;
    client.setDeviceUuid(result.uuid);
    board.update("device", { uuid: result.uuid, onboarded: true });
    uuid.onChange((u) => board.update("device", { uuid: u }));
    if (certs.certs) board.update("controller", { signingCert: certs.certs.signing.cert.subject, certCount: certs.certs.hashes.length });

    board.update("device", { lastError: undefined });
    await runServices(
      {
        cfg,
        layout,
        board,
        log,
        client,
        certs,
        device,
        ...(backend.tpm ? { tpm: backend.tpm } : {}),
        hsm: { status: backend.hsmStatus, ...(backend.hsmInfo ? { info: backend.hsmInfo } : {}) },
        uuid,
        ...(serial ? { serial } : {}),
        onboarder,
        offlineStart: result.via === "fast-path",
        ...(wireDump ? { wireDump } : {}),
        ...(p11 ? { pkcs11: p11 } : {}),
        vault,
      },
      signal,
    );
  } finally {
    attempt.abort();
    await confirmation?.catch(() => undefined);
    // The vault is closed after its open() settled, so a late unseal cannot unlock a vault this attempt left.
    if (vault) {
      await vault.opened;
      vault.manager.close();
    }
    await opening?.catch(() => undefined);
    await tpm?.close().catch(() => undefined);
    await p11?.close().catch(() => undefined);
  }
  // Services wind down quietly on abort; the reason they were stopped is what the caller must see.
  if (lost) throw lost;
}
