import { ptr, read, type Pointer } from "bun:ffi";
import { esysLib, muLib, type MuFn, type MuType } from "./lib.ts";
import { SIZEOF } from "./sizes.ts";
import { TpmRcError } from "./rc.ts";

/**
 * All raw pointer handling of the agent. Inputs are TPM wire bytes turned into
 * C structs (in JS-owned memory) by Tss2_MU_*_Unmarshal; ESAPI outputs are
 * marshalled back to wire bytes and released with Esys_Free exactly once.
 */

const MARSHAL_SCRATCH = 16384;
const mu = muLib.symbols as unknown as Record<string, MuFn>;

export type Ptr = Pointer;

/** Address of a JS-owned buffer; valid only for the duration of one FFI call. */
export function addr(b: Uint8Array | BigUint64Array | Uint32Array): Pointer {
  return ptr(b);
}

/** A C struct built from its wire encoding; the whole input must be consumed. */
export function toC(type: MuType, wire: Uint8Array, into?: Uint8Array): Uint8Array {
  const size = SIZEOF[type];
  if (size === undefined) throw new Error(`no C size known for ${type}`);
  const out = into ?? new Uint8Array(size);
  if (out.length < size) throw new Error(`buffer for ${type} smaller than its C size`);
  const off = new BigUint64Array(1);
  const src = wire.length > 0 ? wire : new Uint8Array(1);
  const rc = mu[`Tss2_MU_${type}_Unmarshal`]!(ptr(src), wire.length, ptr(off), ptr(out));
  if (rc !== 0) throw new TpmRcError(`Unmarshal ${type}`, rc);
  if (Number(off[0]) !== wire.length) throw new TpmRcError(`Unmarshal ${type}`, 0x9000b /* MU BAD_SIZE */);
  return out;
}

/** Wire encoding of a C struct at `p` (ESAPI-owned or our own). */
export function fromC(type: MuType, p: Ptr | Uint8Array): Uint8Array {
  if (p instanceof Uint8Array) p = ptr(p);
  const buf = new Uint8Array(MARSHAL_SCRATCH);
  const off = new BigUint64Array(1);
  const rc = mu[`Tss2_MU_${type}_Marshal`]!(p, ptr(buf), buf.length, ptr(off));
  if (rc !== 0) throw new TpmRcError(`Marshal ${type}`, rc);
  return buf.slice(0, Number(off[0]));
}

/**
 * Out-parameter slots for one ESAPI call: pointer cells ESAPI fills with
 * callee-allocated structs, and u32 cells for ESYS_TR / integer outputs.
 */
export class OutSlots {
  private readonly cells: BigUint64Array;
  private readonly u32s = new Uint32Array(4);
  constructor(count: number) {
    this.cells = new BigUint64Array(Math.max(1, count));
  }
  ptrCell(i: number): Pointer {
    return ptr(this.cells, i * 8);
  }
  u32Cell(i: number): Pointer {
    return ptr(this.u32s, i * 4);
  }
  u32(i: number): number {
    return this.u32s[i]!;
  }
  /**
   * Marshals each filled pointer cell as `types[i]`, then frees every
   * non-null cell, also when marshalling one of them fails.
   */
  take<const K extends readonly MuType[]>(types: K): { [I in keyof K]: Uint8Array } {
    const out: Uint8Array[] = [];
    let failure: unknown;
    for (let i = 0; i < types.length; i++) {
      const p = Number(this.cells[i]!) as Pointer;
      if (p === 0) {
        out.push(new Uint8Array(0));
        continue;
      }
      try {
        if (failure === undefined) out.push(fromC(types[i]!, p));
      } catch (e) {
        failure = e;
      } finally {
        esysLib.symbols.Esys_Free(p);
        this.cells[i] = 0n;
      }
    }
    if (failure !== undefined) throw failure;
    return out as { [I in keyof K]: Uint8Array };
  }
  /** Frees whatever ESAPI left in the cells (error paths, unused outputs). */
  freeAll(): void {
    for (let i = 0; i < this.cells.length; i++) {
      const p = Number(this.cells[i]!) as Pointer;
      if (p !== 0) esysLib.symbols.Esys_Free(p);
      this.cells[i] = 0n;
    }
  }
}

export function readPtr(cell: BigUint64Array): Pointer {
  return Number(cell[0]!) as Pointer;
}

export function readU8(p: Pointer): number {
  return read.u8(p);
}
