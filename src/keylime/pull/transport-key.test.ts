import { describe, expect, test } from "bun:test";
import { randomBytes } from "node:crypto";
import { TransportKey } from "./transport-key.ts";
import { opensslOaepSha1, opensslSha256 } from "./vectors.testkit.ts";

describe("the transport key", () => {
  const key = TransportKey.generate();

  test("serves an RSA-2048 SubjectPublicKeyInfo PEM ending in a newline", () => {
    expect(key.publicPem).toMatch(/^-----BEGIN PUBLIC KEY-----\n[A-Za-z0-9+/=\n]+-----END PUBLIC KEY-----\n$/);
    const der = Buffer.from(key.publicPem.replace(/-----[A-Z ]+-----|\n/g, ""), "base64");
    // 2048-bit modulus: a 294-byte SPKI.
    expect(der.length).toBe(294);
  });

  test("decrypts what openssl encrypts with RSA-OAEP-SHA1 to the served key", () => {
    const half = new Uint8Array(randomBytes(32));
    expect(key.decrypt(opensslOaepSha1(key.publicPem, half))).toEqual(half);
  });

  test("refuses a ciphertext with one flipped bit", () => {
    const ct = opensslOaepSha1(key.publicPem, new Uint8Array(randomBytes(32)));
    ct[100]! ^= 1;
    expect(() => key.decrypt(ct)).toThrow();
  });

  test("binds SHA-256 of the exact PEM string, newline included", () => {
    expect(Buffer.from(key.bindDigest()).toString("hex")).toBe(opensslSha256(key.publicPem));
  });

  test("a new start makes a new key, off the event loop too", async () => {
    const other = await TransportKey.create();
    expect(other.publicPem).not.toBe(key.publicPem);
    const half = new Uint8Array(randomBytes(32));
    expect(other.decrypt(opensslOaepSha1(other.publicPem, half))).toEqual(half);
  });
});
