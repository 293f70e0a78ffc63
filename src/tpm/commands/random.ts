import { TpmError } from "../errors.ts";
import type { TpmPort } from "../port.ts";
import { decodeTpm2b } from "../structures/basic.ts";

/** TPM2_GetRandom (Part 3 §16.1); loops because a TPM returns at most one digest's worth per call. */
export async function getRandom(tpm: TpmPort, count: number): Promise<Uint8Array> {
  const out = new Uint8Array(count);
  let have = 0;
  while (have < count) {
    const { randomBytes } = await tpm.getRandom({ bytesRequested: Math.min(32, count - have) });
    const chunk = decodeTpm2b(randomBytes, "TPM2B_DIGEST");
    if (chunk.length === 0) throw new TpmError("tpm.operation", "TPM2_GetRandom returned no bytes");
    out.set(chunk.subarray(0, count - have), have);
    have += chunk.length;
  }
  return out;
}
