import { describe, expect, test } from "bun:test";
import { decodeRc } from "./api.ts";
import { TpmRcError } from "./rc.ts";

describe("decodeRc", () => {
  test("strips the session index from a format-1 policy failure", () => {
    expect(decodeRc(0x99d)).toEqual({ layer: 0, code: 0x09d, warning: false, index: { session: 1 } });
  });
  test("reads the parameter index of a format-1 size error", () => {
    expect(decodeRc(0x2d5)).toEqual({ layer: 0, code: 0x095, warning: false, index: { parameter: 2 } });
  });
  test("reads the handle index of a format-1 handle error", () => {
    expect(decodeRc(0x18b)).toEqual({ layer: 0, code: 0x08b, warning: false, index: { handle: 1 } });
  });
  test("marks format-0 warnings such as RETRY", () => {
    expect(decodeRc(0x922)).toMatchObject({ code: 0x922, warning: true });
  });
  test("keeps the low 16 bits as the code when the layer is a TSS layer", () => {
    expect(decodeRc(0xa000a)).toEqual({ layer: 10, code: 0x0a, warning: false, index: {} });
  });
});

describe("TpmRcError", () => {
  test("carries the raw code, decoded fields and Tss2_RC_Decode text", () => {
    const e = new TpmRcError("Esys_Unseal", 0x99d);
    expect(e).toMatchObject({ kind: "tpm.rc", rc: 0x99d, layer: 0, code: 0x09d, command: "Esys_Unseal" });
    expect(e.text).toContain("tpm:session(1)");
  });
});
