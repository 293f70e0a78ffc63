import { existsSync, readFileSync } from "node:fs";
import type { AgentConfig } from "./config/index.ts";
import { deviceLayout, type DeviceLayout } from "./state/index.ts";
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
import { AGENT_VERSION } from "./version.ts";

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

/**
 * Chooses the key backend with EVE's IsTpmEnabled rule for existing devices
 * (device cert present and no device.key.pem means TPM) and the configured
 * mode for new ones.
 */
function chooseBackend(cfg: AgentConfig, layout: DeviceLayout): DeviceKeyBackend {
  const hasCert = existsSync(layout.config.deviceCert);
  const hasSoftKey = existsSync(layout.config.deviceKey);
  if (hasCert && hasSoftKey) return softDeviceKeyBackend(layout);
  if (cfg.tpm.mode === "off") {
    if (hasCert) throw new StartupError(`tpm mode is off but ${layout.config.deviceCert} belongs to a TPM key (no device.key.pem)`);
    return softDeviceKeyBackend(layout);
  }
  const devicePath = cfg.tpm.tcti.startsWith("device:") ? cfg.tpm.tcti.slice("device:".length) || "/dev/tpmrm0" : undefined;
  if (cfg.tpm.mode === "auto" && devicePath && !existsSync(devicePath) && !hasCert) return softDeviceKeyBackend(layout);
  throw new StartupError("TPM backend is not available in this build");
}

export interface RunningAgent {
  done: Promise<void>;
  board: StatusBoard;
}

export async function runAgent(cfg: AgentConfig, log: Logger, signal: AbortSignal): Promise<void> {
  const layout = deviceLayout(cfg.root);
  const board = new StatusBoard(AGENT_VERSION, cfg.root);
  const status = startStatusServer(board, { socket: statusSocketPath(cfg), ...(cfg.status.tcp ? { tcp: cfg.status.tcp } : {}), log: log.child("status") });
  try {
    await waitForControllerFiles(layout, log, signal);
    if (signal.aborted) return;

    const backend = chooseBackend(cfg, layout);
    board.publish("tpm", { backend: backend.kind, mode: cfg.tpm.mode, ...(backend.kind === "soft" ? { hsmStatus: "DISABLED" } : {}) });
    const now = () => new Date();
    const device = await ensureDeviceIdentity(layout, backend, { now, log: log.child("identity") });
    if (backend.kind === "soft") await ensureSoftEdgeNodeCerts(layout, device, { now, log: log.child("identity") });
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

    await new Promise<void>((resolve) => signal.addEventListener("abort", () => resolve(), { once: true }));
  } finally {
    status.stop();
  }
}
