import { cc, dlopen, type Pointer, ptr, read, FFIType as T } from "bun:ffi";
import { describe, expect, test } from "bun:test";
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { CKA, CKF, CKG, CKK, CKM, CKO, CKR, CKU, UNAVAILABLE } from "./constants.ts";
import {
  CK_ATTRIBUTE,
  CK_C_INITIALIZE_ARGS,
  CK_FUNCTION_LIST,
  CK_INFO,
  CK_MECHANISM,
  CK_RSA_PKCS_PSS_PARAMS,
  CK_SESSION_INFO,
  CK_SLOT_INFO,
  CK_TOKEN_INFO,
  CK_VERSION,
  FUNCTIONS,
  functionOffset,
} from "./layout.ts";

/**
 * The JS layouts and numbers against a C compiler's reading of the OASIS
 * header as NSS ships it (libnss3-dev; p11-kit's own pkcs11.h numbers
 * CKR_EXCEEDED_MAX_ITERATIONS..CKR_PUBLIC_KEY_INVALID 0x1c0.. where the
 * standard has 0x1b5..). bun:ffi's built-in TinyCC follows the platform
 * ABI, so every size, offset and constant is what a module built here uses.
 */
const HEADER = "/usr/include/nss/pkcs11.h";
const INCLUDE = ["/usr/include/nspr"];

const STRUCTS: Record<string, Record<string, number>> = {
  CK_VERSION,
  CK_ATTRIBUTE,
  CK_MECHANISM,
  CK_RSA_PKCS_PSS_PARAMS,
  CK_C_INITIALIZE_ARGS,
  CK_INFO,
  CK_SLOT_INFO,
  CK_SESSION_INFO,
  CK_TOKEN_INFO,
};

/**
 * Where NSS's header departs from the standard: its CK_C_INITIALIZE_ARGS
 * puts NSS's `LibraryParameters` where the standard has `pReserved` and
 * appends its own pReserved, so the standard struct ends after that slot.
 */
const NSS_EXPR: Record<string, Record<string, string>> = {
  CK_C_INITIALIZE_ARGS: { pReserved: "OFF(CK_C_INITIALIZE_ARGS, LibraryParameters)", size: "OFF(CK_C_INITIALIZE_ARGS, LibraryParameters) + sizeof(void *)" },
};

const CONSTANTS: Record<string, Record<string, number | bigint>> = { CKR, CKA, CKO, CKK, CKM, CKG, CKF, CKU };

function compiled(): Record<string, () => number | bigint> {
  const lines = [`#include "${HEADER}"`, "#define OFF(T, f) ((int)(long)&(((T *)0)->f))"];
  const symbols: Record<string, { args: []; returns: T.i32 | T.u64 }> = {};
  const int = (name: string, expr: string) => {
    lines.push(`int ${name}(void) { return ${expr}; }`);
    symbols[name] = { args: [], returns: T.i32 };
  };
  for (const [name, layout] of Object.entries(STRUCTS)) {
    const nss = NSS_EXPR[name] ?? {};
    int(`sizeof_${name}`, nss.size ?? `sizeof(${name})`);
    for (const field of Object.keys(layout).filter((f) => f !== "size")) int(`offsetof_${name}_${field}`, nss[field] ?? `OFF(${name}, ${field})`);
  }
  int("sizeof_CK_FUNCTION_LIST", "sizeof(CK_FUNCTION_LIST)");
  for (const f of FUNCTIONS) int(`offsetof_CK_FUNCTION_LIST_${f}`, `OFF(CK_FUNCTION_LIST, ${f})`);
  for (const [prefix, table] of Object.entries(CONSTANTS))
    for (const k of Object.keys(table)) {
      lines.push(`unsigned long value_${prefix}_${k}(void) { return ${prefix}_${k}; }`);
      symbols[`value_${prefix}_${k}`] = { args: [], returns: T.u64 };
    }
  lines.push("unsigned long value_UNAVAILABLE(void) { return CK_UNAVAILABLE_INFORMATION; }");
  symbols.value_UNAVAILABLE = { args: [], returns: T.u64 };
  const dir = mkdtempSync(join(tmpdir(), "edge-agent-pkcs11-layout-"));
  try {
    const file = join(dir, "layout.c");
    writeFileSync(file, lines.join("\n") + "\n");
    return cc({ source: file, include: INCLUDE, symbols }).symbols as unknown as Record<string, () => number | bigint>;
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

describe("Cryptoki structure layouts (x86_64 Linux)", () => {
  const c = compiled();
  const n = (v: number | bigint) => Number(v);

  for (const [name, layout] of Object.entries(STRUCTS)) {
    test(`${name}: size and every field offset match the C compiler`, () => {
      const fromC: Record<string, number> = { size: n(c[`sizeof_${name}`]!()) };
      for (const field of Object.keys(layout).filter((f) => f !== "size")) fromC[field] = n(c[`offsetof_${name}_${field}`]!());
      expect(layout).toEqual(fromC);
    });
  }

  test("CK_FUNCTION_LIST: 68 pointers after the version, each at the compiler's offset", () => {
    expect(FUNCTIONS.length).toBe(68);
    expect(CK_FUNCTION_LIST.size).toBe(n(c.sizeof_CK_FUNCTION_LIST!()));
    for (const f of FUNCTIONS) expect([f, functionOffset(f)]).toEqual([f, n(c[`offsetof_CK_FUNCTION_LIST_${f}`]!())]);
  });

  test("every CKR, CKA, CKO, CKK, CKM, CKG, CKF and CKU number is pkcs11.h's", () => {
    for (const [prefix, table] of Object.entries(CONSTANTS))
      for (const [k, v] of Object.entries(table)) expect([`${prefix}_${k}`, BigInt(v)]).toEqual([`${prefix}_${k}`, BigInt(c[`value_${prefix}_${k}`]!())]);
    expect(UNAVAILABLE).toBe(BigInt(c.value_UNAVAILABLE!()));
  });

  test("SoftHSM2's function list holds, at each offset, the function it exports under that name", () => {
    // The module also exports every C_ function; the list must point at the same code.
    const symbols = Object.fromEntries(FUNCTIONS.map((f) => [f, { args: [], returns: T.void }])) as Record<
      (typeof FUNCTIONS)[number],
      { args: []; returns: T.void }
    >;
    const lib = dlopen("/usr/lib/softhsm/libsofthsm2.so", { ...symbols, C_GetFunctionList: { args: [T.ptr], returns: T.u64_fast } });
    try {
      const cell = new BigUint64Array(1);
      expect(Number(lib.symbols.C_GetFunctionList(ptr(cell)))).toBe(0);
      const list = Number(cell[0]!) as Pointer;
      expect([read.u8(list, 0), read.u8(list, 1)]).toEqual([2, 40]);
      const mismatched = FUNCTIONS.filter((f) => read.ptr(list, functionOffset(f)) !== (lib.symbols[f] as unknown as { ptr: number }).ptr);
      expect(mismatched).toEqual([]);
    } finally {
      lib.close();
    }
  });
});
