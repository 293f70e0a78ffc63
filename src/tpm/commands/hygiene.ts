import type { TpmPort } from "../port.ts";
import { HR } from "../structures/constants.ts";
import { listHandles } from "./capability.ts";

/**
 * Flushes transient objects and sessions a crashed predecessor left behind.
 * Without a resource manager (a bare TPM or swtpm) they would stay until
 * reset and the TPM would run out of slots (0x902/0x903); under /dev/tpmrm0
 * the lists only show this connection's own handles, so this is a no-op.
 */
export async function flushStale(tpm: TpmPort): Promise<number[]> {
  const stale = [...(await listHandles(tpm, HR.TRANSIENT)), ...(await listHandles(tpm, HR.LOADED_SESSION))];
  const flushed: number[] = [];
  for (const h of stale) {
    try {
      await tpm.flushContext({ flushHandle: (await tpm.fromTpmPublic({ tpmHandle: h })).object });
      flushed.push(h);
    } catch {
      // A handle that vanished meanwhile or cannot be named by ESAPI is not ours to fix.
    }
  }
  return flushed;
}
