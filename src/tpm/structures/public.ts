import { readSymDef, type SymDef, writeSymDef } from "./basic.ts";
import { ALG } from "./constants.ts";
import { decodeAll, encode, type Reader, TpmCodecError, type Writer } from "./wire.ts";

/** An asymmetric or keyed-hash scheme selector (TPMT_*_SCHEME, Part 2 §11.2). */
export interface Scheme {
  scheme: number;
  hashAlg?: number;
}

interface Common {
  nameAlg: number;
  attributes: number;
  authPolicy: Uint8Array;
}
export interface RsaPublic extends Common {
  type: "rsa";
  symmetric: SymDef;
  scheme: Scheme;
  keyBits: number;
  /** 0 means the default 65537. */
  exponent: number;
  modulus: Uint8Array;
}
export interface EccPublic extends Common {
  type: "ecc";
  symmetric: SymDef;
  scheme: Scheme;
  curve: number;
  kdf: Scheme;
  x: Uint8Array;
  y: Uint8Array;
}
export interface KeyedHashPublic extends Common {
  type: "keyedhash";
  scheme: Scheme;
  unique: Uint8Array;
}
/** TPMT_PUBLIC (Part 2 §12.2.4), restricted to the algorithms the agent uses. */
export type TpmtPublic = RsaPublic | EccPublic | KeyedHashPublic;

function writeScheme(w: Writer, s: Scheme): void {
  w.u16(s.scheme);
  if (s.scheme === ALG.NULL) return;
  w.u16(s.hashAlg ?? ALG.SHA256);
  if (s.scheme === ALG.ECDAA) w.u16(0);
}
function readScheme(r: Reader): Scheme {
  const scheme = r.u16();
  if (scheme === ALG.NULL) return { scheme };
  const hashAlg = r.u16();
  if (scheme === ALG.ECDAA) r.u16();
  return { scheme, hashAlg };
}

export function writePublic(w: Writer, p: TpmtPublic): void {
  const type = p.type === "rsa" ? ALG.RSA : p.type === "ecc" ? ALG.ECC : ALG.KEYEDHASH;
  w.u16(type).u16(p.nameAlg).u32(p.attributes).tpm2b(p.authPolicy);
  switch (p.type) {
    case "rsa":
      writeSymDef(w, p.symmetric);
      writeScheme(w, p.scheme);
      w.u16(p.keyBits).u32(p.exponent).tpm2b(p.modulus);
      return;
    case "ecc":
      writeSymDef(w, p.symmetric);
      writeScheme(w, p.scheme);
      w.u16(p.curve);
      writeScheme(w, p.kdf);
      w.tpm2b(p.x).tpm2b(p.y);
      return;
    case "keyedhash":
      if (p.scheme.scheme === ALG.XOR) throw new TpmCodecError("selector", "XOR keyed-hash scheme not supported");
      writeScheme(w, p.scheme);
      w.tpm2b(p.unique);
      return;
  }
}

export function readPublic(r: Reader): TpmtPublic {
  const type = r.u16();
  const nameAlg = r.u16();
  const attributes = r.u32();
  const authPolicy = r.tpm2b(64);
  const common = { nameAlg, attributes, authPolicy };
  switch (type) {
    case ALG.RSA: {
      const symmetric = readSymDef(r);
      const scheme = readScheme(r);
      return { type: "rsa", ...common, symmetric, scheme, keyBits: r.u16(), exponent: r.u32(), modulus: r.tpm2b(512) };
    }
    case ALG.ECC: {
      const symmetric = readSymDef(r);
      const scheme = readScheme(r);
      const curve = r.u16();
      const kdf = readScheme(r);
      return { type: "ecc", ...common, symmetric, scheme, curve, kdf, x: r.tpm2b(128), y: r.tpm2b(128) };
    }
    case ALG.KEYEDHASH: {
      const scheme = readScheme(r);
      if (scheme.scheme === ALG.XOR) throw new TpmCodecError("selector", "XOR keyed-hash scheme not supported");
      return { type: "keyedhash", ...common, scheme, unique: r.tpm2b(64) };
    }
    default:
      throw new TpmCodecError("selector", `unsupported TPMI_ALG_PUBLIC 0x${type.toString(16)}`);
  }
}

/** TPMT_PUBLIC bytes (no size prefix): what the object's Name is computed over. */
export const encodeTpmtPublic = (p: TpmtPublic) => encode((w) => writePublic(w, p));
/** TPM2B_PUBLIC: u16 size + TPMT_PUBLIC (what EVE sends as the EK's TPM2_PUBLIC meta data). */
export const encodePublic = (p: TpmtPublic) => encode((w) => w.sized((i) => writePublic(i, p)));
export const decodePublic = (b: Uint8Array): TpmtPublic => decodeAll(b, "TPM2B_PUBLIC", (r) => r.sized(readPublic));
