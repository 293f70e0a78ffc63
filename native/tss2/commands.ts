/**
 * Every ESAPI function the agent calls, declared once. From this table come
 * the bun:ffi signatures (lib.ts), the one generic call that marshals, calls,
 * takes and frees (esys.ts), the worker's requests and replies (worker.ts,
 * remote.ts) and the TpmPort type src/tpm programs against. How to add a
 * command: README.md beside this file.
 *
 * This module loads no library, so src/tpm imports its types and constants
 * and still builds and unit-tests on a machine without tpm2-tss.
 */

/** tpm2-tss structures moved as TPM wire bytes through Tss2_MU_<T>_Marshal/_Unmarshal. */
export const MU_TYPES = [
  "TPM2B_DIGEST",
  "TPM2B_NONCE",
  "TPM2B_DATA",
  "TPM2B_AUTH",
  "TPM2B_NAME",
  "TPM2B_PUBLIC",
  "TPM2B_PRIVATE",
  "TPM2B_SENSITIVE_CREATE",
  "TPM2B_SENSITIVE_DATA",
  "TPM2B_ECC_POINT",
  "TPM2B_NV_PUBLIC",
  "TPM2B_MAX_NV_BUFFER",
  "TPM2B_ATTEST",
  "TPM2B_ID_OBJECT",
  "TPM2B_ENCRYPTED_SECRET",
  "TPM2B_TIMEOUT",
  "TPML_PCR_SELECTION",
  "TPML_DIGEST",
  "TPML_DIGEST_VALUES",
  "TPMS_CAPABILITY_DATA",
  "TPMT_SIGNATURE",
  "TPMT_SIG_SCHEME",
  "TPMT_TK_HASHCHECK",
  "TPMT_TK_AUTH",
  "TPMT_SYM_DEF",
] as const;
export type MuType = (typeof MU_TYPES)[number];

/**
 * A handle argument (ESYS_TR, u32). "auth": the command authorises its use,
 * so the default sessions put ESYS_TR_PASSWORD (empty or SetAuth'd value) in
 * the next session slot; "none": no authorisation.
 */
export type HandleKind = "auth" | "none";

/**
 * A parameter after the session slots. Integers pass by value; a structure
 * passes as its wire bytes, unmarshalled into C memory for the call (a
 * trailing "?" makes it optional: left out, ESAPI gets NULL); "tr*" passes an
 * ESYS_TR by reference.
 */
export type IntKind = "u8" | "u16" | "u32" | "i32";
export type ParamKind = IntKind | MuType | `${MuType}?` | "tr*";

/**
 * An output pointer. "tr"/"u32"/"yesno" are filled in place; a structure is
 * allocated by ESAPI, marshalled to wire bytes and freed; "drop" is freed
 * unread (outputs the agent has no use for, e.g. creation data).
 */
export type ResultKind = "tr" | "u32" | "yesno" | MuType | "drop";

export interface CommandSpec {
  /** The ESAPI function; its arguments are: context, handles, three session slots, params, results, in that order. */
  readonly esys: `Esys_${string}`;
  readonly handles?: Readonly<Record<string, HandleKind>>;
  /** false for ESAPI's TR utilities, which take no session slots. */
  readonly sessions?: false;
  readonly params?: Readonly<Record<string, ParamKind>>;
  readonly results?: Readonly<Record<string, ResultKind>>;
}

/*
 * Names follow TPM 2.0 Part 3 (and tss2_esys.h for ESAPI-only outputs).
 * Property order is argument order: JavaScript keeps string keys in the order
 * they were written, and the FFI signature is built in that order.
 */
