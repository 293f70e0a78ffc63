import { concatBytes, sha256 } from "../../shared/index.ts";
import { ALG, CC } from "./constants.ts";
import { encodePcrSelection } from "./pcr-selection.ts";
import { encode } from "./wire.ts";

/**
 * The authPolicy a fresh policy session reaches after one TPM2_PolicyPCR over
 * SHA-256 `pcrs` holding `values` (Part 3 §23.7): computed here so sealing
 * needs no trial session.
 */
export function policyPcrDigest(pcrs: number[], values: Map<number, Uint8Array>): Uint8Array {
  const sorted = [...pcrs].sort((a, b) => a - b);
  const pcrDigest = sha256(concatBytes(...sorted.map((p) => values.get(p) ?? missing(p))));
  const selection = encodePcrSelection([{ hash: ALG.SHA256, pcrs: sorted }]);
  return sha256(
    concatBytes(
      new Uint8Array(32),
      encode((w) => w.u32(CC.PolicyPCR)),
      selection,
      pcrDigest,
    ),
  );
}

function missing(p: number): never {
  throw new RangeError(`no value for PCR ${p}`);
}
