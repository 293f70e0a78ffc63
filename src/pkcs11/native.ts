import { CFunction, dlopen, type Pointer, ptr, read, FFIType as T } from "bun:ffi";
import { CKF, CKR, UNAVAILABLE } from "./constants.ts";
import { Pkcs11Error } from "./errors.ts";
import {
  abiSupported,
  CK_ATTRIBUTE,
  CK_C_INITIALIZE_ARGS,
  CK_INFO,
  CK_MECHANISM,
  CK_SESSION_INFO,
  CK_SLOT_INFO,
  CK_TOKEN_INFO,
  type FunctionName,
  functionOffset,
} from "./layout.ts";

/**
 * The only code here that touches pointers: one loaded Cryptoki module,
 * called through its CK_FUNCTION_LIST (the standard's entry point; modules
 * need not export the C_ symbols themselves). Every method is synchronous
 * and blocks its thread for the length of the module call; callers
 * serialise per session (session.ts). Every non-OK CK_RV becomes a
 * Pkcs11Error; PINs pass through as bytes and are wiped after C_Login.
 */

/** A template entry: CK_ULONG values as numbers, CK_BBOOL as booleans, strings as UTF-8. */
export type AttrValue = Uint8Array | number | boolean | string;
export interface Attr {
  type: number;
  value: AttrValue;
}

export interface Mechanism {
  mechanism: number;
  parameter?: Uint8Array;
}

export interface ModuleInfo {
  cryptokiVersion: { major: number; minor: number };
  manufacturer: string;
  description: string;
  libraryVersion: { major: number; minor: number };
}

export interface SlotInfo {
  slotId: number;
  description: string;
  manufacturer: string;
  tokenPresent: boolean;
}

export interface TokenInfo {
  label: string;
  manufacturer: string;
  model: string;
  serial: string;
  flags: number;
  initialized: boolean;
  loginRequired: boolean;
  writeProtected: boolean;
  pinLocked: boolean;
  /** Sessions this application has open on the token; undefined when the token does not say. */
  sessionCount: number | undefined;
}

type Fn = (...args: unknown[]) => number | bigint;

/** Argument lists of the functions the client calls, in pkcs11f.h order of parameters. */
const SIGNATURES: Partial<Record<FunctionName, T[]>> = {
  C_Initialize: [T.ptr],
  C_Finalize: [T.ptr],
  C_GetInfo: [T.ptr],
  C_GetSlotList: [T.u8, T.ptr, T.ptr],
  C_GetSlotInfo: [T.u64, T.ptr],
  C_GetTokenInfo: [T.u64, T.ptr],
  C_GetMechanismList: [T.u64, T.ptr, T.ptr],
  C_OpenSession: [T.u64, T.u64, T.ptr, T.ptr, T.ptr],
  C_CloseSession: [T.u64],
  C_CloseAllSessions: [T.u64],
  C_GetSessionInfo: [T.u64, T.ptr],
  C_Login: [T.u64, T.u64, T.ptr, T.u64],
  C_Logout: [T.u64],
  C_DestroyObject: [T.u64, T.u64],
  C_GetAttributeValue: [T.u64, T.u64, T.ptr, T.u64],
  C_FindObjectsInit: [T.u64, T.ptr, T.u64],
  C_FindObjects: [T.u64, T.ptr, T.u64, T.ptr],
  C_FindObjectsFinal: [T.u64],
  C_SignInit: [T.u64, T.ptr, T.u64],
  C_Sign: [T.u64, T.ptr, T.u64, T.ptr, T.ptr],
  C_GenerateKeyPair: [T.u64, T.ptr, T.ptr, T.u64, T.ptr, T.u64, T.ptr, T.ptr],
};

/** bun:ffi cannot take the address of an empty array; a zero length is never read past. */
const EMPTY = new Uint8Array(1);
const addr = (b: Uint8Array): Pointer => ptr(b.length > 0 ? b : EMPTY);

function ulongBytes(n: number): Uint8Array {
  const b = new Uint8Array(8);
  new DataView(b.buffer).setBigUint64(0, BigInt(n), true);
  return b;
}

function valueBytes(v: AttrValue): Uint8Array {
  if (v instanceof Uint8Array) return v;
  if (typeof v === "boolean") return new Uint8Array([v ? 1 : 0]);
  if (typeof v === "number") return ulongBytes(v);
  return new TextEncoder().encode(v);
}

