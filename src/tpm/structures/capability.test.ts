import { describe, expect, test } from "bun:test";
import { decodeCapability } from "./capability.ts";
import { encode } from "./wire.ts";

describe("TPMS_CAPABILITY_DATA codec", () => {
  test("decodes a handle list", () => {
    const b = encode((w) => w.u32(1).u32(2).u32(0x81000001).u32(0x81000004));
    expect(decodeCapability(b)).toEqual({ capability: "handles", handles: [0x81000001, 0x81000004] });
  });
  test("decodes tagged properties into a map", () => {
    const b = encode((w) => w.u32(6).u32(1).u32(0x105).u32(0x49424d00));
    const c = decodeCapability(b);
    expect(c.capability === "properties" && c.properties.get(0x105)).toBe(0x49424d00);
  });
  test("raises selector when the capability is not one the agent decodes", () => {
    expect(() => decodeCapability(encode((w) => w.u32(9).u32(0)))).toThrow(expect.objectContaining({ kind: "tpm.codec.selector" }));
  });
});
