/**
 * C layouts of the Cryptoki structures the client passes or reads, for
 * x86_64 Linux (LP64: CK_ULONG and pointers are 8 bytes, CK_BYTE arrays
 * unaligned, structs padded to 8; aarch64 Linux lays them out the same).
 * A module built for another ABI would read these bytes wrongly, so the
 * client refuses to load elsewhere. layout.test.ts checks every size and
 * offset against what a C compiler makes of the same declarations.
 */

export const ULONG = 8;
export const POINTER = 8;

/** CK_ATTRIBUTE { CK_ATTRIBUTE_TYPE type; CK_VOID_PTR pValue; CK_ULONG ulValueLen; } */
export const CK_ATTRIBUTE = { size: 24, type: 0, pValue: 8, ulValueLen: 16 } as const;

/** CK_MECHANISM { CK_MECHANISM_TYPE mechanism; CK_VOID_PTR pParameter; CK_ULONG ulParameterLen; } */
export const CK_MECHANISM = { size: 24, mechanism: 0, pParameter: 8, ulParameterLen: 16 } as const;

/** CK_RSA_PKCS_PSS_PARAMS { CK_MECHANISM_TYPE hashAlg; CK_RSA_PKCS_MGF_TYPE mgf; CK_ULONG sLen; } */
export const CK_RSA_PKCS_PSS_PARAMS = { size: 24, hashAlg: 0, mgf: 8, sLen: 16 } as const;

/**
 * CK_C_INITIALIZE_ARGS { CreateMutex, DestroyMutex, LockMutex, UnlockMutex
 * (function pointers); CK_FLAGS flags; CK_VOID_PTR pReserved; }
 */
export const CK_C_INITIALIZE_ARGS = { size: 48, CreateMutex: 0, DestroyMutex: 8, LockMutex: 16, UnlockMutex: 24, flags: 32, pReserved: 40 } as const;

/** CK_SESSION_INFO { CK_SLOT_ID slotID; CK_STATE state; CK_FLAGS flags; CK_ULONG ulDeviceError; } */
export const CK_SESSION_INFO = { size: 32, slotID: 0, state: 8, flags: 16, ulDeviceError: 24 } as const;

/** CK_VERSION { CK_BYTE major; CK_BYTE minor; } */
export const CK_VERSION = { size: 2, major: 0, minor: 1 } as const;

/** CK_INFO { CK_VERSION cryptokiVersion; CK_UTF8CHAR manufacturerID[32]; CK_FLAGS flags; CK_UTF8CHAR libraryDescription[32]; CK_VERSION libraryVersion; } */
export const CK_INFO = { size: 88, cryptokiVersion: 0, manufacturerID: 2, flags: 40, libraryDescription: 48, libraryVersion: 80 } as const;

/** CK_SLOT_INFO { CK_UTF8CHAR slotDescription[64]; CK_UTF8CHAR manufacturerID[32]; CK_FLAGS flags; CK_VERSION hardwareVersion; CK_VERSION firmwareVersion; } */
export const CK_SLOT_INFO = { size: 112, slotDescription: 0, manufacturerID: 64, flags: 96, hardwareVersion: 104, firmwareVersion: 106 } as const;

/**
 * CK_TOKEN_INFO { label[32]; manufacturerID[32]; model[16]; serialNumber[16];
 * CK_FLAGS flags; ten CK_ULONG counters (sessions, PIN lengths, memory);
 * CK_VERSION hardwareVersion, firmwareVersion; CK_CHAR utcTime[16]; }
 */
export const CK_TOKEN_INFO = {
  size: 208,
  label: 0,
  manufacturerID: 32,
  model: 64,
  serialNumber: 80,
  flags: 96,
  ulMaxSessionCount: 104,
  ulSessionCount: 112,
  ulMaxRwSessionCount: 120,
  ulRwSessionCount: 128,
  ulMaxPinLen: 136,
  ulMinPinLen: 144,
  ulTotalPublicMemory: 152,
  ulFreePublicMemory: 160,
  ulTotalPrivateMemory: 168,
  ulFreePrivateMemory: 176,
  hardwareVersion: 184,
  firmwareVersion: 186,
  utcTime: 188,
} as const;

/**
 * CK_FUNCTION_LIST: a CK_VERSION, then one function pointer per Cryptoki
 * function in the standard's order (v2.40 §5.4: 68 of them). The version
 * takes 8 bytes because the first pointer is 8-aligned.
 */
export const FUNCTIONS = [
  "C_Initialize",
  "C_Finalize",
  "C_GetInfo",
  "C_GetFunctionList",
  "C_GetSlotList",
  "C_GetSlotInfo",
  "C_GetTokenInfo",
  "C_GetMechanismList",
  "C_GetMechanismInfo",
  "C_InitToken",
  "C_InitPIN",
  "C_SetPIN",
  "C_OpenSession",
  "C_CloseSession",
  "C_CloseAllSessions",
  "C_GetSessionInfo",
  "C_GetOperationState",
  "C_SetOperationState",
  "C_Login",
  "C_Logout",
  "C_CreateObject",
  "C_CopyObject",
  "C_DestroyObject",
  "C_GetObjectSize",
  "C_GetAttributeValue",
  "C_SetAttributeValue",
  "C_FindObjectsInit",
  "C_FindObjects",
  "C_FindObjectsFinal",
  "C_EncryptInit",
  "C_Encrypt",
  "C_EncryptUpdate",
  "C_EncryptFinal",
  "C_DecryptInit",
  "C_Decrypt",
  "C_DecryptUpdate",
  "C_DecryptFinal",
  "C_DigestInit",
  "C_Digest",
  "C_DigestUpdate",
  "C_DigestKey",
  "C_DigestFinal",
  "C_SignInit",
  "C_Sign",
  "C_SignUpdate",
  "C_SignFinal",
  "C_SignRecoverInit",
  "C_SignRecover",
  "C_VerifyInit",
  "C_Verify",
  "C_VerifyUpdate",
  "C_VerifyFinal",
  "C_VerifyRecoverInit",
  "C_VerifyRecover",
  "C_DigestEncryptUpdate",
  "C_DecryptDigestUpdate",
  "C_SignEncryptUpdate",
  "C_DecryptVerifyUpdate",
  "C_GenerateKey",
  "C_GenerateKeyPair",
  "C_WrapKey",
  "C_UnwrapKey",
  "C_DeriveKey",
  "C_SeedRandom",
  "C_GenerateRandom",
  "C_GetFunctionStatus",
  "C_CancelFunction",
  "C_WaitForSlotEvent",
] as const;

export type FunctionName = (typeof FUNCTIONS)[number];

export const CK_FUNCTION_LIST = { size: 8 + FUNCTIONS.length * POINTER, version: 0, first: 8 } as const;

/** Byte offset of `fn`'s pointer in CK_FUNCTION_LIST. */
export function functionOffset(fn: FunctionName): number {
  return CK_FUNCTION_LIST.first + FUNCTIONS.indexOf(fn) * POINTER;
}

/** The ABI these layouts are for. */
export function abiSupported(): boolean {
  return process.platform === "linux" && (process.arch === "x64" || process.arch === "arm64");
}