export const COMMANDS = {
  // ESAPI utilities: no TPM command, or a ReadPublic ESAPI sends by itself.
  fromTpmPublic: { esys: "Esys_TR_FromTPMPublic", handles: { tpmHandle: "none" }, results: { object: "tr" } },
  closeTr: { esys: "Esys_TR_Close", sessions: false, params: { object: "tr*" } },
  setAuth: { esys: "Esys_TR_SetAuth", sessions: false, handles: { handle: "none" }, params: { authValue: "TPM2B_AUTH" } },
  sessionSetAttributes: { esys: "Esys_TRSess_SetAttributes", sessions: false, handles: { session: "none" }, params: { flags: "u8", mask: "u8" } },
  // Part 3 §28.4
  flushContext: { esys: "Esys_FlushContext", sessions: false, handles: { flushHandle: "none" } },

  // Part 3 §16.1
  getRandom: { esys: "Esys_GetRandom", params: { bytesRequested: "u16" }, results: { randomBytes: "TPM2B_DIGEST" } },
  // Part 3 §30.2
  getCapability: {
    esys: "Esys_GetCapability",
    params: { capability: "u32", property: "u32", propertyCount: "u32" },
    results: { moreData: "yesno", capabilityData: "TPMS_CAPABILITY_DATA" },
  },

  // Part 3 §22.4
  pcrRead: {
    esys: "Esys_PCR_Read",
    params: { pcrSelectionIn: "TPML_PCR_SELECTION" },
    results: { pcrUpdateCounter: "u32", pcrSelectionOut: "TPML_PCR_SELECTION", pcrValues: "TPML_DIGEST" },
  },
  // Part 3 §22.2
  pcrExtend: { esys: "Esys_PCR_Extend", handles: { pcrHandle: "auth" }, params: { digests: "TPML_DIGEST_VALUES" } },
  // Part 3 §22.8
  pcrReset: { esys: "Esys_PCR_Reset", handles: { pcrHandle: "auth" } },

  // Part 3 §24.1
  createPrimary: {
    esys: "Esys_CreatePrimary",
    handles: { primaryHandle: "auth" },
    params: { inSensitive: "TPM2B_SENSITIVE_CREATE", inPublic: "TPM2B_PUBLIC", outsideInfo: "TPM2B_DATA", creationPCR: "TPML_PCR_SELECTION" },
    results: { objectHandle: "tr", outPublic: "TPM2B_PUBLIC", creationData: "drop", creationHash: "drop", creationTicket: "drop" },
  },
  // Part 3 §12.1
  create: {
    esys: "Esys_Create",
    handles: { parentHandle: "auth" },
    params: { inSensitive: "TPM2B_SENSITIVE_CREATE", inPublic: "TPM2B_PUBLIC", outsideInfo: "TPM2B_DATA", creationPCR: "TPML_PCR_SELECTION" },
    results: { outPrivate: "TPM2B_PRIVATE", outPublic: "TPM2B_PUBLIC", creationData: "drop", creationHash: "drop", creationTicket: "drop" },
  },
  // Part 3 §12.2
  load: {
    esys: "Esys_Load",
    handles: { parentHandle: "auth" },
    params: { inPrivate: "TPM2B_PRIVATE", inPublic: "TPM2B_PUBLIC" },
    results: { objectHandle: "tr" },
  },
  // Part 3 §12.4
  readPublic: {
    esys: "Esys_ReadPublic",
    handles: { objectHandle: "none" },
    results: { outPublic: "TPM2B_PUBLIC", name: "TPM2B_NAME", qualifiedName: "TPM2B_NAME" },
  },
  // Part 3 §12.5
  activateCredential: {
    esys: "Esys_ActivateCredential",
    handles: { activateHandle: "auth", keyHandle: "auth" },
    params: { credentialBlob: "TPM2B_ID_OBJECT", secret: "TPM2B_ENCRYPTED_SECRET" },
    results: { certInfo: "TPM2B_DIGEST" },
  },
  // Part 3 §12.7
  unseal: { esys: "Esys_Unseal", handles: { itemHandle: "auth" }, results: { outData: "TPM2B_SENSITIVE_DATA" } },
  // Part 3 §28.5
  evictControl: {
    esys: "Esys_EvictControl",
    handles: { auth: "auth", objectHandle: "none" },
    params: { persistentHandle: "u32" },
    results: { newObjectHandle: "tr" },
  },

  // Part 3 §20.2
  sign: {
    esys: "Esys_Sign",
    handles: { keyHandle: "auth" },
    params: { digest: "TPM2B_DIGEST", inScheme: "TPMT_SIG_SCHEME", validation: "TPMT_TK_HASHCHECK" },
    results: { signature: "TPMT_SIGNATURE" },
  },
  // Part 3 §18.2
  certify: {
    esys: "Esys_Certify",
    handles: { objectHandle: "auth", signHandle: "auth" },
    params: { qualifyingData: "TPM2B_DATA", inScheme: "TPMT_SIG_SCHEME" },
    results: { certifyInfo: "TPM2B_ATTEST", signature: "TPMT_SIGNATURE" },
  },
  // Part 3 §18.4
  quote: {
    esys: "Esys_Quote",
    handles: { signHandle: "auth" },
    params: { qualifyingData: "TPM2B_DATA", inScheme: "TPMT_SIG_SCHEME", PCRselect: "TPML_PCR_SELECTION" },
    results: { quoted: "TPM2B_ATTEST", signature: "TPMT_SIGNATURE" },
  },
  // Part 3 §14.5
  ecdhZGen: { esys: "Esys_ECDH_ZGen", handles: { keyHandle: "auth" }, params: { inPoint: "TPM2B_ECC_POINT" }, results: { outPoint: "TPM2B_ECC_POINT" } },

  // Part 3 §31.3
  nvDefineSpace: {
    esys: "Esys_NV_DefineSpace",
    handles: { authHandle: "auth" },
    params: { auth: "TPM2B_AUTH", publicInfo: "TPM2B_NV_PUBLIC" },
    results: { nvHandle: "tr" },
  },
  // Part 3 §31.4
  nvUndefineSpace: { esys: "Esys_NV_UndefineSpace", handles: { authHandle: "auth", nvIndex: "none" } },
  // Part 3 §31.6
  nvReadPublic: { esys: "Esys_NV_ReadPublic", handles: { nvIndex: "none" }, results: { nvPublic: "TPM2B_NV_PUBLIC", nvName: "TPM2B_NAME" } },
  // Part 3 §31.13
  nvRead: {
    esys: "Esys_NV_Read",
    handles: { authHandle: "auth", nvIndex: "none" },
    params: { size: "u16", offset: "u16" },
    results: { data: "TPM2B_MAX_NV_BUFFER" },
  },
  // Part 3 §31.7
  nvWrite: { esys: "Esys_NV_Write", handles: { authHandle: "auth", nvIndex: "none" }, params: { data: "TPM2B_MAX_NV_BUFFER", offset: "u16" } },

  // Part 3 §11.1; without nonceCaller ESAPI draws one itself.
  startAuthSession: {
    esys: "Esys_StartAuthSession",
    handles: { tpmKey: "none", bind: "none" },
    params: { nonceCaller: "TPM2B_NONCE?", sessionType: "u8", symmetric: "TPMT_SYM_DEF", authHash: "u16" },
    results: { sessionHandle: "tr" },
  },
  // Part 3 §23.4
  policySecret: {
    esys: "Esys_PolicySecret",
    handles: { authHandle: "auth", policySession: "none" },
    params: { nonceTPM: "TPM2B_NONCE?", cpHashA: "TPM2B_DIGEST?", policyRef: "TPM2B_NONCE?", expiration: "i32" },
    results: { timeout: "TPM2B_TIMEOUT", policyTicket: "TPMT_TK_AUTH" },
  },
  // Part 3 §23.7
  policyPcr: { esys: "Esys_PolicyPCR", handles: { policySession: "none" }, params: { pcrDigest: "TPM2B_DIGEST", pcrs: "TPML_PCR_SELECTION" } },
  // Part 3 §23.19
  policyGetDigest: { esys: "Esys_PolicyGetDigest", handles: { policySession: "none" }, results: { policyDigest: "TPM2B_DIGEST" } },
} as const satisfies Record<string, CommandSpec>;

