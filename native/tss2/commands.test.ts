import { FFIType as T } from "bun:ffi";
import { describe, expect, test } from "bun:test";
import { COMMAND_NAMES, COMMANDS, type CommandSpec } from "./commands.ts";
import { EsysTpm } from "./esys.ts";
import { esysSignature, tss2 } from "./lib.ts";

/**
 * tss2_esys.h (tpm2-tss 3.2.1) prototypes of the commands in the table,
 * context and session slots left out ("S" marks where the three slots go).
 * The signatures the table replaced were written by hand from these; the
 * derivation must keep producing them.
 */
const PROTOTYPES: Record<string, string> = {
  Esys_TR_FromTPMPublic: "TPM2_HANDLE tpmHandle, S, ESYS_TR *object",
  Esys_TR_Close: "ESYS_TR *object",
  Esys_TR_SetAuth: "ESYS_TR handle, const TPM2B_AUTH *authValue",
  Esys_TRSess_SetAttributes: "ESYS_TR session, TPMA_SESSION flags, TPMA_SESSION mask",
  Esys_FlushContext: "ESYS_TR flushHandle",
  Esys_GetRandom: "S, UINT16 bytesRequested, TPM2B_DIGEST **randomBytes",
  Esys_GetCapability: "S, TPM2_CAP capability, UINT32 property, UINT32 propertyCount, TPMI_YES_NO *moreData, TPMS_CAPABILITY_DATA **capabilityData",
  Esys_PCR_Read: "S, const TPML_PCR_SELECTION *pcrSelectionIn, UINT32 *pcrUpdateCounter, TPML_PCR_SELECTION **pcrSelectionOut, TPML_DIGEST **pcrValues",
  Esys_PCR_Extend: "ESYS_TR pcrHandle, S, const TPML_DIGEST_VALUES *digests",
  Esys_PCR_Reset: "ESYS_TR pcrHandle, S",
  Esys_CreatePrimary:
    "ESYS_TR primaryHandle, S, const TPM2B_SENSITIVE_CREATE *inSensitive, const TPM2B_PUBLIC *inPublic, const TPM2B_DATA *outsideInfo, const TPML_PCR_SELECTION *creationPCR, ESYS_TR *objectHandle, TPM2B_PUBLIC **outPublic, TPM2B_CREATION_DATA **creationData, TPM2B_DIGEST **creationHash, TPMT_TK_CREATION **creationTicket",
  Esys_Create:
    "ESYS_TR parentHandle, S, const TPM2B_SENSITIVE_CREATE *inSensitive, const TPM2B_PUBLIC *inPublic, const TPM2B_DATA *outsideInfo, const TPML_PCR_SELECTION *creationPCR, TPM2B_PRIVATE **outPrivate, TPM2B_PUBLIC **outPublic, TPM2B_CREATION_DATA **creationData, TPM2B_DIGEST **creationHash, TPMT_TK_CREATION **creationTicket",
  Esys_Load: "ESYS_TR parentHandle, S, const TPM2B_PRIVATE *inPrivate, const TPM2B_PUBLIC *inPublic, ESYS_TR *objectHandle",
  Esys_ReadPublic: "ESYS_TR objectHandle, S, TPM2B_PUBLIC **outPublic, TPM2B_NAME **name, TPM2B_NAME **qualifiedName",
  Esys_ActivateCredential:
    "ESYS_TR activateHandle, ESYS_TR keyHandle, S, const TPM2B_ID_OBJECT *credentialBlob, const TPM2B_ENCRYPTED_SECRET *secret, TPM2B_DIGEST **certInfo",
  Esys_Unseal: "ESYS_TR itemHandle, S, TPM2B_SENSITIVE_DATA **outData",
  Esys_EvictControl: "ESYS_TR auth, ESYS_TR objectHandle, S, TPMI_DH_PERSISTENT persistentHandle, ESYS_TR *newObjectHandle",
  Esys_Sign:
    "ESYS_TR keyHandle, S, const TPM2B_DIGEST *digest, const TPMT_SIG_SCHEME *inScheme, const TPMT_TK_HASHCHECK *validation, TPMT_SIGNATURE **signature",
  Esys_Certify:
    "ESYS_TR objectHandle, ESYS_TR signHandle, S, const TPM2B_DATA *qualifyingData, const TPMT_SIG_SCHEME *inScheme, TPM2B_ATTEST **certifyInfo, TPMT_SIGNATURE **signature",
  Esys_Quote:
    "ESYS_TR signHandle, S, const TPM2B_DATA *qualifyingData, const TPMT_SIG_SCHEME *inScheme, const TPML_PCR_SELECTION *PCRselect, TPM2B_ATTEST **quoted, TPMT_SIGNATURE **signature",
  Esys_ECDH_ZGen: "ESYS_TR keyHandle, S, const TPM2B_ECC_POINT *inPoint, TPM2B_ECC_POINT **outPoint",
  Esys_NV_DefineSpace: "ESYS_TR authHandle, S, const TPM2B_AUTH *auth, const TPM2B_NV_PUBLIC *publicInfo, ESYS_TR *nvHandle",
  Esys_NV_UndefineSpace: "ESYS_TR authHandle, ESYS_TR nvIndex, S",
  Esys_NV_ReadPublic: "ESYS_TR nvIndex, S, TPM2B_NV_PUBLIC **nvPublic, TPM2B_NAME **nvName",
  Esys_NV_Read: "ESYS_TR authHandle, ESYS_TR nvIndex, S, UINT16 size, UINT16 offset, TPM2B_MAX_NV_BUFFER **data",
  Esys_NV_Write: "ESYS_TR authHandle, ESYS_TR nvIndex, S, const TPM2B_MAX_NV_BUFFER *data, UINT16 offset",
  Esys_StartAuthSession:
    "ESYS_TR tpmKey, ESYS_TR bind, S, const TPM2B_NONCE *nonceCaller, TPM2_SE sessionType, const TPMT_SYM_DEF *symmetric, TPMI_ALG_HASH authHash, ESYS_TR *sessionHandle",
  Esys_PolicySecret:
    "ESYS_TR authHandle, ESYS_TR policySession, S, const TPM2B_NONCE *nonceTPM, const TPM2B_DIGEST *cpHashA, const TPM2B_NONCE *policyRef, INT32 expiration, TPM2B_TIMEOUT **timeout, TPMT_TK_AUTH **policyTicket",
  Esys_PolicyPCR: "ESYS_TR policySession, S, const TPM2B_DIGEST *pcrDigest, const TPML_PCR_SELECTION *pcrs",
  Esys_PolicyGetDigest: "ESYS_TR policySession, S, TPM2B_DIGEST **policyDigest",
};

