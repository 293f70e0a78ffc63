import { describe, expect, test } from "bun:test";
import { splitConcatenatedJson } from "./concatenated-json.ts";

describe("splitConcatenatedJson", () => {
  test("splits objects written back to back when strings contain braces", () => {
    const text = '{"a":"}{"}{"b":[1,{"c":"\\"}"}]}\n{"d":2}\n';
    expect(splitConcatenatedJson(text)).toEqual([{ a: "}{" }, { b: [1, { c: '"}' }] }, { d: 2 }]);
  });

  test("throws when the input ends inside an object", () => {
    expect(() => splitConcatenatedJson('{"a":1}{"b":')).toThrow(/ends inside/);
  });

  test("returns nothing when the input is only whitespace", () => {
    expect(splitConcatenatedJson(" \n")).toEqual([]);
  });
});
