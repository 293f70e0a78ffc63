import { sha256 } from "../../shared/index.ts";
import { TpmError } from "../errors.ts";
import { ESYS_TR, type EsysTr, type TpmPort } from "../port.ts";
import { decodeQuoteAttest } from "../structures/attest.ts";
import { decodeTpm2b, encodeSigScheme, encodeTpm2b } from "../structures/basic.ts";
import { ALG, ECC_NIST_P256 } from "../structures/constants.ts";
import type { EccPublic, RsaPublic, TpmtPublic } from "../structures/public.ts";
import { EK_TEMPLATE, matchesTemplate } from "../structures/templates.ts";
import { createPrimary, openPersistent } from "./objects.ts";
import { readPcrs } from "./pcr.ts";
import { type QuoteResult, quote } from "./quote.ts";
import { withSession } from "./session.ts";

/**
 * The TCG endorsement key Keylime's registrar and tenant check against the
 * EK certificate in NV. EVE's "EK" at 0x81000001 has the TCG template but is
 * created under the owner hierarchy, so it is another key than the one the
 * manufacturer certified: the TCG EK is the endorsement-hierarchy primary of
 * the same template (TCG EK Credential Profile 2.0, templates L-1 and L-2).
 */
export type EkAlg = "rsa" | "ecc";

/** TCG EK Credential Profile §2.2.1.4: certificate NV indexes of the low-range EKs. */
export const EK_CERT_NV: Record<EkAlg, number> = { rsa: 0x01c00002, ecc: 0x01c0000a };
/** TCG Provisioning Guidance: where a provisioned EK is kept persistent. */
export const TCG_EK_HANDLE: Record<EkAlg, number> = { rsa: 0x81010001, ecc: 0x81010002 };

/** Template L-1 (RSA-2048) is the one EVE uses, only under the other hierarchy. */
const EK_RSA_TEMPLATE: RsaPublic = EK_TEMPLATE;
/** Template L-2: NIST P-256, unique x and y of 32 zero bytes. */
const EK_ECC_TEMPLATE: EccPublic = {
  type: "ecc",
  nameAlg: EK_TEMPLATE.nameAlg,
  attributes: EK_TEMPLATE.attributes,
  authPolicy: EK_TEMPLATE.authPolicy,
  symmetric: EK_TEMPLATE.symmetric,
  scheme: { scheme: ALG.NULL },
  curve: ECC_NIST_P256,
  kdf: { scheme: ALG.NULL },
  x: new Uint8Array(32),
  y: new Uint8Array(32),
};
export const TCG_EK_TEMPLATES: Record<EkAlg, TpmtPublic> = { rsa: EK_RSA_TEMPLATE, ecc: EK_ECC_TEMPLATE };

export interface TcgEk {
  tr: EsysTr;
  public: TpmtPublic;
  /** TPM2B_PUBLIC, as Keylime's ek_tpm wants it. */
  publicBytes: Uint8Array;
  /** The persistent handle it was found at, or undefined when created for this use. */
  handle?: number;
}

/**
 * Runs `f` with the TCG EK: the persistent one at the TCG handle when it has
 * the TCG template, else a CreatePrimary under the endorsement hierarchy
 * (same key: the template and the endorsement seed fix it), flushed
 * afterwards. We never persist it ourselves: provisioning the endorsement
 * hierarchy's handles is the platform's business, not an agent's.
 */
export async function withTcgEk<T>(tpm: TpmPort, alg: EkAlg, f: (ek: TcgEk) => Promise<T>): Promise<T> {
  const template = TCG_EK_TEMPLATES[alg];
  const handle = TCG_EK_HANDLE[alg];
  const found = await openPersistent(tpm, handle);
  if (found && matchesTemplate(found.public, template)) {
    try {
      return await f({ tr: found.tr, public: found.public, publicBytes: found.publicBytes, handle });
    } finally {
      await tpm.closeTr({ object: found.tr });
    }
  }
  if (found) await tpm.closeTr({ object: found.tr });
  const made = await createPrimary(tpm, ESYS_TR.RH_ENDORSEMENT, template);
  try {
    return await f({ tr: made.tr, public: made.public, publicBytes: made.publicBytes });
  } finally {
    await tpm.flushContext({ flushHandle: made.tr });
  }
}

/**
 * TPM2_ActivateCredential (Part 3 §12.5) of a credential made for `ak`'s
 * name with the EK: the EK is used under its TCG policy, PolicySecret of the
 * endorsement hierarchy, in a policy session flushed on every path. Returns
 * the credential (Keylime's secret).
 */
export async function activateCredential(tpm: TpmPort, ek: EsysTr, ak: EsysTr, credentialBlob: Uint8Array, encSecret: Uint8Array): Promise<Uint8Array> {
  return withSession(tpm, { type: "policy" }, async (session) => {
    await tpm.policySecret({ authHandle: ESYS_TR.RH_ENDORSEMENT, policySession: session, expiration: 0 });
    const { certInfo } = await tpm.activateCredential({
      activateHandle: ak,
      keyHandle: ek,
      credentialBlob,
      secret: encSecret,
      sessions: { s1: ESYS_TR.PASSWORD, s2: session },
    });
    return decodeTpm2b(certInfo, "TPM2B_DIGEST");
  });
}

export interface Attestation {
  /** TPMS_ATTEST, no size prefix. */
  attest: Uint8Array;
  /** TPMT_SIGNATURE as the TPM returned it. */
  signature: Uint8Array;
}

/** TPM2_Certify (Part 3 §18.2) of `key` by itself, with its own scheme: Keylime's push-mode proof of possession. */
export async function certifySelf(tpm: TpmPort, key: EsysTr, qualifyingData: Uint8Array): Promise<Attestation> {
  const { certifyInfo, signature } = await tpm.certify({
    objectHandle: key,
    signHandle: key,
    qualifyingData: encodeTpm2b(qualifyingData),
    inScheme: encodeSigScheme({ scheme: ALG.NULL }),
  });
  return { attest: decodeTpm2b(certifyInfo, "TPM2B_ATTEST"), signature };
}

export interface PcrQuote extends Attestation {
  /** SHA-256 values of the quoted PCRs, read in the same queue job as the quote. */
  pcrValues: Map<number, Uint8Array>;
  quote: QuoteResult;
}

/** Attempts before giving up on PCRs that keep moving between read and quote (IMA extends PCR 10 all the time). */
export const QUOTE_ATTEMPTS = 5;

/**
 * PCR_Read then Quote, retried while the values read do not hash to the
 * quote's pcrDigest: something extended a PCR in between, and a verifier
 * would reject the pair.
 */
export async function quoteWithValues(tpm: TpmPort, key: EsysTr, qualifyingData: Uint8Array, pcrs: number[]): Promise<PcrQuote> {
  const sorted = [...new Set(pcrs)].sort((a, b) => a - b);
  for (let attempt = 1; ; attempt++) {
    const values = await readPcrs(tpm, sorted);
    const q = await quote(tpm, key, qualifyingData, sorted);
    const digest = sha256(Buffer.concat(sorted.map((p) => values.get(p)!)));
    if (Buffer.from(digest).equals(Buffer.from(decodeQuoteAttest(q.attest).pcrDigest))) {
      return { attest: q.attest, signature: q.signatureBytes, pcrValues: values, quote: q };
    }
    if (attempt >= QUOTE_ATTEMPTS)
      throw new TpmError("tpm.operation", `PCRs ${sorted.join(",")} kept changing between PCR_Read and Quote (${attempt} attempts)`);
  }
}
