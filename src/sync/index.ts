export { DEFAULT_BACKUP_AFTER_MS } from "./config-checkpoint.ts";
export { ConfigPoller, type ConfigPollerDeps } from "./config-poller.ts";
export type { CheckpointState, ConfigPollStatus, ConfigSource, PollOutcome } from "./config-status.ts";
export { DeferredQueue, type DeferredQueueDeps, type DeliveryResult, type QueueStatus } from "./deferred-queue.ts";
export { SyncError, type SyncErrorKind } from "./errors.ts";
export { bootTimeFromUptime, fileSha256, readHostFacts, readManufacturerInfo } from "./host-facts.ts";
export { buildDeviceInfo, VAULT_NAME } from "./info-message.ts";
export { type InfoReason, InfoReporter, type InfoReporterDeps, type InfoSink, type InfoStatus } from "./info-reporter.ts";
export type {
  AttestationReport,
  DeviceInfoSource,
  ErrorReport,
  HardwareFacts,
  HsmReport,
  MaintenanceReport,
  VaultReport,
} from "./info-source.ts";
export type { ControllerPoster, SigningCertSource } from "./ports.ts";
export type { QueueItem } from "./queue-store.ts";
