import { describe, expect, test } from "bun:test";
import { COMMANDS, type CommandSpec, type MuType } from "./commands.ts";
import { fromC, toC } from "./mem.ts";
import { TpmRcError } from "./rc.ts";
import { SIZEOF } from "./sizes.ts";

const u16 = (n: number) => [n >> 8, n & 0xff];
const u32 = (n: number) => [(n >>> 24) & 0xff, (n >> 16) & 0xff, (n >> 8) & 0xff, n & 0xff];
const fill = (n: number, v = 0x11) => new Array<number>(n).fill(v);
const tpm2b = (n: number) => [...u16(n), ...fill(n)];

/** The largest value of each structure the agent builds, as wire bytes. */
const MAXIMAL: Record<string, number[]> = {
  TPM2B_DIGEST: tpm2b(64),
  TPM2B_NONCE: tpm2b(64),
  TPM2B_DATA: tpm2b(64),
  TPM2B_AUTH: tpm2b(64),
  TPM2B_MAX_NV_BUFFER: tpm2b(2048),
  TPM2B_SENSITIVE_DATA: tpm2b(256),
  TPM2B_PRIVATE: tpm2b(1550),
  TPM2B_ID_OBJECT: [...u16(2 + 64 + 2 + 64), ...tpm2b(64), ...tpm2b(64)],
  TPM2B_ENCRYPTED_SECRET: tpm2b(512),
  TPM2B_SENSITIVE_CREATE: [...u16(2 + 64 + 2 + 256), ...tpm2b(64), ...tpm2b(256)],
  TPM2B_ECC_POINT: [...u16(4 + 256), ...tpm2b(128), ...tpm2b(128)],
  // RSA public with a 4096-bit modulus: its last byte is the struct's last field.
  TPM2B_PUBLIC: [
    ...u16(2 + 2 + 4 + 66 + 2 + 2 + 2 + 4 + 514),
    ...u16(0x0001),
    ...u16(0x000b),
    ...u32(0x00060072),
    ...tpm2b(64),
    ...u16(0x0010),
    ...u16(0x0010),
    ...u16(4096),
    ...u32(65537),
    ...tpm2b(512),
  ],
  TPM2B_NV_PUBLIC: [...u16(4 + 2 + 4 + 66 + 2), ...u32(0x01500000), ...u16(0x000b), ...u32(0x00020002), ...tpm2b(64), ...u16(2048)],
  TPML_PCR_SELECTION: [...u32(16), ...Array.from({ length: 16 }, (_, i) => [...u16(i + 1), 4, 0xff, 0xff, 0xff, 0xff]).flat()],
  // 16 banks of SHA-512 digests.
  TPML_DIGEST_VALUES: [...u32(16), ...Array.from({ length: 16 }, () => [...u16(0x000d), ...fill(64)]).flat()],
  TPMT_SIG_SCHEME: [...u16(0x001a), ...u16(0x000b), ...u16(7)],
  TPMT_TK_HASHCHECK: [...u16(0x8024), ...u32(0x40000007), ...tpm2b(64)],
  TPMT_SYM_DEF: [...u16(0x0006), ...u16(128), ...u16(0x0043)],
};

/** Offset one past the last byte the maximal value's deepest field occupies in C. */
const LAST_FIELD_END: Record<string, number> = {
  TPM2B_PUBLIC: 4 + 8 + 66 + 2 /* pad */ + 20 + 2 + 512,
  TPM2B_NV_PUBLIC: 4 + 78 + 2,
  TPML_PCR_SELECTION: 4 + 15 * 8 + 7,
  TPMT_TK_HASHCHECK: 8 + 66,
  TPML_DIGEST_VALUES: 4 + 15 * 66 + 2 + 64,
};

/** Every structure a command of the table takes as a parameter (unmarshalled into memory sized by SIZEOF). */
const INPUT_TYPES = [
  ...new Set(
    Object.values<CommandSpec>(COMMANDS).flatMap((c) =>
      Object.values(c.params ?? {})
        .filter((k) => /^TPM/.test(k))
        .map((k) => k.replace(/\?$/, "")),
    ),
  ),
];

const GUARD = 0xa5;

describe("tss2 struct sizes", () => {
  test("covers every structure the command table passes in", () => {
    expect(INPUT_TYPES.filter((t) => SIZEOF[t as MuType] === undefined || MAXIMAL[t] === undefined)).toEqual([]);
  });

  for (const [type, wireArr] of Object.entries(MAXIMAL)) {
    const t = type as MuType;
    test(`${t} fits its declared size when unmarshalled at maximum`, () => {
      const size = SIZEOF[t]!;
      const buf = new Uint8Array(size + 256).fill(GUARD, size);
      // MU refuses to unmarshal a struct-bearing TPM2B over a non-zero size field.
      buf.fill(0, 0, size);
      const wire = new Uint8Array(wireArr);
      toC(t, wire, buf);
      expect(buf.subarray(size).every((b) => b === GUARD)).toBe(true);
      const end = LAST_FIELD_END[t] ?? size;
      expect(buf[end - 1]).not.toBe(GUARD);
      expect(Buffer.from(fromC(t, buf)).toString("hex")).toBe(Buffer.from(wire).toString("hex"));
    });
  }

  for (const [t, cap] of [
    ["TPM2B_DIGEST", 64],
    ["TPM2B_NONCE", 64],
    ["TPM2B_MAX_NV_BUFFER", 2048],
    ["TPM2B_SENSITIVE_DATA", 256],
    ["TPM2B_PRIVATE", 1550],
    ["TPM2B_ENCRYPTED_SECRET", 512],
  ] as const) {
    test(`${t} rejects a buffer one byte over capacity ${cap}`, () => {
      expect(() => toC(t, new Uint8Array(tpm2b(cap + 1)))).toThrow(TpmRcError);
    });
  }
});
