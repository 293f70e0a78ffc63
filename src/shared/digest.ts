import { createHash } from "node:crypto";

/**
 * SHA-256 through the runtime's native code. A boot hashes a few dozen small
 * messages once each, before any JavaScript hash would have been compiled.
 */
export function sha256(data: Uint8Array): Uint8Array {
  return new Uint8Array(createHash("sha256").update(data).digest());
}
