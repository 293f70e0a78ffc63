import type { MuType } from "./lib.ts";

/**
 * sizeof() of the tpm2-tss 3.2.1 C structures the agent unmarshals into its
 * own memory (x86-64 / aarch64 LP64 layout). These are the only C layout facts
 * the native layer relies on; sizes.test.ts checks each against libtss2-mu.
 * Output-only structures are allocated by ESAPI and need no size here.
 */
export const SIZEOF: Partial<Record<MuType, number>> = {
  TPM2B_DIGEST: 2 + 64,
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
  TPML_PCR_SELECTION: 4 + 16 * 8,
  TPMT_SIG_SCHEME: 6,
  TPMT_TK_HASHCHECK: 76,
  TPMT_SYM_DEF: 6,
};
