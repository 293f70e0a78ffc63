import { existsSync, readFileSync } from "node:fs";
import type { AgentConfig } from "./config/index.ts";
import { deviceLayout, removeStaleTempFiles, type DeviceLayout } from "./state/index.ts";
import { AgentError, errorChain, sleep, type Logger } from "./shared/index.ts";
import { StatusBoard, startStatusServer } from "./status/index.ts";
import {
  ControllerClient,
  ControllerCertStore,
  WireDump,
  baseUrlFromServerFile,
  controllerTrust,
} from "./controller/index.ts";
import { parseCertificatesPem, type ParsedCert } from "./pki/index.ts";
import {
  ensureDeviceIdentity,
  ensureSoftEdgeNodeCerts,
  hardwareSerial,
  loadOnboardingIdentity,
  softDeviceKeyBackend,
  softSerial,
  type DeviceKeyBackend,
} from "./identity/index.ts";
import { Onboarder, readPersistedUuid } from "./onboarding/index.ts";
import { selectTpm, tctiDevicePath, type TpmManager } from "./tpm/index.ts";
import { openWorkerTpm } from "../native/tss2/index.ts";
import { ensureTpmEdgeNodeCerts, tpmDeviceKeyBackend } from "./identity/index.ts";
import { AGENT_VERSION } from "./version.ts";
import { runServices } from "./agent/services.ts";

export class StartupError extends AgentError {
  constructor(message: string, options?: { cause?: unknown }) {
    super("startup", message, options);
  }
}

export function statusSocketPath(cfg: AgentConfig): string {
  return cfg.status.socket === "/run/edge-agent/status.sock" ? deviceLayout(cfg.root).run.statusSocket : cfg.status.socket;
}

/** Blocks until the installer-provided controller files exist (eve-protocol.md 4.2 step 2). */
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
async function chooseBackend(cfg: AgentConfig, layout: DeviceLayout, log: Logger): Promise<Backend> {
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
  const tpm = await selectTpm(cfg.tpm.mode, { tcti: cfg.tpm.tcti, connect: openWorkerTpm, log: log.child("tpm") });
  if (!tpm) {
    if (hasCert) throw new StartupError(`no TPM at ${dev} but ${layout.config.deviceCert} belongs to a TPM key`);
    return soft();
  }
  const info = await tpm.info();
  return { keys: tpmDeviceKeyBackend(layout, tpm, log.child("identity")), tpm, hsmStatus: "ENABLED", hsmInfo: info.hsmInfo, softwareTpm: info.software };
}

export interface RunningAgent {
  done: Promise<void>;
  board: StatusBoard;
}

const STARTUP_RETRY_MS = 30_000;

/**
 * Runs the agent until `signal` aborts. The status endpoint comes up first
 * and stays up; a failed start (bad files, TPM trouble) is published there
 * and retried, never a crash loop that leaves the operator blind.
 */
export async function runAgent(cfg: AgentConfig, log: Logger, signal: AbortSignal): Promise<void> {
  const layout = deviceLayout(cfg.root);
  const board = new StatusBoard(AGENT_VERSION, cfg.root);
  const status = startStatusServer(board, { socket: statusSocketPath(cfg), ...(cfg.status.tcp ? { tcp: cfg.status.tcp } : {}), log: log.child("status") });
  try {
    while (!signal.aborted) {
      try {
        await runDevice(cfg, layout, board, log, signal);
        return;
      } catch (e) {
        if (signal.aborted) return;
        const message = errorChain(e);
        log.error("start-up failed; retrying", { error: message, retryInMs: STARTUP_RETRY_MS });
        board.update("device", { error: message, onboarded: false });
        await sleep(STARTUP_RETRY_MS, signal);
      }
    }
  } finally {
    status.stop();
  }
}

async function runDevice(cfg: AgentConfig, layout: DeviceLayout, board: StatusBoard, log: Logger, signal: AbortSignal): Promise<void> {
  // (single-instance lock held)
  removeStaleTempFiles(layout, log.child("state"));
  let tpm: TpmManager | undefined;
  try {
    await waitForControllerFiles(layout, log, signal);
    if (signal.aborted) return;
    const backend = await chooseBackend(cfg, layout, log);
    tpm = backend.tpm;
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
    if (backend.tpm) await ensureTpmEdgeNodeCerts(layout, device, backend.tpm, { now, log: log.child("identity") });
    else await ensureSoftEdgeNodeCerts(layout, device, { now, log: log.child("identity") });
    const onboarding = loadOnboardingIdentity(layout);

    const serial = hardwareSerial(cfg.serial ? { override: cfg.serial } : {});
    const soft = softSerial(layout.config.softSerial);
    let previousUuid: string | undefined;
    try {
      previousUuid = readPersistedUuid(layout);
    } catch (e) {
      log.error("persisted UUID is corrupt; onboarding again", { error: errorChain(e) });
    }
    board.update("device", { ...(serial ? { serial } : {}), ...(soft ? { softSerial: soft } : {}), ...(previousUuid ? { uuid: previousUuid } : {}) });

    const server = readFileSync(layout.config.server, "utf8");
    const rootPem = readFileSync(layout.config.rootCert, "utf8");
    let roots: ParsedCert[];
    try {
      roots = parseCertificatesPem(rootPem);
    } catch (e) {
      throw new StartupError(`${layout.config.rootCert} does not parse`, { cause: e });
    }
    const client = new ControllerClient({
      base: baseUrlFromServerFile(server),
      transport: {
        ca: controllerTrust(rootPem),
        dialTimeoutMs: cfg.timers.dialTimeoutMs,
        sendTimeoutMs: cfg.timers.sendTimeoutMs,
        maxResponseBytes: cfg.maxResponseBytes,
      },
      log: log.child("controller"),
      ...(cfg.wireDumpDir ? { wireDump: new WireDump(cfg.wireDumpDir) } : {}),
      serials: () => ({ ...(serial ? { serial } : {}), ...(soft ? { softSerial: soft } : {}) }),
    });
    board.publish("controller", { server: server.trim() });
    const certs = new ControllerCertStore(layout.persist.controllerCerts, () => roots, log.child("certs"));
    const loaded = await certs.loadCheckpoint();
    if (loaded) board.update("controller", { certsFrom: "checkpoint", signingCert: loaded.signing.cert.subject });

    const onboarder = new Onboarder({
      layout,
      client,
      certs,
      device,
      ...(onboarding ? { onboarding } : {}),
      ...(previousUuid ? { previousUuid } : {}),
      log: log.child("onboarding"),
      backoff: { initialMs: cfg.timers.backoffInitialMs, maxMs: cfg.timers.backoffMaxMs },
      fastPathMs: cfg.timers.fastPathMs,
      onStatus: (s) => board.publish("onboarding", { ...s }),
    });
    const result = await onboarder.run(signal);
    client.setDeviceUuid(result.uuid);
    board.update("device", { uuid: result.uuid, onboarded: true });
    if (certs.certs) board.update("controller", { signingCert: certs.certs.signing.cert.subject, certCount: certs.certs.hashes.length });

    board.update("device", { error: undefined });
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
        uuid: result.uuid,
        ...(serial ? { serial } : {}),
        onboarder,
        offlineStart: result.via === "fast-path",
      },
      signal,
    );
  } finally {
    await tpm?.close().catch(() => undefined);
  }
}
