import { AsnConvert } from "@peculiar/asn1-schema";
import { SubjectPublicKeyInfo } from "@peculiar/asn1-x509";
import { EcParameters, RsaPublicKey } from "./asn-schemas.ts";
import { PkiError } from "./errors.ts";
import { OID } from "./oids.ts";
import { bitLength, CURVES, uncompressedPoint } from "./public-key.ts";
import type { PublicKeyInfo } from "./signature.ts";

/*
 * Key readings through @peculiar/asn1-x509's schema, for the keys the plain
 * DER reader (public-key.ts) leaves to it; loaded on first use only.
 */

export function publicKeyFromSpkiAsn1(spkiDer: Uint8Array): PublicKeyInfo {
  let spki: SubjectPublicKeyInfo;
  try {
    spki = AsnConvert.parse(spkiDer, SubjectPublicKeyInfo);
  } catch (e) {
    throw new PkiError("pki.parse", "SubjectPublicKeyInfo does not parse", { cause: e });
  }
  return publicKeyFromParsedSpki(spki, spkiDer);
}

/** publicKeyFromSpki for an SPKI already parsed (a certificate's), with its DER. */
export function publicKeyFromParsedSpki(spki: SubjectPublicKeyInfo, spkiDer: Uint8Array): PublicKeyInfo {
  const alg = spki.algorithm.algorithm;
  const keyBits = new Uint8Array(spki.subjectPublicKey);
  const der = new Uint8Array(spkiDer);
  if (alg === OID.ecPublicKey) {
    let curveOid: string;
    try {
      curveOid = AsnConvert.parse(spki.algorithm.parameters ?? new ArrayBuffer(0), EcParameters).namedCurve;
    } catch (e) {
      throw new PkiError("pki.unsupported", "EC key without a named curve", { cause: e });
    }
    const c = CURVES[curveOid];
    if (!c) throw new PkiError("pki.unsupported", `EC curve ${curveOid} is not supported`);
    let point: Uint8Array;
    try {
      point = uncompressedPoint(der, c.bytes);
    } catch (e) {
      throw new PkiError("pki.parse", `${c.name} public key is not a point on the curve`, { cause: e });
    }
    return { kind: "ec", curve: c.name, point, spkiDer: der };
  }
  if (alg === OID.rsaEncryption) {
    let rsa: RsaPublicKey;
    try {
      rsa = AsnConvert.parse(keyBits, RsaPublicKey);
    } catch (e) {
      throw new PkiError("pki.parse", "RSA public key does not parse", { cause: e });
    }
    return { kind: "rsa", modulusBits: bitLength(new Uint8Array(rsa.modulus)), spkiDer: der };
  }
  throw new PkiError("pki.unsupported", `public key algorithm ${alg} is not supported`);
}
