import { describe, expect, test } from "bun:test";
import { parseChallenge, parseImaEntry, parseMask, parseNonce, parsePartial } from "./params.ts";

describe("Keylime pull query parameters", () => {
  test("takes a nonce of 20 to 64 letters and digits as its ASCII bytes", () => {
    expect(Buffer.from(parseNonce("FcypeUIYfkDns9BP10Yp")).toString("latin1")).toBe("FcypeUIYfkDns9BP10Yp");
    expect(parseNonce("a".repeat(64)).length).toBe(64);
  });

  test.each([
    ["missing", undefined],
    ["19 characters", "a".repeat(19)],
    ["65 characters", "a".repeat(65)],
    ["punctuation", "FcypeUIYfkDns9BP10Y-"],
    ["a space", "FcypeUIYfkDns9BP10Y "],
    ["non-ASCII letters", "FcypeUIYfkDns9BP10Yé"],
    ["the rust agent's short test nonce", "abc"],
  ])("refuses a nonce with %s", (_what, v) => {
    expect(() => parseNonce(v)).toThrow(expect.objectContaining({ kind: "keylime.pull.bad-request" }));
  });

  test("reads the mask's bits as PCR numbers", () => {
    expect(parseMask("0x0")).toEqual([]);
    expect(parseMask("0xff")).toEqual([0, 1, 2, 3, 4, 5, 6, 7]);
    expect(parseMask("0x408000")).toEqual([15, 22]);
    expect(parseMask("0xFFFFFF")).toHaveLength(24);
  });

  test.each([undefined, "", "0x", "0xzz", "0x1000000", "0x-1", "1e3", "0xff&partial=0"])("refuses the mask %p", (v) => {
    expect(() => parseMask(v)).toThrow(expect.objectContaining({ kind: "keylime.pull.bad-request" }));
  });

  test("partial is 0 or 1 and nothing else", () => {
    expect(parsePartial("0")).toBe(false);
    expect(parsePartial("1")).toBe(true);
    for (const v of [undefined, "", "2", "true", "01"]) expect(() => parsePartial(v)).toThrow(/partial/);
  });

  test("ima_ml_entry defaults to 0 and must be a non-negative integer", () => {
    expect(parseImaEntry(undefined)).toBe(0);
    expect(parseImaEntry("42")).toBe(42);
    expect(parseImaEntry("4294967295")).toBe(4294967295);
    for (const v of ["-1", "1.5", "007", "4294967296", "x"]) expect(() => parseImaEntry(v)).toThrow(/ima_ml_entry/);
  });

  test("a challenge follows the nonce rules", () => {
    expect(parseChallenge("zacKiDzwSp6mr4yl64In")).toBe("zacKiDzwSp6mr4yl64In");
    expect(() => parseChallenge(undefined)).toThrow("No challenge provided.");
    expect(() => parseChallenge("")).toThrow("No challenge provided.");
    expect(() => parseChallenge("zacKiDzwSp6mr4yl64I!")).toThrow(/challenge/);
  });
});
