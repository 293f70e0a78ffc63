/**
 * Content octets of a DER INTEGER holding the unsigned big-endian `bytes`:
 * leading zeros dropped (DER wants the shortest form) and one 0x00 put back
 * when the top bit is set, so the value does not read as negative.
 */
export function unsignedIntegerContent(bytes: Uint8Array): ArrayBuffer {
  let start = 0;
  while (start < bytes.length - 1 && bytes[start] === 0) start++;
  const magnitude = bytes.subarray(start);
  const out = new Uint8Array(magnitude.length + ((magnitude[0] ?? 0) & 0x80 ? 1 : 0));
  out.set(magnitude, out.length - magnitude.length);
  return out.buffer;
}
