import { describe, expect, test } from "bun:test";
import {
  AES128_CFB,
  encodeEccPoint,
  encodeNullHashcheck,
  encodeNvPublic,
  encodeSensitiveCreate,
  encodeSigScheme,
  encodeSymDef,
} from "../../src/tpm/structures/basic.ts";
import { encodePcrSelection } from "../../src/tpm/structures/pcr-selection.ts";
import { encodePublic } from "../../src/tpm/structures/public.ts";
import {
  AIK_TEMPLATE,
  DEVICE_KEY_CHILD_TEMPLATE,
  ECDH_KEY_CHILD_TEMPLATE,
  ECDH_KEY_TEMPLATE,
  EK_TEMPLATE,
  QUOTE_KEY_TEMPLATE,
  SRK_TEMPLATE,
} from "../../src/tpm/structures/templates.ts";
import type { MuType } from "./lib.ts";
import { fromC, toC } from "./mem.ts";

const hex = (b: Uint8Array) => Buffer.from(b).toString("hex");

/** libtss2-mu is an independent codec: what it parses and re-emits must equal our encoding. */
const CASES: Array<[string, MuType, Uint8Array]> = [
  ["EK template", "TPM2B_PUBLIC", encodePublic(EK_TEMPLATE)],
  ["SRK template", "TPM2B_PUBLIC", encodePublic(SRK_TEMPLATE)],
  ["AIK template", "TPM2B_PUBLIC", encodePublic(AIK_TEMPLATE)],
  ["quote key template", "TPM2B_PUBLIC", encodePublic(QUOTE_KEY_TEMPLATE)],
  ["ECDH key template", "TPM2B_PUBLIC", encodePublic(ECDH_KEY_TEMPLATE)],
  ["device key child template", "TPM2B_PUBLIC", encodePublic(DEVICE_KEY_CHILD_TEMPLATE)],
  ["ECDH key child template", "TPM2B_PUBLIC", encodePublic(ECDH_KEY_CHILD_TEMPLATE)],
  [
    "sealed object template",
    "TPM2B_PUBLIC",
    encodePublic({
      type: "keyedhash",
      nameAlg: 0x0b,
      attributes: 0x412,
      authPolicy: new Uint8Array(32).fill(5),
      scheme: { scheme: 0x10 },
      unique: new Uint8Array(0),
    }),
  ],
  ["PCR 0..15 selection", "TPML_PCR_SELECTION", encodePcrSelection([{ hash: 0x0b, pcrs: Array.from({ length: 16 }, (_, i) => i) }])],
  ["sensitive with data", "TPM2B_SENSITIVE_CREATE", encodeSensitiveCreate(new Uint8Array([1, 2, 3]), new Uint8Array(32).fill(9))],
  ["ECDSA scheme", "TPMT_SIG_SCHEME", encodeSigScheme({ scheme: 0x18, hashAlg: 0x0b })],
  ["NULL scheme", "TPMT_SIG_SCHEME", encodeSigScheme({ scheme: 0x10 })],
  ["null hashcheck", "TPMT_TK_HASHCHECK", encodeNullHashcheck()],
  ["AES-128-CFB", "TPMT_SYM_DEF", encodeSymDef(AES128_CFB)],
  ["ECC point", "TPM2B_ECC_POINT", encodeEccPoint({ x: new Uint8Array(32).fill(1), y: new Uint8Array(32).fill(2) })],
  ["NV public", "TPM2B_NV_PUBLIC", encodeNvPublic({ nvIndex: 0x1500000, nameAlg: 0x0b, attributes: 0x20002, authPolicy: new Uint8Array(0), dataSize: 700 })],
];

describe("TS codecs against Tss2_MU", () => {
  for (const [name, type, wire] of CASES) {
    test(`${name} survives a ${type} unmarshal/marshal round trip unchanged`, () => {
      expect(hex(fromC(type, toC(type, wire)))).toBe(hex(wire));
    });
  }
});
