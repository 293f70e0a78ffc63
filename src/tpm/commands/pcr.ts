import { TpmError } from "../errors.ts";
import type { TpmPort } from "../port.ts";
import { decodeDigestList } from "../structures/basic.ts";
import { ALG } from "../structures/constants.ts";
import { decodePcrSelection, encodePcrSelection } from "../structures/pcr-selection.ts";

/**
 * TPM2_PCR_Read of SHA-256 PCRs (Part 3 §22.4). A TPM returns at most eight
 * digests per call and says which it returned, so we loop on what is left.
 */
export async function readPcrs(tpm: TpmPort, pcrs: number[]): Promise<Map<number, Uint8Array>> {
  const out = new Map<number, Uint8Array>();
  let left = [...new Set(pcrs)].sort((a, b) => a - b);
  while (left.length > 0) {
    const { pcrSelectionOut, pcrValues } = await tpm.pcrRead({ pcrSelectionIn: encodePcrSelection([{ hash: ALG.SHA256, pcrs: left }]) });
    const got = decodePcrSelection(pcrSelectionOut).find((b) => b.hash === ALG.SHA256)?.pcrs ?? [];
    const values = decodeDigestList(pcrValues);
    if (got.length === 0 || got.length !== values.length)
      throw new TpmError("tpm.operation", `PCR_Read returned ${values.length} digests for ${got.length} PCRs`);
    got.forEach((p, i) => out.set(p, values[i]!));
    left = left.filter((p) => !out.has(p));
  }
  return out;
}
