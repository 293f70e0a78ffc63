import { ESYS_TR, type EsysTr, type TpmPort } from "../port.ts";
import { ALG, NV, RC } from "../structures/constants.ts";
import { decodeNvPublic, decodeTpm2b, encodeNvPublic, encodeTpm2b, type NvPublic } from "../structures/basic.ts";
import { hasRc } from "../errors.ts";

/** EVE's NV attributes: owner-authorised read and write, ordinary index. */
export const EVE_NV_ATTRIBUTES = NV.ownerWrite | NV.ownerRead;

async function openIndex(tpm: TpmPort, index: number): Promise<EsysTr | undefined> {
  try {
    return await tpm.fromTpmPublic(index);
  } catch (e) {
    if (hasRc(e, RC.HANDLE)) return undefined;
    throw e;
  }
}

export async function nvPublic(tpm: TpmPort, index: number): Promise<NvPublic | undefined> {
  const tr = await openIndex(tpm, index);
  if (tr === undefined) return undefined;
  try {
    return decodeNvPublic((await tpm.nvReadPublic(tr)).nvPublic);
  } finally {
    await tpm.closeTr(tr);
  }
}

/**
 * Replaces the index with one of exactly `data.length` bytes (as EVE does:
 * undefine, define, write), writing in chunks of at most `chunk` bytes
 * (TPM_PT_NV_BUFFER_MAX). TPM2_NV_DefineSpace/Write, Part 3 §31.3/§31.7.
 */
export async function nvWrite(tpm: TpmPort, index: number, data: Uint8Array, chunk: number): Promise<void> {
  const old = await openIndex(tpm, index);
  if (old !== undefined) await tpm.nvUndefineSpace(ESYS_TR.RH_OWNER, old);
  const tr = await tpm.nvDefineSpace(
    ESYS_TR.RH_OWNER,
    encodeTpm2b(new Uint8Array(0)),
    encodeNvPublic({ nvIndex: index, nameAlg: ALG.SHA256, attributes: EVE_NV_ATTRIBUTES, authPolicy: new Uint8Array(0), dataSize: data.length }),
  );
  try {
    for (let off = 0; off < data.length; off += chunk) {
      await tpm.nvWrite(ESYS_TR.RH_OWNER, tr, encodeTpm2b(data.subarray(off, off + chunk)), off);
    }
  } finally {
    await tpm.closeTr(tr);
  }
}

/** Whole content of an index, or undefined when it is not defined (TPM2_NV_Read, Part 3 §31.13). */
export async function nvRead(tpm: TpmPort, index: number, chunk: number): Promise<Uint8Array | undefined> {
  const tr = await openIndex(tpm, index);
  if (tr === undefined) return undefined;
  try {
    const pub = decodeNvPublic((await tpm.nvReadPublic(tr)).nvPublic);
    const out = new Uint8Array(pub.dataSize);
    for (let off = 0; off < pub.dataSize; off += chunk) {
      const n = Math.min(chunk, pub.dataSize - off);
      out.set(decodeTpm2b(await tpm.nvRead(ESYS_TR.RH_OWNER, tr, n, off), "TPM2B_MAX_NV_BUFFER"), off);
    }
    return out;
  } finally {
    await tpm.closeTr(tr);
  }
}

export async function nvUndefine(tpm: TpmPort, index: number): Promise<boolean> {
  const tr = await openIndex(tpm, index);
  if (tr === undefined) return false;
  await tpm.nvUndefineSpace(ESYS_TR.RH_OWNER, tr);
  return true;
}
