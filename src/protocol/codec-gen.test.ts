import { describe, expect, test } from "bun:test";
import { readFileSync } from "node:fs";
import type protobuf from "protobufjs/light";
import { CODEC_FILE, codecSource } from "../../scripts/gen-codec.ts";
import { toHex } from "../shared/index.ts";
import { TYPES } from "./codec.generated.ts";
import { type CodecName, codec } from "./codec.ts";
import { GOLDEN_CASES } from "./golden.cases.ts";
import { descriptorRoot } from "./root.ts";
import { messageCodec, staticCodec } from "./wire.ts";

// The static codecs against protobufjs reflection built from the same descriptor at run time (what the agent used before).
const root = descriptorRoot();
const messageCodecFor = (name: string) => staticCodec<unknown>(TYPES, name);
const reflected = (name: CodecName) => messageCodec<unknown>(() => root, codec[name].typeName);

describe("generated codecs", () => {
  test("are what scripts/gen-codec.ts makes from the descriptor now (else run it and commit the file)", () => {
    expect(readFileSync(CODEC_FILE, "utf8")).toBe(codecSource());
  });

  test("encode and decode every golden case as reflection does", () => {
    for (const c of GOLDEN_CASES) {
      const bytes = codec[c.codec].encode(c.value as never);
      expect({ case: c.fixture, hex: toHex(bytes) }).toEqual({ case: c.fixture, hex: toHex(reflected(c.codec).encode(c.value as never)) });
      expect(codec[c.codec].decode(bytes)).toStrictEqual(reflected(c.codec).decode(bytes) as never);
    }
  });

  test("refuse a value of the wrong type with the same message as reflection", () => {
    const bad = { protectedPayload: { payload: "not bytes" }, algo: 99, senderCertHash: 5 };
    const err = (f: () => unknown) => {
      try {
        f();
      } catch (e) {
        return (e as Error).message;
      }
      return "no error";
    };
    expect(err(() => codec.AuthContainer.encode(bad as never))).toBe(err(() => reflected("AuthContainer").encode(bad as never)));
    expect(err(() => codec.AuthContainer.encode(bad as never))).toContain("cannot encode AuthContainer");
  });

  // A value for every field of `t` (recursing twice), with `variant` choosing defaults, edge values or wrong types.
  const sample = (t: protobuf.Type, variant: number, depth = 0): Record<string, unknown> => {
    const out: Record<string, unknown> = {};
    t.fieldsArray.forEach((f, i) => {
      f.resolve();
      const k = variant + i;
      let v: unknown;
      if (f.resolvedType && "fieldsArray" in f.resolvedType) v = depth < 2 ? sample(f.resolvedType as protobuf.Type, variant, depth + 1) : {};
      else if (variant === 3) v = [{}, "x", 1.5, true, null, -1][k % 6];
      else if (f.resolvedType) v = [0, 1, -1, 3][k % 4];
      else if (f.type === "string") v = ["", "é€𝄞", "a"][k % 3];
      else if (f.type === "bool") v = k % 2 === 0;
      else if (f.type === "bytes") v = [new Uint8Array(0), Uint8Array.of(0, 255)][k % 2];
      else if (f.type === "double" || f.type === "float") v = [0, -0, 1.5, -2][k % 4];
      else v = [0, 1, 300, 2 ** 40, -5][k % 5];
      if (f.type.startsWith("u") && typeof v === "number" && v < 0 && variant !== 3) v = 7;
      if (f.repeated) v = variant === 1 ? [] : [v, v];
      if (variant !== 2 || i % 2 === 0) out[f.name] = v;
    });
    return out;
  };

  test("encode every type's sample values to reflection's bytes, and refuse bad ones with its message", () => {
    const outcome = (f: () => Uint8Array) => {
      try {
        return toHex(f());
      } catch (e) {
        return (e as Error).message;
      }
    };
    let compared = 0;
    for (const name of Object.keys(TYPES)) {
      const t = root.lookupType(name);
      const ours = messageCodecFor(name);
      const theirs = messageCodec<unknown>(() => root, name);
      for (const variant of [0, 1, 2, 3]) {
        const m = sample(t, variant);
        expect({ name, variant, r: outcome(() => ours.encode(m as never)) }).toEqual({ name, variant, r: outcome(() => theirs.encode(m as never)) });
        compared++;
      }
    }
    expect(compared).toBe(Object.keys(TYPES).length * 4);
  });

  test("decode every type's sample bytes, cut short and with bytes changed, to reflection's value or error", () => {
    const outcome = (f: () => unknown) => {
      try {
        return f();
      } catch (e) {
        return (e as Error).message;
      }
    };
    let compared = 0;
    for (const name of Object.keys(TYPES)) {
      const ours = messageCodecFor(name);
      const theirs = messageCodec<unknown>(() => root, name);
      for (const variant of [0, 2]) {
        const bytes = theirs.encode(sample(root.lookupType(name), variant) as never);
        const bodies = [bytes, bytes.subarray(0, bytes.length >> 1), bytes.subarray(0, bytes.length - 1)];
        // Flipping each position's low bits turns tags into other fields and wire types, lengths into overruns.
        for (let i = 0; i < bytes.length; i += 1 + (bytes.length >> 5)) bodies.push(bytes.map((b, j) => (j === i ? b ^ 0x05 : b)));
        for (const b of bodies) {
          expect({ name, r: outcome(() => ours.decode(b)) }).toStrictEqual({ name, r: outcome(() => theirs.decode(b)) } as never);
          compared++;
        }
      }
    }
    expect(compared).toBeGreaterThan(Object.keys(TYPES).length * 6);
  });

  test("decode unknown fields, truncated and over-deep bodies as reflection does", () => {
    const bodies = [
      Uint8Array.of(0xf8, 0x07, 0x01, 0x0a, 0x02, 0x0a, 0x00),
      Uint8Array.of(0x0a, 0x05, 0x0a),
      new Uint8Array(300).fill(0x0a).map((b, i) => (i % 2 ? 0x7f : b)),
    ];
    for (const name of ["AuthContainer", "ZInfoMsg", "EdgeDevConfig", "ZAttestReq"] as const) {
      for (const b of bodies) {
        const ours = (() => {
          try {
            return codec[name].decode(b);
          } catch (e) {
            return (e as Error).message;
          }
        })();
        const theirs = (() => {
          try {
            return reflected(name).decode(b);
          } catch (e) {
            return (e as Error).message;
          }
        })();
        expect(ours).toStrictEqual(theirs as never);
      }
    }
  });
});