type Table = typeof COMMANDS;
export type Command = keyof Table;
export const COMMAND_NAMES = Object.keys(COMMANDS) as Command[];

/** An ESYS_TR: ESAPI's handle for a TPM object, session or reserved entity. */
export type EsysTr = number;

/** ESYS_TR values ESAPI reserves (tss2_esys.h). */
export const ESYS_TR = {
  NONE: 0xfff,
  PASSWORD: 0x0ff,
  /** ESYS_TR_PCR0; PCR n is PCR0 + n (n < 32). */
  PCR0: 0,
  RH_OWNER: 0x101,
  RH_NULL: 0x107,
  RH_ENDORSEMENT: 0x10b,
} as const;

/** Session slots of one command; unset slots mean ESYS_TR_NONE. */
export interface Sessions {
  s1?: EsysTr;
  s2?: EsysTr;
  s3?: EsysTr;
}

type Simplify<T> = { -readonly [K in keyof T]: T[K] } & {};
type Field<C, F extends "handles" | "params" | "results"> = C extends { [P in F]: infer R } ? R : {};

type ParamValue<P> = P extends IntKind ? number : P extends "tr*" ? EsysTr : Uint8Array;
type ResultValue<R> = R extends "tr" | "u32" ? number : R extends "yesno" ? boolean : Uint8Array;

