import { ptr, type Pointer } from "bun:ffi";
import { esysLib, libcLib, tctildrLib } from "./lib.ts";
import { OutSlots, toC, readPtr } from "./mem.ts";
import { check, TpmRcError } from "./rc.ts";

const E = esysLib.symbols;

export const ESYS_TR = { NONE: 0xfff, PASSWORD: 0x0ff, RH_OWNER: 0x101, RH_NULL: 0x107, RH_ENDORSEMENT: 0x10b } as const;

/** Session slots of one command; unset slots mean ESYS_TR_NONE. */
export interface Sessions {
  s1?: number;
  s2?: number;
  s3?: number;
}

const AUTH: Sessions = { s1: ESYS_TR.PASSWORD };
const NOAUTH: Sessions = {};

function slots(s: Sessions): [number, number, number] {
  return [s.s1 ?? ESYS_TR.NONE, s.s2 ?? ESYS_TR.NONE, s.s3 ?? ESYS_TR.NONE];
}

/**
 * tpm2-tss logs every failed command to stderr, including ones the agent
 * expects (probing an empty handle); errors reach our log as TpmRcError
 * instead. An operator's explicit TSS2_LOG wins.
 */
function quietTss(): void {
  if (process.env.TSS2_LOG === undefined) libcLib.symbols.setenv(Buffer.from("TSS2_LOG\0"), Buffer.from("all+none\0"), 0);
}

/**
 * One ESAPI context over one TCTI. Every method is a single synchronous Esys_*
 * call: inputs arrive as TPM wire bytes, outputs leave as wire bytes, and no
 * pointer escapes. Methods return promises so the same object can later be
 * driven from a Worker without changing its callers.
 */
export class EsysTpm {
  private ctx: Pointer | 0;
  private tcti: Pointer | 0;

  private constructor(ctx: Pointer, tcti: Pointer) {
    this.ctx = ctx;
    this.tcti = tcti;
  }

  static open(tctiConf: string): EsysTpm {
    quietTss();
    const tctiCell = new BigUint64Array(1);
    check("Tss2_TctiLdr_Initialize", tctildrLib.symbols.Tss2_TctiLdr_Initialize(Buffer.from(tctiConf + "\0"), ptr(tctiCell)));
    const tcti = readPtr(tctiCell);
    const ctxCell = new BigUint64Array(1);
    const rc = E.Esys_Initialize(ptr(ctxCell), tcti, null);
    if (rc !== 0) {
      tctildrLib.symbols.Tss2_TctiLdr_Finalize(ptr(tctiCell));
      throw new TpmRcError("Esys_Initialize", rc);
    }
    return new EsysTpm(readPtr(ctxCell), tcti);
  }

  private get c(): Pointer {
    if (this.ctx === 0) throw new TpmRcError("closed context", 0x70001 /* ESAPI GENERAL_FAILURE */);
    return this.ctx;
  }

  async close(): Promise<void> {
    if (this.ctx === 0) return;
    const ctxCell = new BigUint64Array([BigInt(this.ctx)]);
    E.Esys_Finalize(ptr(ctxCell));
    const tctiCell = new BigUint64Array([BigInt(this.tcti)]);
    tctildrLib.symbols.Tss2_TctiLdr_Finalize(ptr(tctiCell));
    this.ctx = 0;
    this.tcti = 0;
  }

  async getRandom(count: number): Promise<Uint8Array> {
    const o = new OutSlots(1);
    try {
      check("Esys_GetRandom", E.Esys_GetRandom(this.c, ...slots(NOAUTH), count, o.ptrCell(0)));
      return o.take(["TPM2B_DIGEST"] as const)[0];
    } finally {
      o.freeAll();
    }
  }

  async getCapability(capability: number, property: number, count: number): Promise<{ moreData: boolean; data: Uint8Array }> {
    const o = new OutSlots(1);
    try {
      check("Esys_GetCapability", E.Esys_GetCapability(this.c, ...slots(NOAUTH), capability, property, count, o.u32Cell(0), o.ptrCell(0)));
      const [data] = o.take(["TPMS_CAPABILITY_DATA"] as const);
      return { moreData: (o.u32(0) & 0xff) !== 0, data };
    } finally {
      o.freeAll();
    }
  }

