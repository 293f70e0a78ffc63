import { describe, expect, test } from "bun:test";
import { spawnSync } from "node:child_process";
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { authTag, parseCredentialBlob } from "./registrar.ts";

const FIX = join(import.meta.dir, "../../test/fixtures/keylime");

describe("registration crypto", () => {
  test("auth_tag is hex HMAC-SHA384 of the UUID keyed with the secret's base64 text, as openssl computes it", () => {
    const secret = new TextEncoder().encode("Zq3vK8pL0wXyR2tBn5mC7dF9gH1jA4sE");
    const uuid = "d432fbb3-d2f1-4a97-9ef7-75bd81c00000";
    const key = Buffer.from(secret).toString("base64");
    const r = spawnSync("openssl", ["dgst", "-sha384", "-hmac", key, "-r"], { input: uuid, encoding: "utf8" });
    expect(r.status).toBe(0);
    const tag = authTag(secret, uuid);
    expect(tag).toBe(r.stdout.split(" ")[0]!);
    expect(tag).toMatch(/^[0-9a-f]{96}$/);
    // Keyed with the raw secret instead, the registrar would reject it.
    const raw = spawnSync("openssl", ["dgst", "-sha384", "-hmac", Buffer.from(secret).toString("latin1"), "-r"], { input: uuid, encoding: "utf8" });
    expect(tag).not.toBe(raw.stdout.split(" ")[0]!);
  });

  test("the registrar's credential blob splits into TPM2B_ID_OBJECT and TPM2B_ENCRYPTED_SECRET", () => {
    const blob: string = JSON.parse(readFileSync(join(FIX, "registrar-post.json"), "utf8")).resp_body.results.blob;
    const c = parseCredentialBlob(blob);
    // ID object: integrity HMAC (TPM2B, SHA-256) + encrypted credential; secret: RSA-2048 OAEP, 256 bytes.
    expect(Buffer.from(c.credentialBlob).readUInt16BE(0)).toBe(c.credentialBlob.length - 2);
    expect(Buffer.from(c.credentialBlob).readUInt16BE(2)).toBe(32);
    expect(Buffer.from(c.encSecret).readUInt16BE(0)).toBe(256);
    expect(c.encSecret.length).toBe(258);
    const b = Buffer.from(blob, "base64");
    const bad = Buffer.from(b);
    bad[0] = 0;
    expect(() => parseCredentialBlob(bad.toString("base64"))).toThrow(/magic/);
    expect(() => parseCredentialBlob(b.subarray(0, b.length - 1).toString("base64"))).toThrow(/does not end/);
    expect(() => parseCredentialBlob(Buffer.concat([b, Buffer.from([0])]).toString("base64"))).toThrow(/does not end/);
  });
});
