import { hasRc, PcrMismatchError, TpmError } from "../errors.ts";
import { ESYS_TR, type EsysTr, type TpmPort } from "../port.ts";
import { decodeTpm2b, encodeSensitiveCreate, encodeTpm2b } from "../structures/basic.ts";
import { ALG, OBJ, RC } from "../structures/constants.ts";
import { encodePcrSelection } from "../structures/pcr-selection.ts";
import { policyPcrDigest } from "../structures/policy.ts";
import { encodePublic, type KeyedHashPublic } from "../structures/public.ts";
import { withFlush } from "./objects.ts";
import { readPcrs } from "./pcr.ts";
import { encryptParameters, withSession } from "./session.ts";

/** What must be kept to unseal later; EVE stores private/public in NV 0x1800000/0x1900000. */
export interface SealedSecret {
  /** TPM2B_PRIVATE. */
  private: Uint8Array;
  /** TPM2B_PUBLIC of the sealed-data object. */
  public: Uint8Array;
  /** SHA-256 PCR indexes of the policy, ascending. */
  pcrs: number[];
  /** Seal-time PCR values, to name the PCRs that moved when unsealing fails. */
  pcrValues: Map<number, Uint8Array>;
}

export interface SealParams {
  srk: EsysTr;
  /** Salt key for an encrypted session (EK), or undefined for plain sessions. */
  saltKey?: EsysTr;
  secret: Uint8Array;
  pcrs: number[];
  /** EVE refuses to seal while PCR 0 or 4 is all-zero (nothing measured yet). */
  requireMeasuredBoot?: boolean;
}

function sealedTemplate(policy: Uint8Array): KeyedHashPublic {
  return {
    type: "keyedhash",
    nameAlg: ALG.SHA256,
    attributes: OBJ.fixedTPM | OBJ.fixedParent | OBJ.noDA,
    authPolicy: policy,
    scheme: { scheme: ALG.NULL },
    unique: new Uint8Array(0),
  };
}

const isZero = (b: Uint8Array | undefined) => b !== undefined && b.every((x) => x === 0);

/** TPM2_Create of a sealed-data object bound to TPM2_PolicyPCR (Part 3 §12.1, §23.7). */
export async function seal(tpm: TpmPort, p: SealParams): Promise<SealedSecret> {
  if (p.secret.length === 0 || p.secret.length > 128) throw new TpmError("tpm.input", `cannot seal ${p.secret.length} bytes`);
  const pcrs = [...new Set(p.pcrs)].sort((a, b) => a - b);
  const values = await readPcrs(tpm, pcrs);
  if (p.requireMeasuredBoot !== false) {
    const boot = await readPcrs(tpm, [0, 4]);
    if (isZero(boot.get(0)) || isZero(boot.get(4))) throw new TpmError("tpm.sealing-refused", "PCR 0 or PCR 4 is all-zero: boot was not measured");
  }
  const input = {
    parentHandle: p.srk,
    inSensitive: encodeSensitiveCreate(new Uint8Array(0), p.secret),
    inPublic: encodePublic(sealedTemplate(policyPcrDigest(pcrs, values))),
    outsideInfo: encodeTpm2b(new Uint8Array(0)),
    creationPCR: encodePcrSelection([{ hash: ALG.SHA256, pcrs: [] }]),
  };
  const created =
    p.saltKey === undefined
      ? await tpm.create(input)
      : await withSession(tpm, { type: "hmac", saltKey: p.saltKey }, async (s) => {
          await encryptParameters(tpm, s, { command: true, response: true });
          return tpm.create({ ...input, sessions: { s1: ESYS_TR.PASSWORD, s2: s } });
        });
  return { private: created.outPrivate, public: created.outPublic, pcrs, pcrValues: values };
}

export interface UnsealParams {
  srk: EsysTr;
  saltKey?: EsysTr;
  sealed: SealedSecret;
}

/**
 * TPM2_Load + policy session (PolicyPCR over the current PCRs) + TPM2_Unseal.
 * A policy failure becomes PcrMismatchError naming the PCRs that moved.
 */
export async function unseal(tpm: TpmPort, p: UnsealParams): Promise<Uint8Array> {
  const selection = encodePcrSelection([{ hash: ALG.SHA256, pcrs: p.sealed.pcrs }]);
  const { objectHandle: item } = await tpm.load({ parentHandle: p.srk, inPrivate: p.sealed.private, inPublic: p.sealed.public });
  try {
    return await withFlush(tpm, item, () =>
      withSession(tpm, { type: "policy", saltKey: p.saltKey }, async (s) => {
        await tpm.policyPcr({ policySession: s, pcrDigest: encodeTpm2b(new Uint8Array(0)), pcrs: selection });
        if (p.saltKey !== undefined) await encryptParameters(tpm, s, { response: true });
        const { outData } = await tpm.unseal({ itemHandle: item, sessions: { s1: s } });
        return decodeTpm2b(outData, "TPM2B_SENSITIVE_DATA");
      }),
    );
  } catch (e) {
    if (!hasRc(e, RC.POLICY_FAIL) && !hasRc(e, RC.VALUE)) throw e;
    const now = await readPcrs(tpm, p.sealed.pcrs);
    const changed = p.sealed.pcrs.filter((i) => !sameBytes(now.get(i), p.sealed.pcrValues.get(i)));
    throw new PcrMismatchError(changed, { cause: e });
  }
}

function sameBytes(a: Uint8Array | undefined, b: Uint8Array | undefined): boolean {
  return a !== undefined && b !== undefined && a.length === b.length && a.every((v, i) => v === b[i]);
}