  async pcrRead(selection: Uint8Array): Promise<{ updateCounter: number; selection: Uint8Array; digests: Uint8Array }> {
    const sel = toC("TPML_PCR_SELECTION", selection);
    const o = new OutSlots(2);
    try {
      check("Esys_PCR_Read", E.Esys_PCR_Read(this.c, ...slots(NOAUTH), ptr(sel), o.u32Cell(0), o.ptrCell(0), o.ptrCell(1)));
      const [selOut, digests] = o.take(["TPML_PCR_SELECTION", "TPML_DIGEST"] as const);
      return { updateCounter: o.u32(0), selection: selOut, digests };
    } finally {
      o.freeAll();
    }
  }

  async fromTpmPublic(handle: number): Promise<number> {
    const o = new OutSlots(0);
    check("Esys_TR_FromTPMPublic", E.Esys_TR_FromTPMPublic(this.c, handle >>> 0, ...slots(NOAUTH), o.u32Cell(0)));
    return o.u32(0);
  }

  async closeTr(tr: number): Promise<void> {
    const cell = new Uint32Array([tr]);
    check("Esys_TR_Close", E.Esys_TR_Close(this.c, ptr(cell)));
  }

  async setAuth(tr: number, auth: Uint8Array): Promise<void> {
    const a = toC("TPM2B_AUTH", auth);
    check("Esys_TR_SetAuth", E.Esys_TR_SetAuth(this.c, tr, ptr(a)));
  }

  async flushContext(tr: number): Promise<void> {
    check("Esys_FlushContext", E.Esys_FlushContext(this.c, tr));
  }

  async createPrimary(
    hierarchy: number,
    inSensitive: Uint8Array,
    inPublic: Uint8Array,
    outsideInfo: Uint8Array,
    creationPcr: Uint8Array,
    sessions: Sessions = AUTH,
  ): Promise<{ handle: number; outPublic: Uint8Array }> {
    const s = toC("TPM2B_SENSITIVE_CREATE", inSensitive);
    const p = toC("TPM2B_PUBLIC", inPublic);
    const d = toC("TPM2B_DATA", outsideInfo);
    const sel = toC("TPML_PCR_SELECTION", creationPcr);
    const o = new OutSlots(4);
    try {
      check(
        "Esys_CreatePrimary",
        E.Esys_CreatePrimary(this.c, hierarchy, ...slots(sessions), ptr(s), ptr(p), ptr(d), ptr(sel), o.u32Cell(0), o.ptrCell(0), o.ptrCell(1), o.ptrCell(2), o.ptrCell(3)),
      );
      const [outPublic] = o.take(["TPM2B_PUBLIC"] as const);
      return { handle: o.u32(0), outPublic };
    } finally {
      o.freeAll();
    }
  }

  async create(
    parent: number,
    inSensitive: Uint8Array,
    inPublic: Uint8Array,
    outsideInfo: Uint8Array,
    creationPcr: Uint8Array,
    sessions: Sessions = AUTH,
  ): Promise<{ outPrivate: Uint8Array; outPublic: Uint8Array }> {
    const s = toC("TPM2B_SENSITIVE_CREATE", inSensitive);
    const p = toC("TPM2B_PUBLIC", inPublic);
    const d = toC("TPM2B_DATA", outsideInfo);
    const sel = toC("TPML_PCR_SELECTION", creationPcr);
    const o = new OutSlots(5);
    try {
      check(
        "Esys_Create",
        E.Esys_Create(this.c, parent, ...slots(sessions), ptr(s), ptr(p), ptr(d), ptr(sel), o.ptrCell(0), o.ptrCell(1), o.ptrCell(2), o.ptrCell(3), o.ptrCell(4)),
      );
      const [outPrivate, outPublic] = o.take(["TPM2B_PRIVATE", "TPM2B_PUBLIC"] as const);
      return { outPrivate, outPublic };
    } finally {
      o.freeAll();
    }
  }

