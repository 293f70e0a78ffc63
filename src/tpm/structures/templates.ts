import { fromHex } from "../../shared/index.ts";
import { AES128_CFB } from "./basic.ts";
import { ALG, ECC_NIST_P256, OBJ } from "./constants.ts";
import type { EccPublic, RsaPublic, TpmtPublic } from "./public.ts";

/**
 * EVE's primary-key templates (docs/tpm.md#templates). All are created under
 * the owner hierarchy, EVE's "EK" included, so the keys survive as long as
 * the storage seed does and are re-derivable from these templates. That is
 * what EK, SRK, AIK and quote key are meant to be; the device and ECDH keys
 * are instead made with TPM2_Create under the SRK (the *_CHILD_TEMPLATEs), and
 * EVE's templates for them only recognise keys made by EVE or older agents.
 */

/** TPM2_PolicySecret(TPM_RH_ENDORSEMENT) digest: the TCG default EK policy. */
export const TCG_EK_POLICY = fromHex("837197674484b3f81a90cc8d46a5d724fd52d76e06520b64f2a1da1b331469aa");

const EMPTY = new Uint8Array(0);
const NULL_SCHEME = { scheme: ALG.NULL };
const NULL_SYM = { algorithm: ALG.NULL };
const SIGNING_KEY_ATTRS = OBJ.fixedTPM | OBJ.fixedParent | OBJ.sensitiveDataOrigin | OBJ.userWithAuth | OBJ.restricted | OBJ.sign | OBJ.noDA;
const UNRESTRICTED_ECC_ATTRS = OBJ.sign | OBJ.decrypt | OBJ.noDA | OBJ.sensitiveDataOrigin | OBJ.userWithAuth;

export const EK_TEMPLATE: RsaPublic = {
  type: "rsa",
  nameAlg: ALG.SHA256,
  attributes: OBJ.fixedTPM | OBJ.fixedParent | OBJ.sensitiveDataOrigin | OBJ.adminWithPolicy | OBJ.restricted | OBJ.decrypt,
  authPolicy: TCG_EK_POLICY,
  symmetric: AES128_CFB,
  scheme: NULL_SCHEME,
  keyBits: 2048,
  exponent: 0,
  // TCG EK template "L-1": the unique field is 256 zero bytes.
  modulus: new Uint8Array(256),
};

export const SRK_TEMPLATE: RsaPublic = {
  type: "rsa",
  nameAlg: ALG.SHA256,
  attributes: OBJ.fixedTPM | OBJ.fixedParent | OBJ.sensitiveDataOrigin | OBJ.userWithAuth | OBJ.restricted | OBJ.decrypt | OBJ.noDA,
  authPolicy: EMPTY,
  symmetric: AES128_CFB,
  scheme: NULL_SCHEME,
  keyBits: 2048,
  exponent: 0,
  modulus: EMPTY,
};

export const AIK_TEMPLATE: RsaPublic = {
  type: "rsa",
  nameAlg: ALG.SHA256,
  attributes: SIGNING_KEY_ATTRS,
  authPolicy: EMPTY,
  symmetric: NULL_SYM,
  scheme: { scheme: ALG.RSASSA, hashAlg: ALG.SHA256 },
  keyBits: 2048,
  exponent: 0,
  modulus: EMPTY,
};

export const QUOTE_KEY_TEMPLATE: EccPublic = {
  type: "ecc",
  nameAlg: ALG.SHA256,
  attributes: SIGNING_KEY_ATTRS,
  authPolicy: EMPTY,
  symmetric: NULL_SYM,
  scheme: { scheme: ALG.ECDSA, hashAlg: ALG.SHA256 },
  curve: ECC_NIST_P256,
  kdf: NULL_SCHEME,
  x: EMPTY,
  y: EMPTY,
};

export const ECDH_KEY_TEMPLATE: EccPublic = {
  type: "ecc",
  nameAlg: ALG.SHA256,
  attributes: UNRESTRICTED_ECC_ATTRS,
  authPolicy: EMPTY,
  symmetric: NULL_SYM,
  scheme: NULL_SCHEME,
  curve: ECC_NIST_P256,
  kdf: NULL_SCHEME,
  x: EMPTY,
  y: EMPTY,
};

/**
 * EVE's device key: a primary from the ECDH template, only its userAuth
 * differs, so it *is* the ECDH key and anyone who can run TPM2_CreatePrimary
 * under the owner hierarchy holds it. Kept only to recognise migrated devices.
 */
export const EVE_DEVICE_KEY_TEMPLATE: EccPublic = ECDH_KEY_TEMPLATE;

/**
 * fixedTPM|fixedParent: the key can never be duplicated out of this TPM;
 * sensitiveDataOrigin: the TPM's RNG made the private part. With TPM2_Create
 * under the SRK the private key exists only inside the TPM and in the blob
 * the TPM returns, which nothing but this TPM can load.
 */
const CHILD_ATTRS = OBJ.fixedTPM | OBJ.fixedParent | OBJ.sensitiveDataOrigin | OBJ.userWithAuth | OBJ.noDA;

/** The device key 0x817FFFFF on new devices: signs only (certificates, envelopes). */
export const DEVICE_KEY_CHILD_TEMPLATE: EccPublic = { ...ECDH_KEY_TEMPLATE, attributes: CHILD_ATTRS | OBJ.sign };

/** The ECDH key 0x81000005 on new devices: ECDH_ZGen needs decrypt only. */
export const ECDH_KEY_CHILD_TEMPLATE: EccPublic = { ...ECDH_KEY_TEMPLATE, attributes: CHILD_ATTRS | OBJ.decrypt };

/**
 * Whether an existing object is what `template` would create: everything but
 * the unique field (the key itself) must agree.
 */
export function matchesTemplate(actual: TpmtPublic, template: TpmtPublic): boolean {
  if (actual.type !== template.type || actual.nameAlg !== template.nameAlg || actual.attributes !== template.attributes) return false;
  if (!sameBytes(actual.authPolicy, template.authPolicy)) return false;
  if (actual.scheme.scheme !== template.scheme.scheme || (actual.scheme.hashAlg ?? 0) !== (template.scheme.hashAlg ?? 0)) return false;
  if (actual.type === "rsa" && template.type === "rsa") {
    return actual.keyBits === template.keyBits && sameSym(actual.symmetric, template.symmetric) && (actual.exponent || 65537) === (template.exponent || 65537);
  }
  if (actual.type === "ecc" && template.type === "ecc") {
    return actual.curve === template.curve && sameSym(actual.symmetric, template.symmetric) && actual.kdf.scheme === template.kdf.scheme;
  }
  return actual.type === "keyedhash";
}

function sameSym(a: { algorithm: number; keyBits?: number; mode?: number }, b: typeof a): boolean {
  return a.algorithm === b.algorithm && (a.keyBits ?? 0) === (b.keyBits ?? 0) && (a.mode ?? 0) === (b.mode ?? 0);
}

function sameBytes(a: Uint8Array, b: Uint8Array): boolean {
  return a.length === b.length && a.every((v, i) => v === b[i]);
}
