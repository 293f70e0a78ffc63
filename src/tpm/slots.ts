import type { TpmtPublic } from "./structures/public.ts";
import {
  AIK_TEMPLATE,
  DEVICE_KEY_CHILD_TEMPLATE,
  ECDH_KEY_CHILD_TEMPLATE,
  ECDH_KEY_TEMPLATE,
  EK_TEMPLATE,
  EVE_DEVICE_KEY_TEMPLATE,
  QUOTE_KEY_TEMPLATE,
  SRK_TEMPLATE,
} from "./structures/templates.ts";

/** EVE's persistent handles and NV indexes (docs/tpm.md#handles-and-nv-indexes). */
export const HANDLES = {
  ek: 0x81000001,
  srk: 0x81000002,
  aik: 0x81000003,
  quote: 0x81000004,
  ecdh: 0x81000005,
  device: 0x817fffff,
} as const;
export type KeyName = keyof typeof HANDLES;

export const NV_INDEX = {
  deviceCert: 0x1500000,
  credential: 0x1600000,
  legacyVaultKey: 0x1700000,
  sealedPrivate: 0x1800000,
  sealedPublic: 0x1900000,
} as const;

export type PrimaryKeyName = "ek" | "srk" | "aik" | "quote";
export type ChildKeyName = "ecdh" | "device";

/** EVE's primaries, re-derivable from these templates by design. */
export const PRIMARY_TEMPLATES: Record<PrimaryKeyName, TpmtPublic> = {
  ek: EK_TEMPLATE,
  srk: SRK_TEMPLATE,
  aik: AIK_TEMPLATE,
  quote: QUOTE_KEY_TEMPLATE,
};

/** Keys made with TPM2_Create under the SRK on new devices. */
export const CHILD_TEMPLATES: Record<ChildKeyName, TpmtPublic> = {
  ecdh: ECDH_KEY_CHILD_TEMPLATE,
  device: DEVICE_KEY_CHILD_TEMPLATE,
};

/** How EVE (and agents before the child keys) made them: primaries, kept on migrated devices. */
export const EVE_CHILD_TEMPLATES: Record<ChildKeyName, TpmtPublic> = {
  ecdh: ECDH_KEY_TEMPLATE,
  device: EVE_DEVICE_KEY_TEMPLATE,
};

export const isChildKey = (name: KeyName): name is ChildKeyName => name === "ecdh" || name === "device";

/** The SRK comes before the keys made under it. */
export const KEY_ORDER: KeyName[] = ["ek", "srk", "aik", "quote", "ecdh", "device"];

/** EVE's default vault PCR set: 5 (GPT, volatile across updates) and 15 (OS) left out. */
export const DEFAULT_SEAL_PCRS = [0, 1, 2, 3, 4, 6, 7, 8, 9, 10, 11, 12, 13, 14];
/** PCRs covered by EVE's quote; 16..23 are read and sent but not quoted. */
export const QUOTE_PCRS = Array.from({ length: 16 }, (_, i) => i);
export const ALL_PCRS = Array.from({ length: 24 }, (_, i) => i);

/** The device key's userAuth: the first 7 characters of /config/tpm_credential. */
export function deviceKeyAuth(credential: string): Uint8Array {
  return new TextEncoder().encode(credential.trim().slice(0, 7));
}
