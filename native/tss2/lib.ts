import { dlopen, FFIType as T } from "bun:ffi";
import { COMMANDS, type Command, type CommandSpec, MU_TYPES, type ParamKind } from "./commands.ts";

export { MU_TYPES, type MuType } from "./commands.ts";

/**
 * The only tpm2-tss symbols the agent calls, one table per library. The
 * sonames carry the ABI major so a newer, incompatible tpm2-tss is refused at
 * load time instead of misbehaving later. Every ESAPI handle is an ESYS_TR
 * (u32); the first argument of every Esys_ function is the ESYS_CONTEXT*.
 */
type Signature = { args: T[]; returns: T.u32 };

const PARAM_FFI: Record<string, T> = { u8: T.u8, u16: T.u16, u32: T.u32, i32: T.i32 };

/** context, handles, session slots, params (structures by pointer), result pointers: tss2_esys.h's order. */
export function esysSignature(c: CommandSpec): Signature {
  const args: T[] = [T.ptr];
  for (const _ of Object.keys(c.handles ?? {})) args.push(T.u32);
  if (c.sessions !== false) args.push(T.u32, T.u32, T.u32);
  for (const kind of Object.values<ParamKind>(c.params ?? {})) args.push(PARAM_FFI[kind] ?? T.ptr);
  for (const _ of Object.keys(c.results ?? {})) args.push(T.ptr);
  return { args, returns: T.u32 };
}

/** The dlopen table for every command, keyed by its Esys_ name. */
type CommandSymbols = { [K in Command as (typeof COMMANDS)[K]["esys"]]: Signature };
function commandSymbols(): CommandSymbols {
  const out: Record<string, Signature> = {};
  for (const c of Object.values<CommandSpec>(COMMANDS)) out[c.esys] = esysSignature(c);
  return out as CommandSymbols;
}

/**
 * Each structure of MU_TYPES gets its Tss2_MU_<name>_Marshal (C struct ->
 * wire) and _Unmarshal (wire -> C struct); every signature is the same
 * shape, so the table is generated from the list of names.
 */
type MuFns = Record<string, { args: readonly T[]; returns: T.u32 }>;
function muTable(): MuFns {
  const fns: MuFns = {};
  for (const t of MU_TYPES) {
    // (const T *src, uint8_t buffer[], size_t buffer_size, size_t *offset)
    fns[`Tss2_MU_${t}_Marshal`] = { args: [T.ptr, T.ptr, T.u64, T.ptr], returns: T.u32 };
    // (const uint8_t buffer[], size_t buffer_size, size_t *offset, T *dest)
    fns[`Tss2_MU_${t}_Unmarshal`] = { args: [T.ptr, T.u64, T.ptr, T.ptr], returns: T.u32 };
  }
  return fns;
}

export type MuFn = (a: unknown, b: unknown, c: unknown, d: unknown) => number;

/**
 * The libraries, opened on first use: importing this module (as the agent's
 * thread does through index.ts) loads nothing, so only the thread that owns
 * the ESAPI context, the TPM Worker, pays for the dlopen and the FFI
 * trampolines of every symbol.
 */
function open() {
  return {
    esys: dlopen("libtss2-esys.so.0", {
      Esys_Initialize: { args: [T.ptr, T.ptr, T.ptr], returns: T.u32 },
      Esys_Finalize: { args: [T.ptr], returns: T.void },
      Esys_Free: { args: [T.ptr], returns: T.void },
      ...commandSymbols(),
    }),
    tctildr: dlopen("libtss2-tctildr.so.0", {
      Tss2_TctiLdr_Initialize: { args: [T.cstring, T.ptr], returns: T.u32 },
      Tss2_TctiLdr_Finalize: { args: [T.ptr], returns: T.void },
    }),
    rc: dlopen("libtss2-rc.so.0", {
      Tss2_RC_Decode: { args: [T.u32], returns: T.cstring },
    }),
    mu: dlopen("libtss2-mu.so.0", muTable()),
    libc: dlopen("libc.so.6", {
      /** tpm2-tss reads TSS2_LOG with getenv, which Bun's process.env does not reach. */
      setenv: { args: [T.cstring, T.cstring, T.i32], returns: T.i32 },
      /** The TPM Worker's short watch for the next request gives the core away on every turn (worker.ts). */
      sched_yield: { args: [], returns: T.i32 },
    }),
  };
}

export type Tss2Libs = ReturnType<typeof open>;
let libs: Tss2Libs | undefined;

export function tss2(): Tss2Libs {
  libs ??= open();
  return libs;
}
