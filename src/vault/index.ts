export { VaultManager, type VaultOptions } from "./manager.ts";
export type { VaultTpm, SealedVaultKey } from "./port.ts";
export type { VaultStore } from "./store.ts";
export { dataSecAtRestInfo, VAULT_NAME, DATASEC_STATUS, PCR_STATUS, type VaultStatus } from "./status.ts";
export { VaultError, VaultLockedError, VaultFileError, type VaultErrorKind, type FileErrorKind } from "./errors.ts";
export { checkPolicyPcrs, DEFAULT_POLICY, type PcrPolicy, type PolicyCheck } from "./policy.ts";
