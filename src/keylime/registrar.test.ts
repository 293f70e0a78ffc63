import { describe, expect, test } from "bun:test";
import { spawnSync } from "node:child_process";
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { KeylimeError } from "./errors.ts";
import { authTag, parseCredentialBlob, RegistrarClient } from "./registrar.ts";

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

describe("answer size cap", () => {
  const MiB = 1024 * 1024;
  const CHUNK = 64 * 1024;
  /** A registrar whose body streams CHUNK-sized pieces until `total` bytes; counts what the client pulled. */
  function streaming(total: number, headers: Record<string, string> = {}) {
    const pulled = { bytes: 0 };
    const fetchFn = (async () => {
      const body = new ReadableStream<Uint8Array>({
        pull(c) {
          if (pulled.bytes >= total) return c.close();
          const n = Math.min(CHUNK, total - pulled.bytes);
          pulled.bytes += n;
          c.enqueue(new Uint8Array(n).fill(0x20));
        },
      });
      return new Response(body, { status: 200, headers });
    }) as unknown as typeof fetch;
    return { client: new RegistrarClient("http://registrar.invalid", { fetch: fetchFn }), pulled };
  }

  test("a 64 MiB answer is abandoned at 1 MiB with a typed error", async () => {
    const { client, pulled } = streaming(64 * MiB);
    const err = await client.negotiate().catch((e) => e);
    expect(err).toBeInstanceOf(KeylimeError);
    expect(err.kind).toBe("keylime.protocol");
    expect(err.message).toContain("larger than 1048576 bytes");
    // Reading stopped at the cap: at most the chunk that crossed it, plus what the stream queued ahead.
    expect(pulled.bytes).toBeLessThanOrEqual(MiB + 2 * CHUNK);
  });

  test("an answer announcing more than 1 MiB is refused before its body is read", async () => {
    const { client, pulled } = streaming(2 * MiB, { "content-length": String(2 * MiB) });
    const err = await client.negotiate().catch((e) => e);
    expect(err.kind).toBe("keylime.protocol");
    expect(pulled.bytes).toBeLessThanOrEqual(CHUNK);
  });

  test("an answer of exactly 1 MiB is still read", async () => {
    const json = JSON.stringify({ code: 200, status: "Success", results: { supported_versions: ["2.1"], current_version: "2.1" } });
    const body = json + " ".repeat(MiB - json.length);
    const client = new RegistrarClient("http://registrar.invalid", { fetch: (async () => new Response(body)) as unknown as typeof fetch });
    expect(await client.negotiate()).toBe("2.1");
  });
});