/** A CK_ATTRIBUTE array; `keep` holds the value buffers alive while the C side may read them. */
function encodeTemplate(attrs: Attr[]): { bytes: Uint8Array; keep: Uint8Array[] } {
  const bytes = new Uint8Array(Math.max(1, attrs.length) * CK_ATTRIBUTE.size);
  const dv = new DataView(bytes.buffer);
  const keep: Uint8Array[] = [];
  attrs.forEach((a, i) => {
    const v = valueBytes(a.value);
    keep.push(v);
    const at = i * CK_ATTRIBUTE.size;
    dv.setBigUint64(at + CK_ATTRIBUTE.type, BigInt(a.type), true);
    dv.setBigUint64(at + CK_ATTRIBUTE.pValue, BigInt(addr(v)), true);
    dv.setBigUint64(at + CK_ATTRIBUTE.ulValueLen, BigInt(v.length), true);
  });
  return { bytes, keep };
}

function encodeMechanism(m: Mechanism): { bytes: Uint8Array; keep: Uint8Array | undefined } {
  const bytes = new Uint8Array(CK_MECHANISM.size);
  const dv = new DataView(bytes.buffer);
  dv.setBigUint64(CK_MECHANISM.mechanism, BigInt(m.mechanism), true);
  if (m.parameter && m.parameter.length > 0) {
    dv.setBigUint64(CK_MECHANISM.pParameter, BigInt(ptr(m.parameter)), true);
    dv.setBigUint64(CK_MECHANISM.ulParameterLen, BigInt(m.parameter.length), true);
  }
  return { bytes, keep: m.parameter };
}

/** Blank-padded fixed-length UTF-8 text, as Cryptoki reports labels and names. */
function padded(b: Uint8Array, off: number, len: number): string {
  return new TextDecoder().decode(b.subarray(off, off + len)).replace(/[ \0]+$/, "");
}

function handleOf(v: bigint, what: string): number {
  const n = Number(v);
  if (!Number.isSafeInteger(n)) throw new Pkcs11Error("pkcs11.module", `${what} handle out of range`);
  return n;
}

export class Cryptoki {
  private readonly fns = new Map<FunctionName, Fn & { close(): void }>();
  private readonly cell = new BigUint64Array(1);
  private readonly cell2 = new BigUint64Array(1);
  private finalized = false;

  private constructor(
    readonly path: string,
    private readonly lib: { close(): void },
    list: Pointer,
  ) {
    for (const [name, args] of Object.entries(SIGNATURES) as Array<[FunctionName, T[]]>) {
      const fp = read.ptr(list, functionOffset(name)) as Pointer;
      if (!fp) continue; // an unimplemented entry; calling it reports pkcs11.unsupported
      this.fns.set(name, CFunction({ ptr: fp, args, returns: T.u64_fast }) as unknown as Fn & { close(): void });
    }
  }

  /**
   * dlopen the module at `path`, read its function list and C_Initialize it
   * with OS locking (the module may be called from more than one thread:
   * the agent's and a Worker's). A module already initialised in this
   * process (CKR_CRYPTOKI_ALREADY_INITIALIZED) is refused, since finalising
   * it later would pull it from under its other user; module.ts shares one
   * Cryptoki per path instead.
   */
  static load(path: string): Cryptoki {
    if (!abiSupported()) throw new Pkcs11Error("pkcs11.module", `PKCS#11 structures are laid out for LP64 Linux, not ${process.platform}/${process.arch}`);
    let lib: ReturnType<typeof dlopen<{ C_GetFunctionList: { args: [T.ptr]; returns: T.u64_fast } }>>;
    try {
      lib = dlopen(path, { C_GetFunctionList: { args: [T.ptr], returns: T.u64_fast } });
    } catch (e) {
      throw new Pkcs11Error("pkcs11.module", `cannot load PKCS#11 module ${path}: ${e instanceof Error ? e.message : String(e)}`, { cause: e });
    }
    try {
      const out = new BigUint64Array(1);
      const rv = Number(lib.symbols.C_GetFunctionList(ptr(out)));
      if (rv !== CKR.OK) throw Pkcs11Error.fromRv("C_GetFunctionList", rv, path);
      const list = Number(out[0]!) as Pointer;
      if (!list) throw new Pkcs11Error("pkcs11.module", `PKCS#11 module ${path} returned no function list`);
      const major = read.u8(list, 0);
      if (major !== 2) throw new Pkcs11Error("pkcs11.module", `PKCS#11 module ${path} has function list version ${major}.${read.u8(list, 1)}, not 2.x`);
      const c = new Cryptoki(path, lib, list);
      c.initialize();
      return c;
    } catch (e) {
      lib.close();
      throw e;
    }
  }

