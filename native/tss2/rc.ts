import { AgentError } from "../../src/shared/errors.ts";
import { decodeRc, type Format1Index, type TpmRcLike } from "./api.ts";
import { tss2 } from "./lib.ts";

/**
 * A non-zero TSS2_RC. `code` is the comparable part (see TpmRcLike); `text`
 * is Tss2_RC_Decode output, for logs.
 */
export class TpmRcError extends AgentError implements TpmRcLike {
  declare readonly kind: "tpm.rc";
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

function decodeText(rc: number): string {
  try {
    return String(tss2().rc.symbols.Tss2_RC_Decode(rc >>> 0));
  } catch {
    return "undecodable";
  }
}

export function check(command: string, rc: number): void {
  if (rc !== 0) throw new TpmRcError(command, rc);
}
