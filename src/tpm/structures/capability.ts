import { CAP } from "./constants.ts";
import { decodeAll, TpmCodecError } from "./wire.ts";

/** The TPMS_CAPABILITY_DATA variants the agent asks for (Part 2 §10.10.2). */
export type CapabilityData =
  | { capability: "handles"; handles: number[] }
  | { capability: "properties"; properties: Map<number, number> }
  | { capability: "algs"; algs: Map<number, number> };

export function decodeCapability(b: Uint8Array): CapabilityData {
  return decodeAll(b, "TPMS_CAPABILITY_DATA", (r) => {
    const cap = r.u32();
    const count = r.u32();
    if (count > 1024) throw new TpmCodecError("size", `capability list of ${count}`);
    switch (cap) {
      case CAP.HANDLES:
        return { capability: "handles", handles: Array.from({ length: count }, () => r.u32()) };
      case CAP.TPM_PROPERTIES: {
        const properties = new Map<number, number>();
        for (let i = 0; i < count; i++) properties.set(r.u32(), r.u32());
        return { capability: "properties", properties };
      }
      case CAP.ALGS: {
        const algs = new Map<number, number>();
        for (let i = 0; i < count; i++) algs.set(r.u16(), r.u32());
        return { capability: "algs", algs };
      }
      default:
        throw new TpmCodecError("selector", `capability 0x${cap.toString(16)} not decoded`);
    }
  });
}
