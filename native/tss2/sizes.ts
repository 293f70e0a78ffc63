import type { COMMANDS, MuType } from "./commands.ts";

/** Structures the table passes as parameters: the ones the agent unmarshals into its own memory. */
type Table = typeof COMMANDS;
type ParamOf<C> = C extends { params: infer P } ? P[keyof P] : never;
export type InputMuType =
  Extract<{ [K in keyof Table]: ParamOf<Table[K]> }[keyof Table], MuType | `${MuType}?`> extends infer T
    ? T extends `${infer M extends MuType}?`
      ? M
      : T
    : never;

/**
 * sizeof() of the tpm2-tss 3.2.1 C structures the agent unmarshals into its
 * own memory (x86-64 / aarch64 LP64 layout). These are the only C layout facts
 * the native layer relies on; sizes.test.ts checks each against libtss2-mu.
 * Output-only structures are allocated by ESAPI and need no size here; a
 * command whose parameter type has no size here does not compile.
 */
export const SIZEOF: Record<InputMuType, number> & Partial<Record<MuType, number>> = {
  TPM2B_DIGEST: 2 + 64,
  TPM2B_NONCE: 2 + 64,
  TPM2B_DATA: 2 + 64,
  TPM2B_AUTH: 2 + 64,
  TPM2B_NAME: 2 + 68,
  TPM2B_PUBLIC: 616,
  TPM2B_PRIVATE: 2 + 1550,
  TPM2B_SENSITIVE_CREATE: 2 + 66 + 258,
  TPM2B_SENSITIVE_DATA: 2 + 256,
  TPM2B_ECC_POINT: 2 + 130 + 130,
  TPM2B_NV_PUBLIC: 84,
  TPM2B_MAX_NV_BUFFER: 2 + 2048,
  // TPMS_ID_OBJECT: two TPM2B_DIGESTs.
  TPM2B_ID_OBJECT: 2 + 66 + 66,
  // TPMU_ENCRYPTED_SECRET: its largest member is an RSA-4096 secret.
  TPM2B_ENCRYPTED_SECRET: 2 + 512,
  TPML_PCR_SELECTION: 4 + 16 * 8,
  // 16 banks of TPMT_HA (hash alg + the largest digest, SHA-512).
  TPML_DIGEST_VALUES: 4 + 16 * (2 + 64),
  TPMT_SIG_SCHEME: 6,
  TPMT_TK_HASHCHECK: 76,
  TPMT_SYM_DEF: 6,
};
