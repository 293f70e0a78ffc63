import { describe, expect, test } from "bun:test";
import { p256 } from "@noble/curves/nist.js";
import { hex, useSwtpm, withTpm } from "./fixture.ts";

const fx = useSwtpm();

describe("ecdhZGen", () => {
  test("equals the shared point noble computes from the other side", async () => {
    const soft = p256.utils.randomSecretKey();
    const softPub = p256.getPublicKey(soft, false);
    const { z, tpmPub } = await withTpm(fx.openWithKeys, async (m) => {
      const pub = m.publicKey("ecdh");
      if (pub.kind !== "ec") throw new Error("ECDH key is not EC");
      return { z: await m.ecdhZGen(softPub), tpmPub: pub.point };
    });
    const shared = p256.getSharedSecret(soft, tpmPub, false);
    expect(z.length).toBe(64);
    expect(hex(z)).toBe(hex(shared.subarray(1)));
  });

  test("rejects the point when it is not uncompressed P-256", async () => {
    await withTpm(fx.openWithKeys, async (m) => {
      await expect(m.ecdhZGen(new Uint8Array(33))).rejects.toMatchObject({ kind: "tpm.input" });
    });
  });

  test("fails with a TPM error when the point is not on the curve", async () => {
    const bad = new Uint8Array(65);
    bad[0] = 4;
    bad[64] = 1;
    await withTpm(fx.openWithKeys, async (m) => {
      await expect(m.ecdhZGen(bad)).rejects.toMatchObject({ kind: "tpm.rc" });
    });
  });
});
