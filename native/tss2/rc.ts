import { AgentError } from "../../src/shared/index.ts";
import { rcLib } from "./lib.ts";

/** Where in the stack a return code came from (bits 16..23 of a TSS2_RC). */
export const RC_LAYER = { TPM: 0, FEATURE: 6, ESAPI: 7, SYS: 8, MU: 9, TCTI: 10, RESMGR: 11, RESMGR_TPM: 12 } as const;

export interface Format1Index {
  parameter?: number;
  handle?: number;
  session?: number;
}

/**
 * A non-zero TSS2_RC. `code` is the comparable part: for TPM codes the
 * format-1 base (index bits stripped) or the format-0 code incl. warning bit,
 * for TSS layers the low 16 bits. `text` is Tss2_RC_Decode output, for logs.
 */
export class TpmRcError extends AgentError {
  readonly rc: number;
  readonly layer: number;
  readonly code: number;
  readonly warning: boolean;
  readonly index: Format1Index;
  readonly command: string;
  readonly text: string;

  constructor(command: string, rc: number, text?: string) {
    const d = decodeRc(rc);
    const t = text ?? decodeText(rc);
    super("tpm.rc", `${command} failed: 0x${rc.toString(16)} (${t})`);
    this.rc = rc >>> 0;
    this.layer = d.layer;
    this.code = d.code;
    this.warning = d.warning;
    this.index = d.index;
    this.command = command;
    this.text = t;
  }
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

function decodeText(rc: number): string {
  try {
    return String(rcLib.symbols.Tss2_RC_Decode(rc >>> 0));
  } catch {
    return "undecodable";
  }
}

export function check(command: string, rc: number): void {
  if (rc !== 0) throw new TpmRcError(command, rc);
}