  private fn(name: FunctionName): Fn {
    if (this.finalized) throw new Pkcs11Error("pkcs11.closed", `PKCS#11 module ${this.path} is finalised`);
    const f = this.fns.get(name);
    if (!f) throw new Pkcs11Error("pkcs11.unsupported", `${name} is not in the function list of ${this.path}`, { rv: CKR.FUNCTION_NOT_SUPPORTED, fn: name });
    return f;
  }

  /** Calls `name`; a non-OK return value becomes a Pkcs11Error. */
  private call(name: FunctionName, ...args: unknown[]): void {
    const rv = this.rv(name, ...args);
    if (rv !== CKR.OK) throw Pkcs11Error.fromRv(name, rv);
  }

  /** Calls `name` and returns its CK_RV unchecked. */
  private rv(name: FunctionName, ...args: unknown[]): number {
    return Number(this.fn(name)(...args));
  }

  private initialize(): void {
    const initArgs = new Uint8Array(CK_C_INITIALIZE_ARGS.size);
    new DataView(initArgs.buffer).setBigUint64(CK_C_INITIALIZE_ARGS.flags, BigInt(CKF.OS_LOCKING_OK), true);
    const rv = this.rv("C_Initialize", ptr(initArgs));
    if (rv !== CKR.OK) {
      const e = Pkcs11Error.fromRv("C_Initialize", rv, this.path);
      throw new Pkcs11Error("pkcs11.module", e.message, { rv, fn: "C_Initialize" });
    }
  }

  info(): ModuleInfo {
    const b = new Uint8Array(CK_INFO.size);
    this.call("C_GetInfo", ptr(b));
    return {
      cryptokiVersion: { major: b[CK_INFO.cryptokiVersion]!, minor: b[CK_INFO.cryptokiVersion + 1]! },
      manufacturer: padded(b, CK_INFO.manufacturerID, 32),
      description: padded(b, CK_INFO.libraryDescription, 32),
      libraryVersion: { major: b[CK_INFO.libraryVersion]!, minor: b[CK_INFO.libraryVersion + 1]! },
    };
  }

  /** Slot ids in the module's order; with `tokenPresent`, only slots holding a token. */
  slotList(tokenPresent: boolean): number[] {
    // The count can change between the two calls (a token plugged in): retry on BUFFER_TOO_SMALL.
    for (let attempt = 0; ; attempt++) {
      this.cell[0] = 0n;
      this.call("C_GetSlotList", tokenPresent ? 1 : 0, null, ptr(this.cell));
      const n = Number(this.cell[0]!);
      if (n === 0) return [];
      const ids = new BigUint64Array(n);
      const rv = this.rv("C_GetSlotList", tokenPresent ? 1 : 0, ptr(ids), ptr(this.cell));
      if (rv === CKR.BUFFER_TOO_SMALL && attempt < 3) continue;
      if (rv !== CKR.OK) throw Pkcs11Error.fromRv("C_GetSlotList", rv);
      return Array.from(ids.subarray(0, Number(this.cell[0]!)), (v) => handleOf(v, "slot"));
    }
  }

  slotInfo(slotId: number): SlotInfo {
    const b = new Uint8Array(CK_SLOT_INFO.size);
    this.call("C_GetSlotInfo", slotId, ptr(b));
    const flags = Number(new DataView(b.buffer).getBigUint64(CK_SLOT_INFO.flags, true));
    return {
      slotId,
      description: padded(b, CK_SLOT_INFO.slotDescription, 64),
      manufacturer: padded(b, CK_SLOT_INFO.manufacturerID, 32),
      tokenPresent: (flags & CKF.TOKEN_PRESENT) !== 0,
    };
  }