type HandleInput<C> = { [H in keyof Field<C, "handles">]: EsysTr };
type RequiredParams<P> = { [K in keyof P as P[K] extends `${string}?` ? never : K]: ParamValue<P[K]> };
type OptionalParams<P> = { [K in keyof P as P[K] extends `${string}?` ? K : never]?: Uint8Array };
type SessionInput<C> = C extends { sessions: false } ? {} : { sessions?: Sessions };

/**
 * What one command takes: its handles and parameters by their Part 3 names,
 * plus `sessions` to replace the default (a password session per "auth" handle).
 */
export type CommandInput<K extends Command> = Simplify<
  HandleInput<Table[K]> & RequiredParams<Field<Table[K], "params">> & OptionalParams<Field<Table[K], "params">> & SessionInput<Table[K]>
>;

type Kept<R> = { [K in keyof R as R[K] extends "drop" ? never : K]: ResultValue<R[K]> };
/** What one command gives back: its outputs by name, or nothing. */
export type CommandOutput<K extends Command> = keyof Kept<Field<Table[K], "results">> extends never ? void : Simplify<Kept<Field<Table[K], "results">>>;

/** One method per command, named as in the table. */
export type TpmCommands = { [K in Command]: (input: CommandInput<K>) => Promise<CommandOutput<K>> };

/**
 * What src/tpm needs from an ESAPI implementation: EsysTpm in this thread,
 * openWorkerTpm across a Worker, a test's fake. Structures cross as TPM wire
 * bytes (TPM2B_* with their size prefix), handles as ESYS_TR numbers, and
 * failures reject with a {@link TpmRcLike} (api.ts).
 */
export type TpmPort = TpmCommands & { close(): Promise<void> };

/*
 * Compile-time checks on the table itself: a handle or parameter name that
 * clashes with another input of the same command, or with `sessions`, would
 * silently drop one of them from CommandInput.
 */
type Clash<C> = (keyof Field<C, "handles"> & keyof Field<C, "params">) | ("sessions" & (keyof Field<C, "handles"> | keyof Field<C, "params">));
type Clashing = { [K in Command]: [Clash<Table[K]>] extends [never] ? never : K }[Command];
const noClash: [Clashing] extends [never] ? true : Clashing = true;
void noClash;
