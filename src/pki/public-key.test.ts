import { describe, expect, test } from "bun:test";
import { createPublicKey, generateKeyPairSync } from "node:crypto";
import { p256, p384 } from "@noble/curves/nist.js";
import { PkiError } from "./errors.ts";
import { OID } from "./oids.ts";
import { CURVES, onCurve, publicKeyFromSpki, spkiFromP256Point } from "./public-key.ts";

describe("onCurve", () => {
  /** The runtime's native key import (BoringSSL's point decoding) as the independent judge of a point. */
  function nativeAccepts(point: Uint8Array, crv: "P-256" | "P-384", bytes: number): boolean {
    const b64 = (from: number) => Buffer.from(point.subarray(from, from + bytes)).toString("base64url");
    try {
      createPublicKey({ key: { kty: "EC", crv, x: b64(1), y: b64(1 + bytes) }, format: "jwk" });
      return true;
    } catch {
      return false;
    }
  }

  const hexOf = (v: bigint, bytes: number) => Buffer.from(v.toString(16).padStart(2 * bytes, "0"), "hex");

  /** A point on the curve with x below 2^(8 bytes) - p, so x + p still fits the encoding: the same residue, not a field element. */
  function pastField(c: (typeof CURVES)[string], fp: typeof p256.Point.Fp): Uint8Array {
    for (let x = 0n; ; x++) {
      let y: bigint;
      try {
        y = fp.sqrt(fp.create(x * x * x - 3n * x + c.b));
      } catch {
        continue;
      }
      if (fp.sqr(y) !== fp.create(x * x * x - 3n * x + c.b)) continue;
      return Uint8Array.of(4, ...hexOf(x + c.p, c.bytes), ...hexOf(y, c.bytes));
    }
  }

  for (const [oid, crv, fp] of [
    [OID.prime256v1, "P-256", p256.Point.Fp],
    [OID.secp384r1, "P-384", p384.Point.Fp],
  ] as const) {
    test(`${crv}: agrees with the native import on real points, altered ones and coordinates past the field`, () => {
      const c = CURVES[oid]!;
      let accepted = 0;
      let refused = 0;
      for (let i = 0; i < 20; i++) {
        const jwk = generateKeyPairSync("ec", { namedCurve: crv }).publicKey.export({ format: "jwk" });
        const point = Uint8Array.of(4, ...Buffer.from(jwk.x!, "base64url"), ...Buffer.from(jwk.y!, "base64url"));
        const altered = point.slice();
        altered[1 + (i % (2 * c.bytes))]! ^= 1 << (i % 8);
        for (const p of [point, altered]) {
          const native = nativeAccepts(p, crv, c.bytes);
          expect(onCurve(p, c)).toBe(native);
          if (native) accepted++;
          else refused++;
        }
      }
      const past = pastField(c, fp);
      expect(nativeAccepts(past, crv, c.bytes)).toBe(false);
      expect(onCurve(past, c)).toBe(false);
      // The same point with x reduced into the field is on the curve.
      const reduced = past.slice();
      reduced.set(hexOf(BigInt(`0x${Buffer.from(past.subarray(1, 1 + c.bytes)).toString("hex")}`) - c.p, c.bytes), 1);
      expect(nativeAccepts(reduced, crv, c.bytes)).toBe(true);
      expect(onCurve(reduced, c)).toBe(true);
      expect(accepted).toBe(20);
      expect(refused).toBe(20);
    });
  }
});

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