  tokenInfo(slotId: number): TokenInfo {
    const b = new Uint8Array(CK_TOKEN_INFO.size);
    this.call("C_GetTokenInfo", slotId, ptr(b));
    const dv = new DataView(b.buffer);
    const flags = Number(dv.getBigUint64(CK_TOKEN_INFO.flags, true));
    const sessions = dv.getBigUint64(CK_TOKEN_INFO.ulSessionCount, true);
    return {
      label: padded(b, CK_TOKEN_INFO.label, 32),
      manufacturer: padded(b, CK_TOKEN_INFO.manufacturerID, 32),
      model: padded(b, CK_TOKEN_INFO.model, 16),
      serial: padded(b, CK_TOKEN_INFO.serialNumber, 16),
      flags,
      initialized: (flags & CKF.TOKEN_INITIALIZED) !== 0,
      loginRequired: (flags & CKF.LOGIN_REQUIRED) !== 0,
      writeProtected: (flags & CKF.WRITE_PROTECTED) !== 0,
      pinLocked: (flags & CKF.USER_PIN_LOCKED) !== 0,
      sessionCount: sessions === UNAVAILABLE ? undefined : Number(sessions),
    };
  }

  mechanisms(slotId: number): number[] {
    this.cell[0] = 0n;
    this.call("C_GetMechanismList", slotId, null, ptr(this.cell));
    const n = Number(this.cell[0]!);
    if (n === 0) return [];
    const out = new BigUint64Array(n);
    this.call("C_GetMechanismList", slotId, ptr(out), ptr(this.cell));
    return Array.from(out.subarray(0, Number(this.cell[0]!)), Number);
  }

  openSession(slotId: number, readWrite: boolean): number {
    this.cell[0] = 0n;
    const flags = CKF.SERIAL_SESSION | (readWrite ? CKF.RW_SESSION : 0);
    this.call("C_OpenSession", slotId, flags, null, null, ptr(this.cell));
    return handleOf(this.cell[0]!, "session");
  }

  closeSession(session: number): void {
    this.call("C_CloseSession", session);
  }

  closeAllSessions(slotId: number): void {
    this.call("C_CloseAllSessions", slotId);
  }

  /** The session's slot and state (CKS_*); CKR_SESSION_HANDLE_INVALID once it is closed. */
  sessionInfo(session: number): { slotId: number; state: number; readWrite: boolean } {
    const b = new Uint8Array(CK_SESSION_INFO.size);
    this.call("C_GetSessionInfo", session, ptr(b));
    const dv = new DataView(b.buffer);
    return {
      slotId: handleOf(dv.getBigUint64(CK_SESSION_INFO.slotID, true), "slot"),
      state: Number(dv.getBigUint64(CK_SESSION_INFO.state, true)),
      readWrite: (Number(dv.getBigUint64(CK_SESSION_INFO.flags, true)) & CKF.RW_SESSION) !== 0,
    };
  }

  /**
   * Logs the user in; the copy of the PIN handed to the module is wiped
   * whatever the outcome. Returns false when the token was already logged
   * in: the module then did not check this PIN (the caller must).
   */
  login(session: number, userType: number, pin: Uint8Array): boolean {
    const copy = new Uint8Array(pin);
    try {
      const rv = this.rv("C_Login", session, userType, addr(copy), copy.length);
      if (rv === CKR.USER_ALREADY_LOGGED_IN) return false;
      if (rv !== CKR.OK) throw Pkcs11Error.fromRv("C_Login", rv);
      return true;
    } finally {
      copy.fill(0);
    }
  }

  logout(session: number): void {
    this.call("C_Logout", session);
  }

  /** Handles of every object matching `template` (all of them: the search runs to its end). */
  findObjects(session: number, template: Attr[]): number[] {
    const t = encodeTemplate(template);
    this.call("C_FindObjectsInit", session, ptr(t.bytes), template.length);
    const found: number[] = [];
    try {
      const batch = new BigUint64Array(64);
      for (;;) {
        this.cell[0] = 0n;
        this.call("C_FindObjects", session, ptr(batch), batch.length, ptr(this.cell));
        const n = Number(this.cell[0]!);
        for (let i = 0; i < n; i++) found.push(handleOf(batch[i]!, "object"));
        if (n < batch.length) break;
      }
    } catch (e) {
      // An active find blocks every other operation on the session: always end it.
      this.rv("C_FindObjectsFinal", session);
      throw e;
    }
    this.call("C_FindObjectsFinal", session);
    void t.keep;
    return found;
  }

