import { ALG, RH, ST } from "./constants.ts";
import { decodeAll, encode, type Reader, TpmCodecError, type Writer } from "./wire.ts";

/** Small structures that only wrap a few fields (Part 2 §10-§11). */

export const encodeTpm2b = (b: Uint8Array) => encode((w) => w.tpm2b(b));
export const decodeTpm2b = (b: Uint8Array, what = "TPM2B") => decodeAll(b, what, (r) => r.tpm2b());

/** TPML_DIGEST: count then TPM2B_DIGESTs. */
export function decodeDigestList(b: Uint8Array): Uint8Array[] {
  return decodeAll(b, "TPML_DIGEST", (r) => {
    const n = r.u32();
    if (n > 8) throw new TpmCodecError("size", `TPML_DIGEST count ${n}`);
    return Array.from({ length: n }, () => r.tpm2b(64));
  });
}

/** TPM2B_SENSITIVE_CREATE: userAuth and (for sealed objects) the data. */
export function encodeSensitiveCreate(userAuth: Uint8Array, data: Uint8Array = new Uint8Array(0)): Uint8Array {
  return encode((w) => w.sized((i) => i.tpm2b(userAuth).tpm2b(data)));
}

export interface SigScheme {
  scheme: number;
  hashAlg?: number;
}

export function writeSigScheme(w: Writer, s: SigScheme): void {
  w.u16(s.scheme);
  if (s.scheme === ALG.NULL) return;
  w.u16(s.hashAlg ?? ALG.SHA256);
  if (s.scheme === ALG.ECDAA) w.u16(0);
}
export const encodeSigScheme = (s: SigScheme) => encode((w) => writeSigScheme(w, s));

/** A NULL TPMT_TK_HASHCHECK: enough for signing with an unrestricted key. */
export const encodeNullHashcheck = () => encode((w) => w.u16(ST.HASHCHECK).u32(RH.NULL).u16(0));

/** TPMT_SYM_DEF(_OBJECT): algorithm, then key bits and mode unless NULL. */
export interface SymDef {
  algorithm: number;
  keyBits?: number;
  mode?: number;
}
export function writeSymDef(w: Writer, s: SymDef): void {
  w.u16(s.algorithm);
  if (s.algorithm === ALG.NULL) return;
  w.u16(s.keyBits ?? 0);
  if (s.algorithm !== ALG.XOR) w.u16(s.mode ?? ALG.NULL);
}
export function readSymDef(r: Reader): SymDef {
  const algorithm = r.u16();
  if (algorithm === ALG.NULL) return { algorithm };
  const keyBits = r.u16();
  if (algorithm === ALG.XOR) return { algorithm, keyBits };
  return { algorithm, keyBits, mode: r.u16() };
}
export const encodeSymDef = (s: SymDef) => encode((w) => writeSymDef(w, s));
export const AES128_CFB: SymDef = { algorithm: ALG.AES, keyBits: 128, mode: ALG.CFB };

/** TPM2B_ECC_POINT. */
export interface EccPoint {
  x: Uint8Array;
  y: Uint8Array;
}
export const encodeEccPoint = (p: EccPoint) => encode((w) => w.sized((i) => i.tpm2b(p.x).tpm2b(p.y)));
export const decodeEccPoint = (b: Uint8Array): EccPoint => decodeAll(b, "TPM2B_ECC_POINT", (r) => r.sized((i) => ({ x: i.tpm2b(128), y: i.tpm2b(128) })));

/** TPM2B_NV_PUBLIC. */
export interface NvPublic {
  nvIndex: number;
  nameAlg: number;
  attributes: number;
  authPolicy: Uint8Array;
  dataSize: number;
}
export const encodeNvPublic = (p: NvPublic) =>
  encode((w) => w.sized((i) => i.u32(p.nvIndex).u16(p.nameAlg).u32(p.attributes).tpm2b(p.authPolicy).u16(p.dataSize)));
export const decodeNvPublic = (b: Uint8Array): NvPublic =>
  decodeAll(b, "TPM2B_NV_PUBLIC", (r) =>
    r.sized((i) => ({ nvIndex: i.u32(), nameAlg: i.u16(), attributes: i.u32(), authPolicy: i.tpm2b(64), dataSize: i.u16() })),
  );