const C_FFI: Record<string, T> = {
  ESYS_TR: T.u32,
  TPM2_HANDLE: T.u32,
  TPMI_DH_PERSISTENT: T.u32,
  TPM2_CAP: T.u32,
  UINT32: T.u32,
  UINT16: T.u16,
  TPMI_ALG_HASH: T.u16,
  TPM2_SE: T.u8,
  TPMA_SESSION: T.u8,
  INT32: T.i32,
};

interface CArg {
  type: string;
  name: string;
  ffi: T;
  pointers: number;
}

function parse(proto: string): CArg[] {
  return proto.split(", ").flatMap((a): CArg[] => {
    if (a === "S") return [0, 1, 2].map(() => ({ type: "ESYS_TR", name: "S", ffi: T.u32, pointers: 0 }));
    const m = a.match(/^(?:const )?(\w+) (\**)(\w+)$/);
    if (!m) throw new Error(`cannot read ${a}`);
    const pointers = m[2]!.length;
    return [{ type: m[1]!, name: m[3]!, ffi: pointers > 0 ? T.ptr : C_FFI[m[1]!]!, pointers }];
  });
}

/** The table's view of the same arguments, in call order. */
function tableArgs(c: CommandSpec): Array<{ name: string; kind: string }> {
  const out = Object.entries(c.handles ?? {}).map(([name]) => ({ name, kind: "ESYS_TR" }));
  if (c.sessions !== false) out.push(...[0, 1, 2].map(() => ({ name: "S", kind: "ESYS_TR" })));
  out.push(...Object.entries(c.params ?? {}).map(([name, kind]) => ({ name, kind })));
  out.push(...Object.entries(c.results ?? {}).map(([name, kind]) => ({ name, kind })));
  return out;
}

describe("command table", () => {
  test("lists exactly the commands whose prototypes are written down here", () => {
    expect(COMMAND_NAMES.map((k): string => COMMANDS[k].esys).sort()).toEqual(Object.keys(PROTOTYPES).sort());
  });

  for (const k of COMMAND_NAMES) {
    const spec: CommandSpec = COMMANDS[k];
    const proto = PROTOTYPES[spec.esys];
    test(`${spec.esys} gets the FFI signature, names and structure types of tss2_esys.h`, () => {
      if (!proto) throw new Error(`no prototype written down for ${spec.esys}`);
      const c = parse(proto);
      expect(esysSignature(spec).args).toEqual([T.ptr, ...c.map((a) => a.ffi)]);
      const mine = tableArgs(spec);
      expect(mine.map((a) => a.name)).toEqual(c.map((a) => a.name));
      mine.forEach((a, i) => {
        const cArg = c[i]!;
        // A structure in or out must be the one the prototype names ("drop"ped outputs are freed unread).
        if (cArg.pointers === 1 && cArg.type.startsWith("TPM") && !["TPMI_YES_NO", "ESYS_TR"].includes(cArg.type))
          expect(a.kind.replace(/\?$/, "")).toBe(cArg.type);
        if (cArg.pointers === 2 && a.kind !== "drop") expect(a.kind).toBe(cArg.type);
      });
    });
  }

  test("resolves every command to a libtss2-esys symbol and an EsysTpm method", () => {
    const symbols = tss2().esys.symbols as unknown as Record<string, unknown>;
    const proto = EsysTpm.prototype as unknown as Record<string, unknown>;
    for (const k of COMMAND_NAMES) {
      expect(typeof symbols[COMMANDS[k].esys]).toBe("function");
      expect(typeof proto[k]).toBe("function");
    }
  });
});
