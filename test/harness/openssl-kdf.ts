/**
 * HKDF computed by openssl (`openssl kdf ... HKDF`): the independent checker
 * of the agent's own key derivations (vault key id and data key, fscrypt's
 * master key and key identifier).
 */
import { expect } from "bun:test";
import { toHex } from "../../src/shared/index.ts";
import { run } from "./proc.ts";

/** Hex of `len` bytes of HKDF-`digest` (e.g. "SHA256") over `key` with `salt` and `info`. */
export async function opensslHkdf(digest: string, key: Uint8Array, salt: Uint8Array, info: Uint8Array, len: number): Promise<string> {
  const r = await run([
    "openssl",
    "kdf",
    "-keylen",
    String(len),
    "-kdfopt",
    `digest:${digest}`,
    "-kdfopt",
    `hexkey:${toHex(key)}`,
    "-kdfopt",
    `hexsalt:${toHex(salt)}`,
    "-kdfopt",
    `hexinfo:${toHex(info)}`,
    "HKDF",
  ]);
  expect(r.code).toBe(0);
  return r.stdout.trim().replaceAll(":", "").toLowerCase();
}