  /**
   * The values of `types` on `object`, undefined for those the token will
   * not reveal (sensitive, unextractable) or the object does not have. The
   * CK_RV explaining the first such gap is in `refused`.
   */
  getAttributes(session: number, object: number, types: number[]): { values: Map<number, Uint8Array | undefined>; refused: number | undefined } {
    const n = types.length;
    const tmpl = new Uint8Array(Math.max(1, n) * CK_ATTRIBUTE.size);
    const dv = new DataView(tmpl.buffer);
    types.forEach((t, i) => dv.setBigUint64(i * CK_ATTRIBUTE.size + CK_ATTRIBUTE.type, BigInt(t), true));
    const OK_GAPS: number[] = [CKR.OK, CKR.ATTRIBUTE_SENSITIVE, CKR.ATTRIBUTE_TYPE_INVALID];
    let refused: number | undefined;
    const rv1 = this.rv("C_GetAttributeValue", session, object, ptr(tmpl), n);
    if (!OK_GAPS.includes(rv1)) throw Pkcs11Error.fromRv("C_GetAttributeValue", rv1);
    if (rv1 !== CKR.OK) refused = rv1;
    const bufs: Array<Uint8Array | undefined> = types.map((_, i) => {
      const len = dv.getBigUint64(i * CK_ATTRIBUTE.size + CK_ATTRIBUTE.ulValueLen, true);
      if (len === UNAVAILABLE) return undefined;
      return new Uint8Array(Number(len));
    });
    bufs.forEach((b, i) => {
      const at = i * CK_ATTRIBUTE.size;
      dv.setBigUint64(at + CK_ATTRIBUTE.pValue, b ? BigInt(addr(b)) : 0n, true);
      dv.setBigUint64(at + CK_ATTRIBUTE.ulValueLen, b ? BigInt(b.length) : 0n, true);
    });
    const values = new Map<number, Uint8Array | undefined>();
    if (bufs.some((b) => b !== undefined)) {
      const rv2 = this.rv("C_GetAttributeValue", session, object, ptr(tmpl), n);
      if (!OK_GAPS.includes(rv2)) throw Pkcs11Error.fromRv("C_GetAttributeValue", rv2);
      if (rv2 !== CKR.OK) refused ??= rv2;
    }
    types.forEach((t, i) => {
      const b = bufs[i];
      const len = dv.getBigUint64(i * CK_ATTRIBUTE.size + CK_ATTRIBUTE.ulValueLen, true);
      values.set(t, b && len !== UNAVAILABLE ? b.subarray(0, Number(len)) : undefined);
    });
    return { values, refused };
  }

  /** C_SignInit + C_Sign in one go: nothing else may run on the session in between. */
  sign(session: number, mechanism: Mechanism, key: number, data: Uint8Array): Uint8Array {
    const m = encodeMechanism(mechanism);
    this.call("C_SignInit", session, ptr(m.bytes), key);
    // Large enough for RSA-4096 and ECDSA P-521; BUFFER_TOO_SMALL leaves the operation active.
    let out = new Uint8Array(512);
    this.cell[0] = BigInt(out.length);
    let rv = this.rv("C_Sign", session, addr(data), data.length, ptr(out), ptr(this.cell));
    if (rv === CKR.BUFFER_TOO_SMALL) {
      out = new Uint8Array(Number(this.cell[0]!));
      rv = this.rv("C_Sign", session, addr(data), data.length, ptr(out), ptr(this.cell));
    }
    void m.keep;
    if (rv !== CKR.OK) throw Pkcs11Error.fromRv("C_Sign", rv);
    return out.slice(0, Number(this.cell[0]!));
  }

  generateKeyPair(session: number, mechanism: Mechanism, publicTemplate: Attr[], privateTemplate: Attr[]): { publicKey: number; privateKey: number } {
    const m = encodeMechanism(mechanism);
    const pub = encodeTemplate(publicTemplate);
    const priv = encodeTemplate(privateTemplate);
    this.cell[0] = 0n;
    this.cell2[0] = 0n;
    this.call(
      "C_GenerateKeyPair",
      session,
      ptr(m.bytes),
      ptr(pub.bytes),
      publicTemplate.length,
      ptr(priv.bytes),
      privateTemplate.length,
      ptr(this.cell),
      ptr(this.cell2),
    );
    void [m.keep, pub.keep, priv.keep];
    return { publicKey: handleOf(this.cell[0]!, "object"), privateKey: handleOf(this.cell2[0]!, "object") };
  }

  destroyObject(session: number, object: number): void {
    this.call("C_DestroyObject", session, object);
  }

  /** C_Finalize and dlclose; later calls fail with pkcs11.closed. */
  finalize(): void {
    if (this.finalized) return;
    try {
      this.call("C_Finalize", null);
    } finally {
      this.finalized = true;
      for (const f of this.fns.values()) f.close();
      this.fns.clear();
      this.lib.close();
    }
  }
}