  async load(parent: number, inPrivate: Uint8Array, inPublic: Uint8Array, sessions: Sessions = AUTH): Promise<number> {
    const priv = toC("TPM2B_PRIVATE", inPrivate);
    const pub = toC("TPM2B_PUBLIC", inPublic);
    const o = new OutSlots(0);
    check("Esys_Load", E.Esys_Load(this.c, parent, ...slots(sessions), ptr(priv), ptr(pub), o.u32Cell(0)));
    return o.u32(0);
  }

  async unseal(item: number, sessions: Sessions = AUTH): Promise<Uint8Array> {
    const o = new OutSlots(1);
    try {
      check("Esys_Unseal", E.Esys_Unseal(this.c, item, ...slots(sessions), o.ptrCell(0)));
      return o.take(["TPM2B_SENSITIVE_DATA"] as const)[0];
    } finally {
      o.freeAll();
    }
  }

  async evictControl(auth: number, object: number, persistent: number, sessions: Sessions = AUTH): Promise<number> {
    const o = new OutSlots(0);
    check("Esys_EvictControl", E.Esys_EvictControl(this.c, auth, object, ...slots(sessions), persistent >>> 0, o.u32Cell(0)));
    return o.u32(0);
  }

  async readPublic(object: number): Promise<{ outPublic: Uint8Array; name: Uint8Array; qualifiedName: Uint8Array }> {
    const o = new OutSlots(3);
    try {
      check("Esys_ReadPublic", E.Esys_ReadPublic(this.c, object, ...slots(NOAUTH), o.ptrCell(0), o.ptrCell(1), o.ptrCell(2)));
      const [outPublic, name, qualifiedName] = o.take(["TPM2B_PUBLIC", "TPM2B_NAME", "TPM2B_NAME"] as const);
      return { outPublic, name, qualifiedName };
    } finally {
      o.freeAll();
    }
  }

  async sign(key: number, digest: Uint8Array, scheme: Uint8Array, validation: Uint8Array, sessions: Sessions = AUTH): Promise<Uint8Array> {
    const d = toC("TPM2B_DIGEST", digest);
    const sc = toC("TPMT_SIG_SCHEME", scheme);
    const v = toC("TPMT_TK_HASHCHECK", validation);
    const o = new OutSlots(1);
    try {
      check("Esys_Sign", E.Esys_Sign(this.c, key, ...slots(sessions), ptr(d), ptr(sc), ptr(v), o.ptrCell(0)));
      return o.take(["TPMT_SIGNATURE"] as const)[0];
    } finally {
      o.freeAll();
    }
  }

  async quote(
    key: number,
    qualifyingData: Uint8Array,
    scheme: Uint8Array,
    pcrSelect: Uint8Array,
    sessions: Sessions = AUTH,
  ): Promise<{ quoted: Uint8Array; signature: Uint8Array }> {
    const q = toC("TPM2B_DATA", qualifyingData);
    const sc = toC("TPMT_SIG_SCHEME", scheme);
    const sel = toC("TPML_PCR_SELECTION", pcrSelect);
    const o = new OutSlots(2);
    try {
      check("Esys_Quote", E.Esys_Quote(this.c, key, ...slots(sessions), ptr(q), ptr(sc), ptr(sel), o.ptrCell(0), o.ptrCell(1)));
      const [quoted, signature] = o.take(["TPM2B_ATTEST", "TPMT_SIGNATURE"] as const);
      return { quoted, signature };
    } finally {
      o.freeAll();
    }
  }

  async ecdhZGen(key: number, inPoint: Uint8Array, sessions: Sessions = AUTH): Promise<Uint8Array> {
    const pt = toC("TPM2B_ECC_POINT", inPoint);
    const o = new OutSlots(1);
    try {
      check("Esys_ECDH_ZGen", E.Esys_ECDH_ZGen(this.c, key, ...slots(sessions), ptr(pt), o.ptrCell(0)));
      return o.take(["TPM2B_ECC_POINT"] as const)[0];
    } finally {
      o.freeAll();
    }
  }

