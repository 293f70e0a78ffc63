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

/**
 * How many bytes follow the first DER element of `der` (0 when it fills the
 * buffer exactly, or when its header is too short to tell: the parser then
 * refuses it itself). The schema parser stops at the end of that element and
 * ignores the rest, while Go's x509.ParseCertificate refuses it: a byte
 * appended to a real certificate would be a second byte string that verifies
 * as the same certificate (found by fuzzing, test/fuzz/findings.test.ts).
 */
export function bytesAfterFirstElement(der: Uint8Array): number {
  if (der.length < 2) return 0;
  let length = der[1]!;
  let header = 2;
  if (length & 0x80) {
    const n = length & 0x7f;
    if (n === 0 || n > 4 || der.length < 2 + n) return 0;
    length = 0;
    for (let i = 0; i < n; i++) length = length * 256 + der[2 + i]!;
    header += n;
  }
  return Math.max(0, der.length - header - length);
}
