export { ConfigPoller, type ConfigPollerDeps } from "./config-poller.ts";
export type { ConfigPollStatus, ConfigSource, PollOutcome, CheckpointState } from "./config-status.ts";
export { DEFAULT_BACKUP_AFTER_MS } from "./config-checkpoint.ts";
export { DeferredQueue, type DeferredQueueDeps, type DeliveryResult, type QueueStatus } from "./deferred-queue.ts";
export type { QueueItem } from "./queue-store.ts";
export { InfoReporter, type InfoReporterDeps, type InfoSink, type InfoStatus, type InfoReason } from "./info-reporter.ts";
export { buildDeviceInfo, VAULT_NAME } from "./info-message.ts";
export type {
  DeviceInfoSource,
  HardwareFacts,
  HsmReport,
  VaultReport,
  AttestationReport,
  MaintenanceReport,
  ErrorReport,
} from "./info-source.ts";
export { readHostFacts, readManufacturerInfo, bootTimeFromUptime, fileSha256 } from "./host-facts.ts";
export type { ControllerPoster, SigningCertSource } from "./ports.ts";
export { SyncError, type SyncErrorKind } from "./errors.ts";
