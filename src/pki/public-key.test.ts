import { describe, expect, test } from "bun:test";
import { p256 } from "@noble/curves/nist.js";
import { PkiError } from "./errors.ts";
import { publicKeyFromSpki, spkiFromP256Point } from "./public-key.ts";

describe("spkiFromP256Point", () => {
  test("gives the same SPKI for a point given uncompressed or compressed", () => {
    for (let i = 0; i < 20; i++) {
      const point = p256.getPublicKey(p256.utils.randomSecretKey(), false);
      const fromUncompressed = spkiFromP256Point(point);
      expect(fromUncompressed).toEqual(spkiFromP256Point(p256.Point.fromBytes(point).toBytes(true)));
      const info = publicKeyFromSpki(fromUncompressed);
      expect(info.kind === "ec" && info.point).toEqual(point);
    }
  });

  test("rejects with pki.key a point that is not on the curve or not a point at all", () => {
    const offCurve = new Uint8Array(65);
    offCurve[0] = 4;
    offCurve[64] = 1;
    const tooBig = new Uint8Array(65).fill(0xff);
    tooBig[0] = 4;
    for (const bad of [offCurve, tooBig, new Uint8Array(64), Uint8Array.of(2, ...new Uint8Array(32).fill(0xff))]) {
      let kind: string | undefined;
      try {
        spkiFromP256Point(bad);
      } catch (e) {
        kind = e instanceof PkiError ? e.kind : String(e);
      }
      expect(kind).toBe("pki.key");
    }
  });
});