  async nvDefineSpace(auth: number, authValue: Uint8Array, publicInfo: Uint8Array, sessions: Sessions = AUTH): Promise<number> {
    const a = toC("TPM2B_AUTH", authValue);
    const p = toC("TPM2B_NV_PUBLIC", publicInfo);
    const o = new OutSlots(0);
    check("Esys_NV_DefineSpace", E.Esys_NV_DefineSpace(this.c, auth, ...slots(sessions), ptr(a), ptr(p), o.u32Cell(0)));
    return o.u32(0);
  }

  async nvUndefineSpace(auth: number, nvIndex: number, sessions: Sessions = AUTH): Promise<void> {
    check("Esys_NV_UndefineSpace", E.Esys_NV_UndefineSpace(this.c, auth, nvIndex, ...slots(sessions)));
  }

  async nvReadPublic(nvIndex: number): Promise<{ nvPublic: Uint8Array; name: Uint8Array }> {
    const o = new OutSlots(2);
    try {
      check("Esys_NV_ReadPublic", E.Esys_NV_ReadPublic(this.c, nvIndex, ...slots(NOAUTH), o.ptrCell(0), o.ptrCell(1)));
      const [nvPublic, name] = o.take(["TPM2B_NV_PUBLIC", "TPM2B_NAME"] as const);
      return { nvPublic, name };
    } finally {
      o.freeAll();
    }
  }

  async nvRead(auth: number, nvIndex: number, size: number, offset: number, sessions: Sessions = AUTH): Promise<Uint8Array> {
    const o = new OutSlots(1);
    try {
      check("Esys_NV_Read", E.Esys_NV_Read(this.c, auth, nvIndex, ...slots(sessions), size, offset, o.ptrCell(0)));
      return o.take(["TPM2B_MAX_NV_BUFFER"] as const)[0];
    } finally {
      o.freeAll();
    }
  }

  async nvWrite(auth: number, nvIndex: number, data: Uint8Array, offset: number, sessions: Sessions = AUTH): Promise<void> {
    const d = toC("TPM2B_MAX_NV_BUFFER", data);
    check("Esys_NV_Write", E.Esys_NV_Write(this.c, auth, nvIndex, ...slots(sessions), ptr(d), offset));
  }

  async startAuthSession(tpmKey: number, bind: number, sessionType: number, symmetric: Uint8Array, authHash: number): Promise<number> {
    const sym = toC("TPMT_SYM_DEF", symmetric);
    const o = new OutSlots(0);
    check(
      "Esys_StartAuthSession",
      E.Esys_StartAuthSession(this.c, tpmKey, bind, ...slots(NOAUTH), null, sessionType, ptr(sym), authHash, o.u32Cell(0)),
    );
    return o.u32(0);
  }

  async sessionSetAttributes(session: number, flags: number, mask: number): Promise<void> {
    check("Esys_TRSess_SetAttributes", E.Esys_TRSess_SetAttributes(this.c, session, flags, mask));
  }

  async policyPcr(session: number, pcrDigest: Uint8Array, pcrs: Uint8Array): Promise<void> {
    const d = toC("TPM2B_DIGEST", pcrDigest);
    const sel = toC("TPML_PCR_SELECTION", pcrs);
    check("Esys_PolicyPCR", E.Esys_PolicyPCR(this.c, session, ...slots(NOAUTH), ptr(d), ptr(sel)));
  }

  async policyGetDigest(session: number): Promise<Uint8Array> {
    const o = new OutSlots(1);
    try {
      check("Esys_PolicyGetDigest", E.Esys_PolicyGetDigest(this.c, session, ...slots(NOAUTH), o.ptrCell(0)));
      return o.take(["TPM2B_DIGEST"] as const)[0];
    } finally {
      o.freeAll();
    }
  }
}
