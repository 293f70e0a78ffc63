import { decodeAll, encode, type Reader, TpmCodecError, type Writer } from "./wire.ts";

/** One bank of a TPML_PCR_SELECTION (Part 2 §10.6.2 / §10.9.7). */
export interface PcrBankSelection {
  hash: number;
  /** Ascending PCR indexes. */
  pcrs: number[];
}

const MIN_SELECT = 3;

export function writePcrSelection(w: Writer, banks: PcrBankSelection[]): void {
  w.u32(banks.length);
  for (const b of banks) {
    const max = b.pcrs.reduce((m, p) => Math.max(m, p), -1);
    if (b.pcrs.some((p) => !Number.isInteger(p) || p < 0 || p > 31)) throw new TpmCodecError("range", `PCR index out of range in ${b.pcrs}`);
    const bytes = new Uint8Array(Math.max(MIN_SELECT, Math.ceil((max + 1) / 8)));
    for (const p of b.pcrs) bytes[p >> 3]! |= 1 << (p & 7);
    w.u16(b.hash).u8(bytes.length).bytes(bytes);
  }
}

export function readPcrSelection(r: Reader): PcrBankSelection[] {
  const count = r.u32();
  if (count > 16) throw new TpmCodecError("size", `TPML_PCR_SELECTION count ${count}`);
  const banks: PcrBankSelection[] = [];
  for (let i = 0; i < count; i++) {
    const hash = r.u16();
    const n = r.u8();
    if (n > 4) throw new TpmCodecError("size", `sizeofSelect ${n}`);
    const bits = r.bytes(n);
    const pcrs: number[] = [];
    for (let p = 0; p < n * 8; p++) if (bits[p >> 3]! & (1 << (p & 7))) pcrs.push(p);
    banks.push({ hash, pcrs });
  }
  return banks;
}

export const encodePcrSelection = (banks: PcrBankSelection[]) => encode((w) => writePcrSelection(w, banks));
export const decodePcrSelection = (b: Uint8Array) => decodeAll(b, "TPML_PCR_SELECTION", readPcrSelection);
