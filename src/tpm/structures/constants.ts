/** TPM 2.0 Part 2 constants the agent uses (values are spec facts). */

export const ALG = {
  RSA: 0x0001,
  SHA1: 0x0004,
  HMAC: 0x0005,
  AES: 0x0006,
  KEYEDHASH: 0x0008,
  XOR: 0x000a,
  SHA256: 0x000b,
  NULL: 0x0010,
  RSASSA: 0x0014,
  RSAPSS: 0x0016,
  ECDSA: 0x0018,
  ECDH: 0x0019,
  ECDAA: 0x001a,
  SM2: 0x001b,
  ECSCHNORR: 0x001c,
  ECC: 0x0023,
  SYMCIPHER: 0x0025,
  CFB: 0x0043,
} as const;

export const ECC_NIST_P256 = 0x0003;

/** TPMA_OBJECT bits (Part 2 §8.3). */
export const OBJ = {
  fixedTPM: 1 << 1,
  stClear: 1 << 2,
  fixedParent: 1 << 4,
  sensitiveDataOrigin: 1 << 5,
  userWithAuth: 1 << 6,
  adminWithPolicy: 1 << 7,
  noDA: 1 << 10,
  encryptedDuplication: 1 << 11,
  restricted: 1 << 16,
  decrypt: 1 << 17,
  sign: 1 << 18,
} as const;

/** TPMA_NV bits (Part 2 §13.4). */
export const NV = {
  ownerWrite: 1 << 1,
  authWrite: 1 << 2,
  ownerRead: 1 << 17,
  authRead: 1 << 18,
  noDA: 1 << 25,
  written: 1 << 29,
} as const;

export const RH = {
  OWNER: 0x40000001,
  NULL: 0x40000007,
  ENDORSEMENT: 0x4000000b,
  PLATFORM: 0x4000000c,
} as const;

export const ST = { ATTEST_QUOTE: 0x8018, HASHCHECK: 0x8024 } as const;
export const TPM_GENERATED_VALUE = 0xff544347;

export const CC = { PolicyPCR: 0x0000017f } as const;

export const CAP = { ALGS: 0, HANDLES: 1, COMMANDS: 2, PCRS: 5, TPM_PROPERTIES: 6 } as const;

/** TPM_PT values (PT_FIXED = 0x100). */
export const PT = {
  MANUFACTURER: 0x105,
  VENDOR_STRING_1: 0x106,
  VENDOR_STRING_2: 0x107,
  VENDOR_STRING_3: 0x108,
  VENDOR_STRING_4: 0x109,
  VENDOR_TPM_TYPE: 0x10a,
  FIRMWARE_VERSION_1: 0x10b,
  FIRMWARE_VERSION_2: 0x10c,
  NV_BUFFER_MAX: 0x12c,
} as const;

/** Handle ranges (top byte = TPM_HT). */
export const HR = {
  NV_INDEX: 0x01000000,
  LOADED_SESSION: 0x02000000,
  TRANSIENT: 0x80000000,
  PERSISTENT: 0x81000000,
} as const;

export const SE = { HMAC: 0x00, POLICY: 0x01, TRIAL: 0x03 } as const;

/** TPMA_SESSION bits. */
export const SESSION_ATTR = { continueSession: 0x01, decrypt: 0x20, encrypt: 0x40 } as const;

/**
 * Comparable return codes (format-1 codes with index bits stripped, format-0
 * codes with the warning bit), matched against TpmRcLike.code.
 */
export const RC = {
  VALUE: 0x084,
  HANDLE: 0x08b,
  AUTH_FAIL: 0x08e,
  POLICY_FAIL: 0x09d,
  BAD_AUTH: 0x0a2,
  NV_UNINITIALIZED: 0x14a,
  NV_DEFINED: 0x14c,
  PCR_CHANGED: 0x128,
  OBJECT_MEMORY: 0x902,
  SESSION_MEMORY: 0x903,
  YIELDED: 0x908,
  TESTING: 0x90a,
  RETRY: 0x922,
  LOCKOUT: 0x921,
} as const;
