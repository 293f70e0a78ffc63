import { describe, expect, test } from "bun:test";
import { readFileSync } from "node:fs";
import { CODEC_FILE, codecSource } from "../../scripts/gen-codec.ts";
import { toHex } from "../shared/index.ts";
import { type CodecName, codec } from "./codec.ts";
import { GOLDEN_CASES } from "./golden.cases.ts";
import { descriptorRoot } from "./root.ts";
import { messageCodec } from "./wire.ts";

// The static codecs against protobufjs reflection built from the same descriptor at run time (what the agent used before).
const root = descriptorRoot();
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
