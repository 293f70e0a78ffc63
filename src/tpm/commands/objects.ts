import { hasRc } from "../errors.ts";
import { ESYS_TR, type EsysTr, type TpmPort } from "../port.ts";
import { encodeSensitiveCreate, encodeTpm2b } from "../structures/basic.ts";
import { ALG, RC } from "../structures/constants.ts";
import { isPrimaryObject } from "../structures/name.ts";
import { encodePcrSelection } from "../structures/pcr-selection.ts";
import { decodePublic, encodePublic, type TpmtPublic } from "../structures/public.ts";

export interface LoadedObject {
  tr: EsysTr;
  public: TpmtPublic;
  /** TPM2B_PUBLIC as the TPM returned it. */
  publicBytes: Uint8Array;
}

/** The inputs CreatePrimary and Create share: no outside info, no creation PCRs. */
function creation(template: TpmtPublic, userAuth: Uint8Array) {
  return {
    inSensitive: encodeSensitiveCreate(userAuth),
    inPublic: encodePublic(template),
    outsideInfo: encodeTpm2b(new Uint8Array(0)),
    creationPCR: encodePcrSelection([{ hash: ALG.SHA256, pcrs: [] }]),
  };
}

/** TPM2_CreatePrimary (Part 3 §24.1); the caller owns (and must flush) the transient handle. */
export async function createPrimary(tpm: TpmPort, hierarchy: EsysTr, template: TpmtPublic, userAuth: Uint8Array = new Uint8Array(0)): Promise<LoadedObject> {
  const { objectHandle, outPublic } = await tpm.createPrimary({ primaryHandle: hierarchy, ...creation(template, userAuth) });
  return { tr: objectHandle, public: decodePublic(outPublic), publicBytes: outPublic };
}

/**
 * TPM2_Create under `parent` then TPM2_Load (Part 3 §12.1, §12.2): the
 * private part comes from the TPM's RNG and leaves the TPM only wrapped under
 * the parent. The caller owns (and must flush) the transient handle; the
 * blob is not returned because the callers persist the object instead.
 */
export async function createChild(tpm: TpmPort, parent: EsysTr, template: TpmtPublic, userAuth: Uint8Array = new Uint8Array(0)): Promise<LoadedObject> {
  const { outPrivate, outPublic } = await tpm.create({ parentHandle: parent, ...creation(template, userAuth) });
  const { objectHandle: tr } = await tpm.load({ parentHandle: parent, inPrivate: outPrivate, inPublic: outPublic });
  return { tr, public: decodePublic(outPublic), publicBytes: outPublic };
}

export interface PersistentObject extends LoadedObject {
  /** A primary key (re-creatable from its hierarchy's seed and template), told by its qualified name. */
  primary: boolean;
}

/** ESYS_TR for a persistent handle plus its public area, or undefined when nothing sits there. */
export async function openPersistent(tpm: TpmPort, handle: number): Promise<PersistentObject | undefined> {
  let tr: EsysTr;
  try {
    tr = (await tpm.fromTpmPublic({ tpmHandle: handle })).object;
  } catch (e) {
    if (hasRc(e, RC.HANDLE)) return undefined;
    throw e;
  }
  try {
    const { outPublic, name, qualifiedName } = await tpm.readPublic({ objectHandle: tr });
    return { tr, public: decodePublic(outPublic), publicBytes: outPublic, primary: isPrimaryObject(name, qualifiedName) };
  } catch (e) {
    await tpm.closeTr({ object: tr }).catch(() => undefined);
    throw e;
  }
}

/** TPM2_EvictControl making `object` persistent at `handle` (Part 3 §28.5). */
export async function makePersistent(tpm: TpmPort, object: EsysTr, handle: number): Promise<EsysTr> {
  return (await tpm.evictControl({ auth: ESYS_TR.RH_OWNER, objectHandle: object, persistentHandle: handle })).newObjectHandle;
}

/** TPM2_EvictControl removing the persistent object behind `tr`. */
export async function evictPersistent(tpm: TpmPort, tr: EsysTr, handle: number): Promise<void> {
  await tpm.evictControl({ auth: ESYS_TR.RH_OWNER, objectHandle: tr, persistentHandle: handle });
}

/** Runs `f` with a transient object and flushes it on every path. */
export async function withFlush<T>(tpm: TpmPort, tr: EsysTr, f: (tr: EsysTr) => Promise<T>): Promise<T> {
  try {
    return await f(tr);
  } finally {
    await tpm.flushContext({ flushHandle: tr });
  }
}
