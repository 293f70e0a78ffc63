export { type FileErrorKind, VaultError, type VaultErrorKind, VaultFileError, VaultLockedError } from "./errors.ts";
export { FscryptError, type VaultProtection } from "./fscrypt.ts";
export { VaultManager, type VaultOptions } from "./manager.ts";
export { checkPolicyPcrs, DEFAULT_POLICY, type PcrPolicy, type PolicyCheck } from "./policy.ts";
export type { SealedVaultKey, VaultTpm } from "./port.ts";
export { DATASEC_STATUS, dataSecAtRestInfo, PCR_STATUS, VAULT_NAME, type VaultStatus } from "./status.ts";
export type { VaultStore } from "./store.ts";
