import { dlopen, FFIType as T } from "bun:ffi";

/**
 * The only tpm2-tss symbols the agent calls, one table per library. The
 * sonames carry the ABI major so a newer, incompatible tpm2-tss is refused at
 * load time instead of misbehaving later. Every ESAPI handle is an ESYS_TR
 * (u32); the first argument of every Esys_ function is the ESYS_CONTEXT*.
 */
const TR = T.u32;
const SESSIONS = [TR, TR, TR] as const;

export const esysLib = dlopen("libtss2-esys.so.0", {
  Esys_Initialize: { args: [T.ptr, T.ptr, T.ptr], returns: T.u32 },
  Esys_Finalize: { args: [T.ptr], returns: T.void },
  Esys_Free: { args: [T.ptr], returns: T.void },
  Esys_TR_FromTPMPublic: { args: [T.ptr, T.u32, ...SESSIONS, T.ptr], returns: T.u32 },
  Esys_TR_Close: { args: [T.ptr, T.ptr], returns: T.u32 },
  Esys_TR_SetAuth: { args: [T.ptr, TR, T.ptr], returns: T.u32 },
  Esys_TRSess_SetAttributes: { args: [T.ptr, TR, T.u8, T.u8], returns: T.u32 },
  Esys_FlushContext: { args: [T.ptr, TR], returns: T.u32 },
  Esys_GetRandom: { args: [T.ptr, ...SESSIONS, T.u16, T.ptr], returns: T.u32 },
  Esys_GetCapability: { args: [T.ptr, ...SESSIONS, T.u32, T.u32, T.u32, T.ptr, T.ptr], returns: T.u32 },
  Esys_PCR_Read: { args: [T.ptr, ...SESSIONS, T.ptr, T.ptr, T.ptr, T.ptr], returns: T.u32 },
  Esys_CreatePrimary: {
    args: [T.ptr, TR, ...SESSIONS, T.ptr, T.ptr, T.ptr, T.ptr, T.ptr, T.ptr, T.ptr, T.ptr, T.ptr],
    returns: T.u32,
  },
  Esys_Create: {
    args: [T.ptr, TR, ...SESSIONS, T.ptr, T.ptr, T.ptr, T.ptr, T.ptr, T.ptr, T.ptr, T.ptr, T.ptr],
    returns: T.u32,
  },
  Esys_Load: { args: [T.ptr, TR, ...SESSIONS, T.ptr, T.ptr, T.ptr], returns: T.u32 },
  Esys_Unseal: { args: [T.ptr, TR, ...SESSIONS, T.ptr], returns: T.u32 },
  Esys_EvictControl: { args: [T.ptr, TR, TR, ...SESSIONS, T.u32, T.ptr], returns: T.u32 },
  Esys_ReadPublic: { args: [T.ptr, TR, ...SESSIONS, T.ptr, T.ptr, T.ptr], returns: T.u32 },
  Esys_Sign: { args: [T.ptr, TR, ...SESSIONS, T.ptr, T.ptr, T.ptr, T.ptr], returns: T.u32 },
  Esys_Quote: { args: [T.ptr, TR, ...SESSIONS, T.ptr, T.ptr, T.ptr, T.ptr, T.ptr], returns: T.u32 },
  Esys_ECDH_ZGen: { args: [T.ptr, TR, ...SESSIONS, T.ptr, T.ptr], returns: T.u32 },
  Esys_NV_DefineSpace: { args: [T.ptr, TR, ...SESSIONS, T.ptr, T.ptr, T.ptr], returns: T.u32 },
  Esys_NV_UndefineSpace: { args: [T.ptr, TR, TR, ...SESSIONS], returns: T.u32 },
  Esys_NV_ReadPublic: { args: [T.ptr, TR, ...SESSIONS, T.ptr, T.ptr], returns: T.u32 },
  Esys_NV_Read: { args: [T.ptr, TR, TR, ...SESSIONS, T.u16, T.u16, T.ptr], returns: T.u32 },
  Esys_NV_Write: { args: [T.ptr, TR, TR, ...SESSIONS, T.ptr, T.u16], returns: T.u32 },
  Esys_StartAuthSession: {
    args: [T.ptr, TR, TR, ...SESSIONS, T.ptr, T.u8, T.ptr, T.u16, T.ptr],
    returns: T.u32,
  },
  Esys_PolicyPCR: { args: [T.ptr, TR, ...SESSIONS, T.ptr, T.ptr], returns: T.u32 },
  Esys_PolicyGetDigest: { args: [T.ptr, TR, ...SESSIONS, T.ptr], returns: T.u32 },
});

export const tctildrLib = dlopen("libtss2-tctildr.so.0", {
  Tss2_TctiLdr_Initialize: { args: [T.cstring, T.ptr], returns: T.u32 },
  Tss2_TctiLdr_Finalize: { args: [T.ptr], returns: T.void },
});

export const rcLib = dlopen("libtss2-rc.so.0", {
  Tss2_RC_Decode: { args: [T.u32], returns: T.cstring },
});

/**
 * Structures that cross the FFI boundary. Each gets its Tss2_MU_<name>_Marshal
 * (C struct -> wire) and _Unmarshal (wire -> C struct); every signature is
 * the same shape, so the table is generated from this one list of names.
 */
export const MU_TYPES = [
  "TPM2B_DIGEST",
  "TPM2B_DATA",
  "TPM2B_AUTH",
  "TPM2B_NAME",
  "TPM2B_PUBLIC",
  "TPM2B_PRIVATE",
  "TPM2B_SENSITIVE_CREATE",
  "TPM2B_SENSITIVE_DATA",
  "TPM2B_ECC_POINT",
  "TPM2B_NV_PUBLIC",
  "TPM2B_MAX_NV_BUFFER",
  "TPM2B_ATTEST",
  "TPML_PCR_SELECTION",
  "TPML_DIGEST",
  "TPMS_CAPABILITY_DATA",
  "TPMT_SIGNATURE",
  "TPMT_SIG_SCHEME",
  "TPMT_TK_HASHCHECK",
  "TPMT_SYM_DEF",
] as const;
export type MuType = (typeof MU_TYPES)[number];

type MuFns = Record<string, { args: readonly T[]; returns: T.u32 }>;
function muTable(): MuFns {
  const fns: MuFns = {};
  for (const t of MU_TYPES) {
    // (const T *src, uint8_t buffer[], size_t buffer_size, size_t *offset)
    fns[`Tss2_MU_${t}_Marshal`] = { args: [T.ptr, T.ptr, T.u64, T.ptr], returns: T.u32 };
    // (const uint8_t buffer[], size_t buffer_size, size_t *offset, T *dest)
    fns[`Tss2_MU_${t}_Unmarshal`] = { args: [T.ptr, T.u64, T.ptr, T.ptr], returns: T.u32 };
  }
  return fns;
}

export const muLib = dlopen("libtss2-mu.so.0", muTable());
export type MuFn = (a: unknown, b: unknown, c: unknown, d: unknown) => number;

/** libc's setenv: tpm2-tss reads TSS2_LOG with getenv, which Bun's process.env does not reach. */
export const libcLib = dlopen("libc.so.6", {
  setenv: { args: [T.cstring, T.cstring, T.i32], returns: T.i32 },
});
