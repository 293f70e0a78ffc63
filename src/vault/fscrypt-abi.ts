import { hkdf } from "../shared/index.ts";

/**
 * The kernel's fscrypt user API (include/uapi/linux/fscrypt.h) as bytes:
 * ioctl numbers and the structs they carry. Little-endian, as on every
 * architecture the agent ships for (x86-64, arm64).
 */

const IOC_WRITE = 1;
const IOC_READ = 2;
/** _IOC(dir, 'f', nr, size): the request number encodes the argument's size, so a wrong struct size is a wrong ioctl. */
function ioc(dir: number, nr: number, size: number): number {
  return ((dir << 30) >>> 0) + (size << 16) + (0x66 << 8) + nr;
}

export const KEY_IDENTIFIER_BYTES = 16;
/** FSCRYPT_MAX_KEY_SIZE; AES-256-XTS needs a 64-byte key, and a v2 master key must be at least as long as the keys it derives. */
export const MASTER_KEY_BYTES = 64;

const POLICY_V2_BYTES = 24;
const KEY_SPEC_BYTES = 40;
const ADD_KEY_BYTES = KEY_SPEC_BYTES + 4 + 4 + 32;
const REMOVE_KEY_BYTES = KEY_SPEC_BYTES + 4 + 20;
const KEY_STATUS_BYTES = KEY_SPEC_BYTES + 24 + 4 + 4 + 4 + 52;
/** u64 policy_size, then the largest policy of the union (v2). */
const GET_POLICY_EX_BYTES = 8 + POLICY_V2_BYTES;

export const FS_IOC = {
  /** _IOR('f', 19, struct fscrypt_policy_v1): the kernel reads the version byte and then the whole policy. */
  SET_ENCRYPTION_POLICY: ioc(IOC_READ, 19, 12),
  /** _IOWR('f', 22, __u8[9]) */
  GET_ENCRYPTION_POLICY_EX: ioc(IOC_READ | IOC_WRITE, 22, 9),
  ADD_ENCRYPTION_KEY: ioc(IOC_READ | IOC_WRITE, 23, ADD_KEY_BYTES),
  REMOVE_ENCRYPTION_KEY: ioc(IOC_READ | IOC_WRITE, 24, REMOVE_KEY_BYTES),
  GET_ENCRYPTION_KEY_STATUS: ioc(IOC_READ | IOC_WRITE, 26, KEY_STATUS_BYTES),
} as const;

export const POLICY_V2 = 2;
export const MODE_AES_256_XTS = 1;
export const MODE_AES_256_CTS = 4;
/** Filenames padded to 32 bytes, so names leak as little of their length as fscrypt allows. */
export const FLAGS_PAD_32 = 0x03;
const KEY_SPEC_TYPE_IDENTIFIER = 2;

export const KEY_STATUS = { 1: "absent", 2: "present", 3: "incompletely-removed" } as const;
export type KeyStatus = (typeof KEY_STATUS)[keyof typeof KEY_STATUS];

export interface PolicyV2 {
  version: number;
  contentsMode: number;
  filenamesMode: number;
  flags: number;
  identifier: Uint8Array;
}

function view(b: Uint8Array): DataView {
  return new DataView(b.buffer, b.byteOffset, b.byteLength);
}

/** struct fscrypt_policy_v2 for this vault: AES-256-XTS contents, AES-256-CTS names, 32-byte name padding. */
export function encodePolicyV2(identifier: Uint8Array): Uint8Array {
  if (identifier.length !== KEY_IDENTIFIER_BYTES) throw new RangeError(`key identifier must be ${KEY_IDENTIFIER_BYTES} bytes`);
  const b = new Uint8Array(POLICY_V2_BYTES);
  b.set([POLICY_V2, MODE_AES_256_XTS, MODE_AES_256_CTS, FLAGS_PAD_32]);
  b.set(identifier, 8);
  return b;
}

/** struct fscrypt_get_policy_ex_arg with policy_size set to the room the union has. */
export function encodeGetPolicyEx(): Uint8Array {
  const b = new Uint8Array(GET_POLICY_EX_BYTES);
  view(b).setBigUint64(0, BigInt(GET_POLICY_EX_BYTES - 8), true);
  return b;
}

/** The policy FS_IOC_GET_ENCRYPTION_POLICY_EX returned; v1 policies come back with version 0 and no identifier. */
export function decodeGetPolicyEx(b: Uint8Array): PolicyV2 {
  const size = Number(view(b).getBigUint64(0, true));
  const version = b[8]!;
  const identifier = version === POLICY_V2 && size >= POLICY_V2_BYTES ? b.slice(16, 16 + KEY_IDENTIFIER_BYTES) : new Uint8Array();
  return { version, contentsMode: b[9]!, filenamesMode: b[10]!, flags: b[11]!, identifier };
}

function keySpec(b: Uint8Array, identifier?: Uint8Array): void {
  view(b).setUint32(0, KEY_SPEC_TYPE_IDENTIFIER, true);
  if (identifier) b.set(identifier, 8);
}

/** struct fscrypt_add_key_arg followed by the raw key; the caller zeroes it after the call. */
export function encodeAddKey(raw: Uint8Array): Uint8Array {
  const b = new Uint8Array(ADD_KEY_BYTES + raw.length);
  keySpec(b);
  view(b).setUint32(KEY_SPEC_BYTES, raw.length, true);
  b.set(raw, ADD_KEY_BYTES);
  return b;
}

/** The identifier the kernel computed for the added key (written back into key_spec). */
export function addKeyIdentifier(b: Uint8Array): Uint8Array {
  return b.slice(8, 8 + KEY_IDENTIFIER_BYTES);
}

export function encodeRemoveKey(identifier: Uint8Array): Uint8Array {
  const b = new Uint8Array(REMOVE_KEY_BYTES);
  keySpec(b, identifier);
  return b;
}

export interface RemovalFlags {
  /** Some files were still open: their inodes keep the key until closed. */
  filesBusy: boolean;
  /** Other users added the same key; it stays until they remove it. */
  otherUsers: boolean;
}

export function decodeRemoveKey(b: Uint8Array): RemovalFlags {
  const f = view(b).getUint32(KEY_SPEC_BYTES, true);
  return { filesBusy: (f & 1) !== 0, otherUsers: (f & 2) !== 0 };
}

export function encodeKeyStatus(identifier: Uint8Array): Uint8Array {
  const b = new Uint8Array(KEY_STATUS_BYTES);
  keySpec(b, identifier);
  return b;
}

export function decodeKeyStatus(b: Uint8Array): { status: KeyStatus | "unknown"; addedBySelf: boolean; userCount: number } {
  const v = view(b);
  const status = KEY_STATUS[v.getUint32(64, true) as keyof typeof KEY_STATUS] ?? "unknown";
  return { status, addedBySelf: (v.getUint32(68, true) & 1) !== 0, userCount: v.getUint32(72, true) };
}

/**
 * The identifier the kernel derives for a v2 master key
 * (Documentation/filesystems/fscrypt.rst, "Key hierarchy"): HKDF-SHA512 with
 * an all-zero salt and info "fscrypt\0" || HKDF_CONTEXT_KEY_IDENTIFIER (1).
 * Checked against the kernel's answer, so a key that went in truncated or
 * garbled is caught before a policy is set with it.
 */
export function keyIdentifier(master: Uint8Array): Uint8Array {
  const info = new Uint8Array([...new TextEncoder().encode("fscrypt\0"), 1]);
  return hkdf("sha512", master, new Uint8Array(64), info, KEY_IDENTIFIER_BYTES);
}
