import { describe, expect, test } from "bun:test";
import { wildcard } from "../principals.ts";
import { HandleAuthority } from "./handles.ts";
import { aeadDecrypt, aeadEncrypt } from "./symmetric.ts";

describe("key handles", () => {
  test("name their key and are refused once altered or signed by another boot's key", () => {
    const a = HandleAuthority.ephemeral();
    const h = a.issue({ kind: "keypair", id: "device-id" });
    expect(a.verify(h)).toEqual({ kind: "keypair", id: "device-id" });
    expect(a.issue({ kind: "keypair", id: "device-id" })).not.toBe(h);
    const [sr, sig] = h.split("&") as [string, string];
    const forgedSr = Buffer.from(JSON.stringify({ keyPair: "other", nonce: "x" })).toString("base64");
    const bad = [
      `sr=${forgedSr}&${sig}`,
      `${sr}&sig=${Buffer.alloc(32).toString("base64")}`,
      `${sr}`,
      "",
      `${h}&x=1`,
      HandleAuthority.ephemeral().issue({ kind: "keypair", id: "device-id" }),
    ];
    for (const b of bad) expect(() => a.verify(b)).toThrow("invalid key handle");
  });
});

describe("AEAD", () => {
  test("round-trips with a version byte, refuses a changed aad or ciphertext, and reads aziot's v1 layout", async () => {
    const key = crypto.getRandomValues(new Uint8Array(32));
    const iv = crypto.getRandomValues(new Uint8Array(12));
    const aad = new TextEncoder().encode("ctx");
    const ct = await aeadEncrypt(key, iv, aad, new TextEncoder().encode("hello"));
    expect(ct[0]).toBe(2);
    expect(ct.length).toBe(1 + 5 + 16);
    expect(new TextDecoder().decode(await aeadDecrypt(key, iv, aad, ct))).toBe("hello");
    await expect(aeadDecrypt(key, iv, new Uint8Array(0), ct)).rejects.toThrow("does not decrypt");
    const flipped = ct.slice();
    flipped[3]! ^= 1;
    await expect(aeadDecrypt(key, iv, aad, flipped)).rejects.toThrow("does not decrypt");
    const v1 = new Uint8Array(ct.length);
    v1[0] = 1;
    v1.set(ct.subarray(ct.length - 16), 1);
    v1.set(ct.subarray(1, ct.length - 16), 17);
    expect(new TextDecoder().decode(await aeadDecrypt(key, iv, aad, v1))).toBe("hello");
    await expect(aeadEncrypt(new Uint8Array(16), iv, aad, ct)).rejects.toThrow("32-byte key");
  });
});

describe("principal patterns", () => {
  test("* and ? are wildcards and everything else is literal", () => {
    expect(wildcard("work-*").test("work-1.a")).toBe(true);
    expect(wildcard("work-?").test("work-12")).toBe(false);
    expect(wildcard("a.b").test("axb")).toBe(false);
    expect(wildcard("device-id").test("device-id")).toBe(true);
    expect(wildcard("*").test("")).toBe(true);
  });
});
