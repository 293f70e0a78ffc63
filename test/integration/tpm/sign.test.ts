import { describe, expect, test } from "bun:test";
import { spawnSync } from "node:child_process";
import { p256 } from "@noble/curves/nist.js";
import { sha256 } from "@noble/hashes/sha2.js";
import { p256Pem, useSwtpm, withTpm } from "./fixture.ts";

const fx = useSwtpm();

function rawToDer(raw: Uint8Array): Uint8Array {
  return p256.Signature.fromBytes(raw, "compact").toBytes("der");
}

function opensslVerify(pubPem: string, data: Uint8Array, sigDer: Uint8Array) {
  return spawnSync(
    "openssl",
    ["dgst", "-sha256", "-verify", fx.file("dev.pub.pem", pubPem), "-signature", fx.file("sig.der", sigDer), fx.file("data.bin", data)],
    { encoding: "utf8" },
  );
}

describe("deviceSigner", () => {
  const data = new TextEncoder().encode("envelope payload");

  test("produces signatures openssl verifies against the device public key", async () => {
    const { pub, sig } = await withTpm(fx.openWithKeys, async (m) => {
      const s = m.deviceSigner();
      return { pub: s.publicKey, sig: await s.sign(sha256(data)) };
    });
    expect(sig.length).toBe(64);
    expect(pub.length).toBe(65);
    const r = opensslVerify(p256Pem(pub), data, rawToDer(sig));
    expect(r.stdout).toContain("Verified OK");
  });

  test("fails openssl verification when the data differs", async () => {
    const { pub, sig } = await withTpm(fx.openWithKeys, async (m) => {
      const s = m.deviceSigner();
      return { pub: s.publicKey, sig: await s.sign(sha256(data)) };
    });
    const r = opensslVerify(p256Pem(pub), new TextEncoder().encode("other payload"), rawToDer(sig));
    expect(r.status).not.toBe(0);
  });

  test("rejects the signature request when the digest is not 32 bytes", async () => {
    await withTpm(fx.openWithKeys, async (m) => {
      await expect(m.deviceSigner().sign(new Uint8Array(20))).rejects.toMatchObject({ kind: "tpm.input" });
    });
  });

  test("refuses to sign when the device key auth is wrong", async () => {
    await withTpm(fx.openWithKeys, async () => undefined);
    await withTpm(fx.open, async (m) => {
      await m.ensureKeys({ credential: "WRONGCRED-0000" });
      await expect(m.deviceSigner().sign(new Uint8Array(32))).rejects.toMatchObject({ kind: "tpm.rc" });
    });
  });
});
