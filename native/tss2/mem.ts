import { type Pointer, ptr } from "bun:ffi";
import { type MuFn, type MuType, tss2 } from "./lib.ts";
import { TpmRcError } from "./rc.ts";
import { SIZEOF } from "./sizes.ts";

/**
 * Conversions between TPM wire bytes and C structs. Inputs are turned into C
 * structs (in JS-owned memory) by Tss2_MU_*_Unmarshal; outputs are marshalled
 * back to wire bytes. The scratch cells below are shared: every conversion is
 * synchronous and finishes before the next starts.
 */

/**
 * Each type's pair of MU functions, looked up once: building the symbol's
 * name and finding it among some fifty on every call costs more than the
 * call itself while the Worker's code still runs unoptimised.
 */
const muFns = new Map<MuType, { marshal: MuFn; unmarshal: MuFn }>();
function mu(type: MuType): { marshal: MuFn; unmarshal: MuFn } {
  let f = muFns.get(type);
  if (!f) {
    const symbols = tss2().mu.symbols as unknown as Record<string, MuFn>;
    f = { marshal: symbols[`Tss2_MU_${type}_Marshal`]!, unmarshal: symbols[`Tss2_MU_${type}_Unmarshal`]! };
    muFns.set(type, f);
  }
  return f;
}
const MARSHAL_SCRATCH = new Uint8Array(16384);
/** The size_t offset MU reads and advances, used through its low 32 bits (buffers here are far smaller), so no BigInt per call. */
const OFFSET = new Uint32Array(2);
/** bun:ffi cannot take the address of an empty array; an empty input is never read past its length. */
const EMPTY = new Uint8Array(1);

export type Ptr = Pointer;

/**
 * A C struct built from its wire encoding; the whole input must be consumed.
 * `into` must be zeroed (MU refuses a struct-bearing TPM2B over a non-zero size).
 */
export function toC(type: MuType, wire: Uint8Array, into?: Uint8Array): Uint8Array {
  const size = SIZEOF[type];
  if (size === undefined) throw new Error(`no C size known for ${type}`);
  const out = into ?? new Uint8Array(size);
  if (out.length < size) throw new Error(`buffer for ${type} smaller than its C size`);
  OFFSET[0] = 0;
  OFFSET[1] = 0;
  const rc = mu(type).unmarshal(ptr(wire.length > 0 ? wire : EMPTY), wire.length, ptr(OFFSET), ptr(out));
  if (rc !== 0) throw new TpmRcError(`Unmarshal ${type}`, rc);
  if (OFFSET[0] !== wire.length) throw new TpmRcError(`Unmarshal ${type}`, 0x9000b /* MU BAD_SIZE */);
  return out;
}

/** Wire encoding of a C struct at `p` (ESAPI-owned or our own). */
export function fromC(type: MuType, p: Ptr | Uint8Array): Uint8Array {
  if (p instanceof Uint8Array) p = ptr(p);
  OFFSET[0] = 0;
  OFFSET[1] = 0;
  const rc = mu(type).marshal(p, ptr(MARSHAL_SCRATCH), MARSHAL_SCRATCH.length, ptr(OFFSET));
  if (rc !== 0) throw new TpmRcError(`Marshal ${type}`, rc);
  return MARSHAL_SCRATCH.slice(0, OFFSET[0]);
}

/** Marshals the C struct at `p` into `into` from `offset`; returns the offset after it (the Worker's answer, written in the slot). */
export function marshalInto(type: MuType, p: Ptr, into: Uint8Array, offset: number): number {
  OFFSET[0] = offset;
  OFFSET[1] = 0;
  const rc = mu(type).marshal(p, ptr(into), into.length, ptr(OFFSET));
  if (rc !== 0) throw new TpmRcError(`Marshal ${type}`, rc);
  return OFFSET[0];
}

export function readPtr(cell: BigUint64Array): Pointer {
  return Number(cell[0]!) as Pointer;
}
