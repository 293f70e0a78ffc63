import { describe, expect, test } from "bun:test";
import { readFileSync } from "node:fs";
import { NV_INDEX } from "../../../src/tpm/index.ts";
import { hex, useSwtpm, withTpm } from "./fixture.ts";

const fx = useSwtpm();

describe("nvWrite / nvRead", () => {
  test("content reads back with tpm2_nvread when larger than one NV buffer", async () => {
    const data = new Uint8Array(1700).map((_, i) => (i * 7) & 0xff);
    await withTpm(fx.open, (m) => m.nvWrite(NV_INDEX.deviceCert, data));
    const out = fx.file("nv.out", "");
    fx.sw.tool(["tpm2_nvread", "-C", "o", "-o", out, "0x1500000"]);
    expect(hex(new Uint8Array(readFileSync(out)))).toBe(hex(data));
    expect(hex((await withTpm(fx.open, (m) => m.nvRead(NV_INDEX.deviceCert)))!)).toBe(hex(data));
  });

  test("replaces the index with the new size when written again", async () => {
    const cred = new TextEncoder().encode("3f6c1b2e-9d1a-4c55-8f0e-2b7d9a4e6c01");
    await withTpm(fx.open, async (m) => {
      await m.nvWrite(NV_INDEX.credential, new Uint8Array(100).fill(1));
      await m.nvWrite(NV_INDEX.credential, cred);
    });
    const out = fx.file("nv2.out", "");
    fx.sw.tool(["tpm2_nvread", "-C", "o", "-o", out, "0x1600000"]);
    expect(new TextDecoder().decode(readFileSync(out))).toBe(new TextDecoder().decode(cred));
  });

  test("reads undefined when the index is not defined", async () => {
    expect(await withTpm(fx.open, (m) => m.nvRead(0x1900000))).toBeUndefined();
  });

  test("reads what tpm2_nvwrite stored when the index was written by tools", async () => {
    const data = new TextEncoder().encode("written by tpm2-tools");
    fx.sw.tool(["tpm2_nvdefine", "-C", "o", "-s", String(data.length), "-a", "ownerread|ownerwrite", "0x1500010"]);
    fx.sw.tool(["tpm2_nvwrite", "-C", "o", "-i", fx.file("in.bin", data), "0x1500010"]);
    expect(hex((await withTpm(fx.open, (m) => m.nvRead(0x1500010)))!)).toBe(hex(data));
  });
});
