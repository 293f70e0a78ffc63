import { TpmError } from "../errors.ts";
import type { EsysTr, TpmPort } from "../port.ts";
import { encodeNullHashcheck, encodeSigScheme, encodeTpm2b } from "../structures/basic.ts";
import { ALG } from "../structures/constants.ts";
import { decodeSignature, ecdsaRaw } from "../structures/signature.ts";

/** TPM2_Sign with ECDSA-SHA256 (Part 3 §20.2); returns raw r||s, 32 bytes each. */
export async function signEcdsaP256(tpm: TpmPort, key: EsysTr, digest: Uint8Array): Promise<Uint8Array> {
  if (digest.length !== 32) throw new TpmError("tpm.input", `digest must be 32 bytes, got ${digest.length}`);
  const { signature } = await tpm.sign({
    keyHandle: key,
    digest: encodeTpm2b(digest),
    inScheme: encodeSigScheme({ scheme: ALG.ECDSA, hashAlg: ALG.SHA256 }),
    validation: encodeNullHashcheck(),
  });
  const sig = decodeSignature(signature);
  if (sig.sigAlg !== "ecdsa") throw new TpmError("tpm.operation", `TPM returned a ${sig.sigAlg} signature`);
  return ecdsaRaw(sig);
}
