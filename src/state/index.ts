export {
  type CheckpointRead,
  isAtomicTempName,
  readCheckpoint,
  readFileIfExists,
  readValidated,
  refreshCheckpointBackup,
  removeFile,
  StateError,
  writeCheckpoint,
  writeFileAtomic,
  writeFileAtomicIfChanged,
  writeFilesAtomic,
} from "./atomic.ts";
export { type DeviceLayout, deviceLayout } from "./layout.ts";
export { acquireInstanceLock, type InstanceLock, InstanceLockError } from "./lock.ts";
export { writeNewPrivateFile } from "./private-file.ts";
export { agentStateDirs, removeStaleTempFiles } from "./stale.ts";
