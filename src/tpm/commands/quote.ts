import type { EsysTr, TpmPort } from "../port.ts";
import { decodeTpm2b, encodeSigScheme, encodeTpm2b } from "../structures/basic.ts";
import { ALG } from "../structures/constants.ts";
import { encodePcrSelection } from "../structures/pcr-selection.ts";
import { decodeSignature, ecdsaDer, type TpmtSignature } from "../structures/signature.ts";

export interface QuoteResult {
  /** TPMS_ATTEST bytes without the TPM2B size prefix (EVE's attestData). */
  attest: Uint8Array;
  /** TPMT_SIGNATURE as the TPM returned it. */
  signatureBytes: Uint8Array;
  signature: TpmtSignature;
  /** ASN.1 DER ECDSA signature (EVE's quote signature), empty for non-ECDSA keys. */
  signatureDer: Uint8Array;
}

/** TPM2_Quote over SHA-256 `pcrs` with the key's own scheme (Part 3 §18.4). */
export async function quote(tpm: TpmPort, key: EsysTr, qualifyingData: Uint8Array, pcrs: number[]): Promise<QuoteResult> {
  const { quoted, signature } = await tpm.quote({
    signHandle: key,
    qualifyingData: encodeTpm2b(qualifyingData),
    inScheme: encodeSigScheme({ scheme: ALG.NULL }),
    PCRselect: encodePcrSelection([{ hash: ALG.SHA256, pcrs }]),
  });
  const sig = decodeSignature(signature);
  return {
    attest: decodeTpm2b(quoted, "TPM2B_ATTEST"),
    signatureBytes: signature,
    signature: sig,
    signatureDer: sig.sigAlg === "ecdsa" ? ecdsaDer(sig) : new Uint8Array(0),
  };
}
