import { AsnConvert } from "@peculiar/asn1-schema";
import { EcParameters, EcPrivateKey, PrivateKeyInfo } from "./asn-schemas.ts";
import { PkiError } from "./errors.ts";
import { OID } from "./oids.ts";
import type { PemBlock } from "./pem.ts";
import { keyFromSec1, type SoftKey } from "./soft-key.ts";

/*
 * Private keys through @peculiar's schema: PKCS#8 and the SEC1 forms the
 * plain reader in soft-key.ts leaves to it. Loaded on first use only.
 */

function fromSec1(der: Uint8Array | ArrayBuffer, curveFromOuter?: string): SoftKey {
  let sec1: EcPrivateKey;
  try {
    sec1 = AsnConvert.parse(der, EcPrivateKey);
  } catch (e) {
    throw new PkiError("pki.key", "not an EC private key", { cause: e });
  }
  return keyFromSec1(
    {
      version: sec1.version,
      privateKey: new Uint8Array(sec1.privateKey),
      curve: sec1.parameters?.namedCurve,
      publicKey: sec1.publicKey ? new Uint8Array(sec1.publicKey) : undefined,
    },
    curveFromOuter,
  );
}

function fromPkcs8(info: PrivateKeyInfo): SoftKey {
  if (info.privateKeyAlgorithm.algorithm !== OID.ecPublicKey) {
    throw new PkiError("pki.unsupported", `private key algorithm ${info.privateKeyAlgorithm.algorithm} is not EC`);
  }
  let curve: string | undefined;
  try {
    curve = info.privateKeyAlgorithm.parameters ? AsnConvert.parse(info.privateKeyAlgorithm.parameters, EcParameters).namedCurve : undefined;
  } catch (e) {
    throw new PkiError("pki.unsupported", "EC private key without a named curve", { cause: e });
  }
  return fromSec1(info.privateKey, curve);
}

/** softKeyFromPem's reading of one PRIVATE KEY or EC PRIVATE KEY block. */
export function softKeyFromBlockAsn1(block: PemBlock): SoftKey {
  if (block.label === "EC PRIVATE KEY") return fromSec1(block.der);
  let info: PrivateKeyInfo | undefined;
  try {
    info = AsnConvert.parse(block.der, PrivateKeyInfo);
  } catch {
    info = undefined;
  }
  return info ? fromPkcs8(info) : fromSec1(block.der);
}
