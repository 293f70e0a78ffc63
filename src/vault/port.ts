/**
 * What the vault needs from the TPM, and nothing more. TpmManager satisfies
 * it structurally; main.ts passes the manager in, so the vault never reaches
 * into src/tpm internals and tests can wrap the real TPM to inject crashes.
 */
export interface VaultTpm {
  getRandom(count: number): Promise<Uint8Array>;
  /** SHA-256 bank values of `pcrs`. */
  readPcrs(pcrs: number[]): Promise<Map<number, Uint8Array>>;
  /**
   * Seals `secret` to PolicyPCR over `pcrs` and writes the blobs to NV
   * 0x1800000 (private) then 0x1900000 (public) before returning them.
   */
  sealVaultKey(secret: Uint8Array, pcrs: number[]): Promise<SealedVaultKey>;
  /**
   * Unseals the blobs currently in NV. A policy failure is raised as an error
   * of kind "tpm.pcr-mismatch" carrying `changed` (PCRs that differ from
   * `pcrValues`).
   */
  unsealVaultKey(sealedWith: { pcrs: number[]; pcrValues: Map<number, Uint8Array> }): Promise<Uint8Array>;
  nvRead(index: number): Promise<Uint8Array | undefined>;
  nvWrite(index: number, data: Uint8Array): Promise<void>;
  nvUndefine(index: number): Promise<boolean>;
  /** TPM2_ECDH_ZGen with EVE's ECDH key 0x81000005; returns X||Y, 32 bytes each. */
  ecdhZGen(point: Uint8Array): Promise<Uint8Array>;
}

/** The part of TpmManager's SealedSecret the vault keeps. */
export interface SealedVaultKey {
  /** TPM2B_PRIVATE as stored in NV 0x1800000. */
  private: Uint8Array;
  /** TPM2B_PUBLIC as stored in NV 0x1900000. */
  public: Uint8Array;
  pcrs: number[];
  pcrValues: Map<number, Uint8Array>;
}
