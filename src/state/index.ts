export {
  StateError,
  writeFileAtomic,
  writeFilesAtomic,
  isAtomicTempName,
  readFileIfExists,
  readValidated,
  removeFile,
  readCheckpoint,
  writeCheckpoint,
  refreshCheckpointBackup,
  type CheckpointRead,
} from "./atomic.ts";
export { deviceLayout, type DeviceLayout } from "./layout.ts";
export { acquireInstanceLock, InstanceLockError, type InstanceLock } from "./lock.ts";
export { agentStateDirs, removeStaleTempFiles } from "./stale.ts";
