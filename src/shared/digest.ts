import { createHash, createHmac, hkdfSync } from "node:crypto";

/**
 * Hashes, HMAC and HKDF through the runtime's native code. A boot hashes a few
 * dozen small messages once each, before any JavaScript hash would have been
 * compiled: a JavaScript SHA-2 costs milliseconds of interpreter time there,
 * the native one microseconds.
 */
export type HashName = "sha1" | "sha256" | "sha384" | "sha512";

export function digest(alg: HashName, data: Uint8Array): Uint8Array {
  return new Uint8Array(createHash(alg).update(data).digest());
}

export function sha1(data: Uint8Array): Uint8Array {
  return digest("sha1", data);
}

export function sha256(data: Uint8Array): Uint8Array {
  return digest("sha256", data);
}

export function sha384(data: Uint8Array): Uint8Array {
  return digest("sha384", data);
}

export function sha512(data: Uint8Array): Uint8Array {
  return digest("sha512", data);
}

export function hmac(alg: HashName, key: Uint8Array, message: Uint8Array): Uint8Array {
  return new Uint8Array(createHmac(alg, key).update(message).digest());
}

/** RFC 5869 extract-and-expand; `length` is at most 255 hash lengths. */
export function hkdf(alg: HashName, ikm: Uint8Array, salt: Uint8Array, info: Uint8Array, length: number): Uint8Array {
  return new Uint8Array(hkdfSync(alg, ikm, salt, info, length));
}
