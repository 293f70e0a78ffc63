import { fromHex } from "../../shared/index.ts";
import { ALG, ECC_NIST_P256, OBJ } from "./constants.ts";
import { AES128_CFB } from "./basic.ts";
import type { EccPublic, RsaPublic, TpmtPublic } from "./public.ts";

/**
 * EVE's primary-key templates (eve-protocol.md 10.1). All are created under
 * the owner hierarchy, EVE's "EK" included, so the keys survive as long as
 * the storage seed does and are re-derivable from these templates.
 */

/** TPM2_PolicySecret(TPM_RH_ENDORSEMENT) digest: the TCG default EK policy. */
export const TCG_EK_POLICY = fromHex("837197674484b3f81a90cc8d46a5d724fd52d76e06520b64f2a1da1b331469aa");

const EMPTY = new Uint8Array(0);
const NULL_SCHEME = { scheme: ALG.NULL };
const NULL_SYM = { algorithm: ALG.NULL };
const SIGNING_KEY_ATTRS =
  OBJ.fixedTPM | OBJ.fixedParent | OBJ.sensitiveDataOrigin | OBJ.userWithAuth | OBJ.restricted | OBJ.sign | OBJ.noDA;
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

/** The device key shares the ECDH template; only its userAuth differs. */
export const DEVICE_KEY_TEMPLATE: EccPublic = ECDH_KEY_TEMPLATE;

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
