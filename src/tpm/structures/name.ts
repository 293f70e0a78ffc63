import { sha1, sha256, sha384, sha512 } from "../../shared/index.ts";
import { decodeTpm2b } from "./basic.ts";
import { ALG, RH } from "./constants.ts";
import { encode } from "./wire.ts";

const HASH: Record<number, (b: Uint8Array) => Uint8Array> = {
  [ALG.SHA1]: sha1,
  [ALG.SHA256]: sha256,
  12: sha384,
  13: sha512,
};

/** Hierarchies a primary object can belong to (Part 1 §14.4, §16). */
const HIERARCHIES = [RH.OWNER, RH.ENDORSEMENT, RH.PLATFORM, RH.NULL];

/**
 * Whether an object is a primary key, from the Name and Qualified Name
 * TPM2_ReadPublic returns (both TPM2B_NAME wire bytes). The TPM computes
 * QN = H(parent QN || Name), and for a primary the parent QN is the
 * hierarchy handle itself (Part 1 §16), so a primary is recognised without
 * knowing its template and without a CreatePrimary. A primary is fixed by the
 * hierarchy seed and its template, so any process that can run
 * TPM2_CreatePrimary in that hierarchy can re-create its private key; an
 * ordinary (TPM2_Create) object's private part came from the TPM's RNG.
 *
 * A name algorithm we cannot hash is answered `true`: claiming "not
 * derivable" without proof would be the unsafe mistake.
 */
export function isPrimaryObject(nameWire: Uint8Array, qualifiedNameWire: Uint8Array): boolean {
  const name = decodeTpm2b(nameWire, "TPM2B_NAME");
  const qualified = decodeTpm2b(qualifiedNameWire, "TPM2B_NAME");
  if (name.length < 2 || qualified.length < 2) return true;
  const alg = (qualified[0]! << 8) | qualified[1]!;
  const hash = HASH[alg];
  if (!hash) return true;
  return HIERARCHIES.some((h) => {
    const digest = hash(new Uint8Array([...encode((w) => w.u32(h)), ...name]));
    return sameBytes(qualified.subarray(2), digest);
  });
}

function sameBytes(a: Uint8Array, b: Uint8Array): boolean {
  return a.length === b.length && a.every((v, i) => v === b[i]);
}
