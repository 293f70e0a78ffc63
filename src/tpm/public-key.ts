import { TpmError } from "./errors.ts";
import { ECC_NIST_P256 } from "./structures/constants.ts";
import type { TpmtPublic } from "./structures/public.ts";

/** A TPM key's public part in the form certificates and verifiers need. */
export type PublicKeyParts =
  | { kind: "ec"; curve: "P-256" /** uncompressed SEC1: 0x04 || X || Y */; point: Uint8Array }
  | { kind: "rsa"; modulus: Uint8Array; exponent: number };

function pad(b: Uint8Array, n: number): Uint8Array {
  if (b.length > n) throw new TpmError("tpm.operation", `coordinate of ${b.length} bytes`);
  const out = new Uint8Array(n);
  out.set(b, n - b.length);
  return out;
}

export function publicKeyParts(p: TpmtPublic): PublicKeyParts {
  if (p.type === "ecc") {
    if (p.curve !== ECC_NIST_P256) throw new TpmError("tpm.key-mismatch", `unsupported curve 0x${p.curve.toString(16)}`);
    const point = new Uint8Array(65);
    point[0] = 0x04;
    point.set(pad(p.x, 32), 1);
    point.set(pad(p.y, 32), 33);
    return { kind: "ec", curve: "P-256", point };
  }
  if (p.type === "rsa") return { kind: "rsa", modulus: p.modulus, exponent: p.exponent === 0 ? 65537 : p.exponent };
  throw new TpmError("tpm.key-mismatch", "keyed-hash objects have no public key");
}
