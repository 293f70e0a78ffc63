import { hasRc } from "../errors.ts";
import { ESYS_TR, type EsysTr, type TpmPort } from "../port.ts";
import { decodeNvPublic, decodeTpm2b, encodeNvPublic, encodeTpm2b, type NvPublic } from "../structures/basic.ts";
import { ALG, NV, RC } from "../structures/constants.ts";

/** EVE's NV attributes: owner-authorised read and write, ordinary index. */
export const EVE_NV_ATTRIBUTES = NV.ownerWrite | NV.ownerRead;

async function openIndex(tpm: TpmPort, index: number): Promise<EsysTr | undefined> {
  try {
    return (await tpm.fromTpmPublic({ tpmHandle: index })).object;
  } catch (e) {
    if (hasRc(e, RC.HANDLE)) return undefined;
    throw e;
  }
}

export async function nvPublic(tpm: TpmPort, index: number): Promise<NvPublic | undefined> {
  const tr = await openIndex(tpm, index);
  if (tr === undefined) return undefined;
  try {
    return decodeNvPublic((await tpm.nvReadPublic({ nvIndex: tr })).nvPublic);
  } finally {
    await tpm.closeTr({ object: tr });
  }
}

/**
 * Replaces the index with one of exactly `data.length` bytes (as EVE does:
 * undefine, define, write), writing in chunks of at most `chunk` bytes
 * (TPM_PT_NV_BUFFER_MAX). TPM2_NV_DefineSpace/Write, Part 3 §31.3/§31.7.
 */
export async function nvWrite(tpm: TpmPort, index: number, data: Uint8Array, chunk: number): Promise<void> {
  const old = await openIndex(tpm, index);
  if (old !== undefined) await tpm.nvUndefineSpace({ authHandle: ESYS_TR.RH_OWNER, nvIndex: old });
  const { nvHandle: tr } = await tpm.nvDefineSpace({
    authHandle: ESYS_TR.RH_OWNER,
    auth: encodeTpm2b(new Uint8Array(0)),
    publicInfo: encodeNvPublic({ nvIndex: index, nameAlg: ALG.SHA256, attributes: EVE_NV_ATTRIBUTES, authPolicy: new Uint8Array(0), dataSize: data.length }),
  });
  try {
    for (let off = 0; off < data.length; off += chunk) {
      await tpm.nvWrite({ authHandle: ESYS_TR.RH_OWNER, nvIndex: tr, data: encodeTpm2b(data.subarray(off, off + chunk)), offset: off });
    }
  } finally {
    await tpm.closeTr({ object: tr });
  }
}

/** Whole content of an index, or undefined when it is not defined (TPM2_NV_Read, Part 3 §31.13). */
export async function nvRead(tpm: TpmPort, index: number, chunk: number): Promise<Uint8Array | undefined> {
  const tr = await openIndex(tpm, index);
  if (tr === undefined) return undefined;
  try {
    const pub = decodeNvPublic((await tpm.nvReadPublic({ nvIndex: tr })).nvPublic);
    const out = new Uint8Array(pub.dataSize);
    for (let off = 0; off < pub.dataSize; off += chunk) {
      const n = Math.min(chunk, pub.dataSize - off);
      const { data } = await tpm.nvRead({ authHandle: ESYS_TR.RH_OWNER, nvIndex: tr, size: n, offset: off });
      out.set(decodeTpm2b(data, "TPM2B_MAX_NV_BUFFER"), off);
    }
    return out;
  } finally {
    await tpm.closeTr({ object: tr });
  }
}

export async function nvUndefine(tpm: TpmPort, index: number): Promise<boolean> {
  const tr = await openIndex(tpm, index);
  if (tr === undefined) return false;
  await tpm.nvUndefineSpace({ authHandle: ESYS_TR.RH_OWNER, nvIndex: tr });
  return true;
}
