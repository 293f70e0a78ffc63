/**
 * What the command layer needs from an ESAPI implementation. Structures cross
 * as TPM wire bytes (TPM2B_* with their size prefix), handles as ESYS_TR
 * numbers. native/tss2's EsysTpm satisfies this structurally; main.ts passes
 * it in, so src/tpm builds and unit-tests without libtss2.
 *
 * Failures reject with an error shaped like {@link TpmRcLike}.
 */
export type EsysTr = number;

export interface Sessions {
  s1?: EsysTr;
  s2?: EsysTr;
  s3?: EsysTr;
}

/** ESYS_TR values ESAPI reserves (tss2_esys.h). */
export const ESYS_TR = {
  NONE: 0xfff,
  PASSWORD: 0x0ff,
  RH_OWNER: 0x101,
  RH_NULL: 0x107,
  RH_ENDORSEMENT: 0x10b,
} as const;

/** The shape of a failed TSS2_RC, as the native layer raises it. */
export interface TpmRcLike {
  kind: "tpm.rc";
  rc: number;
  layer: number;
  /** Comparable code: format-1 base or format-0 code (see RC in structures/constants.ts). */
  code: number;
  warning: boolean;
  index: { parameter?: number; handle?: number; session?: number };
  command: string;
  message: string;
}

export interface TpmPort {
  close(): Promise<void>;

  getRandom(count: number): Promise<Uint8Array>;
  getCapability(capability: number, property: number, count: number): Promise<{ moreData: boolean; data: Uint8Array }>;
  pcrRead(selection: Uint8Array): Promise<{ updateCounter: number; selection: Uint8Array; digests: Uint8Array }>;

  fromTpmPublic(handle: number): Promise<EsysTr>;
  closeTr(tr: EsysTr): Promise<void>;
  /** `auth` is a TPM2B_AUTH. */
  setAuth(tr: EsysTr, auth: Uint8Array): Promise<void>;
  flushContext(tr: EsysTr): Promise<void>;

  createPrimary(
    hierarchy: EsysTr,
    inSensitive: Uint8Array,
    inPublic: Uint8Array,
    outsideInfo: Uint8Array,
    creationPcr: Uint8Array,
    sessions?: Sessions,
  ): Promise<{ handle: EsysTr; outPublic: Uint8Array }>;
  create(
    parent: EsysTr,
    inSensitive: Uint8Array,
    inPublic: Uint8Array,
    outsideInfo: Uint8Array,
    creationPcr: Uint8Array,
    sessions?: Sessions,
  ): Promise<{ outPrivate: Uint8Array; outPublic: Uint8Array }>;
  load(parent: EsysTr, inPrivate: Uint8Array, inPublic: Uint8Array, sessions?: Sessions): Promise<EsysTr>;
  unseal(item: EsysTr, sessions?: Sessions): Promise<Uint8Array>;
  evictControl(auth: EsysTr, object: EsysTr, persistent: number, sessions?: Sessions): Promise<EsysTr>;
  /** `qualifiedName` tells a primary from a child object (see structures/name.ts). */
  readPublic(object: EsysTr): Promise<{ outPublic: Uint8Array; name: Uint8Array; qualifiedName: Uint8Array }>;

  sign(key: EsysTr, digest: Uint8Array, scheme: Uint8Array, validation: Uint8Array, sessions?: Sessions): Promise<Uint8Array>;
  quote(
    key: EsysTr,
    qualifyingData: Uint8Array,
    scheme: Uint8Array,
    pcrSelect: Uint8Array,
    sessions?: Sessions,
  ): Promise<{ quoted: Uint8Array; signature: Uint8Array }>;
  ecdhZGen(key: EsysTr, inPoint: Uint8Array, sessions?: Sessions): Promise<Uint8Array>;

  nvDefineSpace(auth: EsysTr, authValue: Uint8Array, publicInfo: Uint8Array, sessions?: Sessions): Promise<EsysTr>;
  nvUndefineSpace(auth: EsysTr, nvIndex: EsysTr, sessions?: Sessions): Promise<void>;
  nvReadPublic(nvIndex: EsysTr): Promise<{ nvPublic: Uint8Array; name: Uint8Array }>;
  nvRead(auth: EsysTr, nvIndex: EsysTr, size: number, offset: number, sessions?: Sessions): Promise<Uint8Array>;
  nvWrite(auth: EsysTr, nvIndex: EsysTr, data: Uint8Array, offset: number, sessions?: Sessions): Promise<void>;

  startAuthSession(tpmKey: EsysTr, bind: EsysTr, sessionType: number, symmetric: Uint8Array, authHash: number): Promise<EsysTr>;
  sessionSetAttributes(session: EsysTr, flags: number, mask: number): Promise<void>;
  policyPcr(session: EsysTr, pcrDigest: Uint8Array, pcrs: Uint8Array): Promise<void>;
  policyGetDigest(session: EsysTr): Promise<Uint8Array>;
}
