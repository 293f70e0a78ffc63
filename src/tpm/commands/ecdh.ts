import { TpmError } from "../errors.ts";
import type { EsysTr, TpmPort } from "../port.ts";
import { decodeEccPoint, encodeEccPoint } from "../structures/basic.ts";

function pad32(b: Uint8Array): Uint8Array {
  if (b.length > 32) throw new TpmError("tpm.operation", `coordinate of ${b.length} bytes`);
  const out = new Uint8Array(32);
  out.set(b, 32 - b.length);
  return out;
}

/**
 * TPM2_ECDH_ZGen (Part 3 §14.5) with a P-256 point given as uncompressed SEC1
 * (65 bytes) or X||Y (64 bytes); returns the shared point X||Y, each
 * left-padded to 32 bytes as EVE derives its escrow key from it.
 */
export async function ecdhZGen(tpm: TpmPort, key: EsysTr, point: Uint8Array): Promise<Uint8Array> {
  const xy = point.length === 65 && point[0] === 0x04 ? point.subarray(1) : point;
  if (xy.length !== 64) throw new TpmError("tpm.input", "ECDH peer point must be uncompressed P-256 (65 bytes) or X||Y (64 bytes)");
  const { outPoint } = await tpm.ecdhZGen({ keyHandle: key, inPoint: encodeEccPoint({ x: xy.subarray(0, 32), y: xy.subarray(32) }) });
  const out = decodeEccPoint(outPoint);
  const res = new Uint8Array(64);
  res.set(pad32(out.x), 0);
  res.set(pad32(out.y), 32);
  return res;
}
