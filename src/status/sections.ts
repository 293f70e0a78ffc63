import type { AttestationStatus } from "../attestation/index.ts";
import type { WireDumpState } from "../controller/index.ts";
import type { KeylimeStatus } from "../keylime/index.ts";
import type { OnboardingStatus } from "../onboarding/index.ts";
import type { ConfigPollStatus, ConfigSource, DeliveryResult, InfoStatus, QueueStatus } from "../sync/index.ts";
import type { KeyOrigin, TpmMode } from "../tpm/index.ts";
import type { VaultStatus } from "../vault/index.ts";

/**
 * The one error shape of the status document: the error's `kind` (an
 * AgentError kind such as "controller.refused"), its message and the ISO time
 * it was first seen.
 */
export interface StatusError {
  kind: string;
  message: string;
  at: string;
}

export interface AgentSection {
  version: string;
  pid: number;
  startedAt: string;
  uptimeSeconds: number;
}

export interface DeviceSection {
  /** The device root holding config/, persist/ and run/. */
  root: string;
  uuid?: string;
  onboarded: boolean;
  serial?: string;
  softSerial?: string;
  hardwareModel?: string;
  /** Why the last start-up attempt failed; cleared once the device is onboarded. */
  lastError?: StatusError;
  /** EVE's MaintenanceModeReason names the device reports in its info. */
  maintenanceReasons?: string[];
}

/** The wire dump as the document shows it: its error in the one shape. */
export interface WireDumpSection {
  dir: string;
  maxBytes: number;
  exchanges?: number;
  bytes?: number;
  lastError?: StatusError;
}

export interface ControllerSection {
  /** Content of /config/server. */
  server?: string;
  /** Set when the controller certs came from the checkpoint before any controller answered. */
  certsFrom?: "checkpoint";
  signingCert?: string;
  certCount?: number;
  certsRefreshedAt?: string;
  wireDump?: WireDumpSection;
}

/** What the controller section is fed with: the wire dump's own state. */
export type ControllerReport = Omit<ControllerSection, "wireDump"> & { wireDump?: WireDumpState };

export interface TpmSection {
  /** Where the device key lives. */
  backend: "tpm" | "soft" | "pkcs11";
  mode: TpmMode;
  tcti?: string;
  /** HwSecurityModuleStatus as EVE reports it. */
  hsmStatus: "ENABLED" | "DISABLED" | "NOTFOUND";
  hsmInfo?: string;
  warning?: string;
  /** TPM connections replaced after a timeout or a TCTI failure. */
  reconnects?: number;
  deviceKey?: KeyOrigin;
  ecdhKey?: KeyOrigin;
  deviceKeyWarning?: string;
}

export interface AttestationSection extends AttestationStatus {
  /** How the last edge-node certificate upload ended. */
  certUpload?: DeliveryResult["outcome"];
  certUploadStatus?: number;
}

/** The vault as the document shows it: VaultStatus with its error in the one shape. */
export type VaultSection = Omit<VaultStatus, "error" | "errorKind" | "errorAt"> & { lastError?: StatusError };

export interface ConfigSection {
  /** A config was applied since the agent started. */
  received?: boolean;
  source?: ConfigSource;
  version?: string;
  deviceName?: string;
  configTimestamp?: string;
  items?: number;
  poll?: ConfigPollStatus;
}

export interface InfoSection extends InfoStatus {
  queue: QueueStatus;
}

/** The Keylime agent side: registration with the registrar, then pull or push attestation. */
export type KeylimeSection = KeylimeStatus;

/**
 * What each component hands the board, in its own status type. The board
 * turns them into the document's sections (see toSection).
 */
export interface SectionReports {
  device: DeviceSection;
  onboarding: OnboardingStatus;
  controller: ControllerReport;
  tpm: TpmSection;
  attestation: AttestationSection;
  vault: VaultStatus;
  config: ConfigSection;
  info: InfoSection;
  keylime: KeylimeSection;
}

export type StatusSection = keyof SectionReports;

/**
 * GET /v1/status. A section is empty ({}) until its component first reports,
 * hence the Partials; none of them may carry secrets.
 */
export interface StatusDocument {
  apiVersion: "v1";
  agent: AgentSection;
  device: DeviceSection;
  onboarding: Partial<OnboardingStatus>;
  controller: ControllerSection;
  tpm: Partial<TpmSection>;
  attestation: Partial<AttestationSection>;
  vault: Partial<VaultSection>;
  config: ConfigSection;
  info: Partial<InfoSection>;
  /** Empty while [keylime] is off. */
  keylime: Partial<KeylimeSection>;
}

export type Sections = Omit<StatusDocument, "apiVersion" | "agent">;

/** Keeps the time an error was first seen while the same error is reported again. */
function since(previous: StatusError | undefined, kind: string, message: string, now: Date): StatusError {
  return previous && previous.kind === kind && previous.message === message ? previous : { kind, message, at: now.toISOString() };
}

/** The wire dump writes "kind: message" when it refuses its directory, a bare message when a write failed. */
function wireDumpSection(s: WireDumpState, previous: WireDumpSection | undefined, now: Date): WireDumpSection {
  const { error, ...rest } = s;
  if (error === undefined) return rest;
  const m = /^([a-z]+(?:\.[a-z-]+)+): (.*)$/s.exec(error);
  return { ...rest, lastError: since(previous?.lastError, m ? m[1]! : "wiredump.write", m ? m[2]! : error, now) };
}

type Adapter<K extends StatusSection> = (report: SectionReports[K], previous: Sections[K], now: Date) => Sections[K];

/** How each report becomes its section: errors take the one shape, the rest is the report itself. */
export const TO_SECTION: { [K in StatusSection]: Adapter<K> } = {
  device: (r) => r,
  onboarding: (r) => r,
  controller: ({ wireDump, ...rest }, previous, now) => (wireDump ? { ...rest, wireDump: wireDumpSection(wireDump, previous.wireDump, now) } : rest),
  tpm: (r) => r,
  attestation: (r) => r,
  vault: ({ error, errorKind, errorAt, ...rest }, previous, now) => {
    if (error === undefined) return rest;
    const kind = errorKind ?? "vault";
    return { ...rest, lastError: errorAt ? { kind, message: error, at: errorAt } : since(previous.lastError, kind, error, now) };
  },
  config: (r) => r,
  info: (r) => r,
  keylime: (r) => r,
};
