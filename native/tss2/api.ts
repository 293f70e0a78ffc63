/**
 * What src/ may import from the native layer without loading tpm2-tss: the
 * command table's types, ESYS_TR, and the shape of a failed TSS2_RC. The
 * runtime (EsysTpm, openWorkerTpm) is index.ts, which only the composition
 * root picks.
 */
export * from "./commands.ts";

/** Where in the stack a return code came from (bits 16..23 of a TSS2_RC). */
export const RC_LAYER = { TPM: 0, FEATURE: 6, ESAPI: 7, SYS: 8, MU: 9, TCTI: 10, RESMGR: 11, RESMGR_TPM: 12 } as const;

export interface Format1Index {
  parameter?: number;
  handle?: number;
  session?: number;
}

/**
 * A failed TSS2_RC as every TpmPort rejects with it (rc.ts's TpmRcError, or
 * its copy rebuilt on this side of the worker).
 */
export interface TpmRcLike {
  kind: "tpm.rc";
  rc: number;
  layer: number;
  /**
   * Comparable code: for TPM codes the format-1 base (index bits stripped) or
   * the format-0 code incl. warning bit (RC in src/tpm/structures/constants.ts),
   * for TSS layers the low 16 bits.
   */
  code: number;
  warning: boolean;
  index: Format1Index;
  command: string;
  message: string;
}

export function decodeRc(rc: number): { layer: number; code: number; warning: boolean; index: Format1Index } {
  const layer = (rc >>> 16) & 0xff;
  const low = rc & 0xffff;
  if (layer !== RC_LAYER.TPM && layer !== RC_LAYER.RESMGR_TPM) return { layer, code: low, warning: false, index: {} };
  if (low & 0x80) {
    const n = (low >> 8) & 0xf;
    const index: Format1Index = low & 0x40 ? { parameter: n } : n & 0x8 ? { session: n & 7 } : { handle: n & 7 };
    return { layer, code: 0x80 | (low & 0x3f), warning: false, index };
  }
  return { layer, code: low & 0x97f, warning: (low & 0x900) === 0x900, index: {} };
}
