import { describe, expect, test } from "bun:test";
import { hex, useSwtpm, withTpm } from "./fixture.ts";

const fx = useSwtpm();

function toolPcrs(): Map<number, string> {
  const out = fx.sw.tool(["tpm2_pcrread", "sha256"]).stdout;
  const m = new Map<number, string>();
  for (const line of out.split("\n")) {
    const r = /^\s*(\d+)\s*:\s*0x([0-9A-Fa-f]+)/.exec(line);
    if (r) m.set(Number(r[1]), r[2]!.toLowerCase());
  }
  return m;
}

describe("readPcrs", () => {
  test("returns the same 24 SHA-256 values as tpm2_pcrread when read in one call", async () => {
    fx.sw.tool(["tpm2_pcrextend", `16:sha256=${"5a".repeat(32)}`]);
    const expected = toolPcrs();
    const ours = await withTpm(fx.open, (m) => m.readPcrs());
    expect(ours.size).toBe(24);
    expect(expected.size).toBe(24);
    for (const [i, v] of ours) expect(hex(v)).toBe(expected.get(i)!);
    expect(hex(ours.get(16)!)).not.toBe("00".repeat(32));
  });

  test("reads an arbitrary subset in ascending order when asked out of order", async () => {
    const ours = await withTpm(fx.open, (m) => m.readPcrs([23, 0, 9, 16]));
    expect([...ours.keys()]).toEqual([0, 9, 16, 23]);
  });
});

describe("getRandom", () => {
  test("returns fresh bytes of the requested length when called repeatedly", async () => {
    const [a, b, big] = await withTpm(fx.open, async (m) => [await m.getRandom(32), await m.getRandom(32), await m.getRandom(100)]);
    expect(a!.length).toBe(32);
    expect(big!.length).toBe(100);
    expect(hex(a!)).not.toBe(hex(b!));
    expect(hex(a!)).not.toBe("00".repeat(32));
  });
});
