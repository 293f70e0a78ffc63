import { bytesEqual, type P256Signer, utf8 } from "../shared/index.ts";
import { extDer as ext, KeyUsageFlags, keyIdentifier, nameDer, randomSerial, signCertificate } from "./cert-builder.ts";
import type { ParsedCert } from "./certificate.ts";
import { PkiError } from "./errors.ts";
import { OID } from "./oids.ts";
import { encodePem } from "./pem.ts";
import { publicKeyFromSpki, spkiFromP256Point } from "./public-key.ts";

/** Subject CNs of the certs the device key issues (docs/protocol.md#device-certificates); the controller tells them apart by CN. */
export const DEVICE_CERT_CN = {
  attestation: "Device Attestation certificate",
  ecdh: "Device ECDH certificate",
  endorsement: "Device Endorsement Key certificate",
} as const;

export interface IssuedCertificate {
  readonly der: Uint8Array;
  readonly pem: Uint8Array;
}

const DAY_MS = 24 * 60 * 60 * 1000;

function wholeSeconds(ms: number): Date {
  // DER times carry no fraction; dropping it here makes the returned cert and any later parse agree.
  return new Date(Math.floor(ms / 1000) * 1000);
}

function issued(der: Uint8Array): IssuedCertificate {
  return { der, pem: utf8.encode(encodePem("CERTIFICATE", der)) };
}

/**
 * The self-signed device certificate as EVE's tpmmgr makes it: subject
 * O=The Linux Foundation, CN=EVE; backdated a day so a peer whose clock lags
 * still accepts it, then 20 years; a CA for the device's attestation, ECDH
 * and EK certs, and usable for TLS in both directions.
 */
export async function createDeviceCertificate(signer: P256Signer, now: Date): Promise<IssuedCertificate> {
  const name = nameDer([
    [OID.organizationName, "The Linux Foundation"],
    [OID.commonName, "EVE"],
  ]);
  const notAfter = new Date(now.getTime());
  notAfter.setUTCFullYear(notAfter.getUTCFullYear() + 20);
  const spkiDer = spkiFromP256Point(signer.publicKey);
  const der = await signCertificate(
    {
      serial: randomSerial(),
      issuerDer: name,
      subjectDer: name,
      notBefore: wholeSeconds(now.getTime() - DAY_MS),
      notAfter: wholeSeconds(notAfter.getTime()),
      spkiDer,
      extensions: [
        ext.keyUsage(KeyUsageFlags.digitalSignature | KeyUsageFlags.keyCertSign),
        ext.extKeyUsage([OID.clientAuth, OID.serverAuth]),
        ext.basicConstraints(true),
        ext.subjectKeyId(keyIdentifier(spkiDer)),
      ],
    },
    signer,
  );
  return issued(der);
}

export interface IssueParams {
  /** The device key and its certificate (from createDeviceCertificate). */
  readonly issuer: { readonly signer: P256Signer; readonly cert: ParsedCert };
  /** SPKI DER of the certified key: EC P-256 (attestation, ECDH) or RSA (the EK). */
  readonly subjectPublicKey: Uint8Array;
  /** One of DEVICE_CERT_CN. */
  readonly commonName: string;
  /** Only to refuse minting certs under an already expired device cert. */
  readonly now: Date;
}

/**
 * A certificate for another device key, signed by the device key, shaped as
 * EVE's tpmmgr issues it: fixed San Francisco subject with the given CN,
 * validity copied from the device cert, not a CA, serverAuth.
 */
export async function issueDeviceCertificate(params: IssueParams): Promise<IssuedCertificate> {
  const { signer, cert: issuerCert } = params.issuer;
  if (issuerCert.publicKey.kind !== "ec" || !bytesEqual(issuerCert.publicKey.point, signer.publicKey)) {
    throw new PkiError("pki.key", `issuer certificate ${issuerCert.subject} does not certify the signer's key`);
  }
  if (params.now.getTime() > issuerCert.notAfter.getTime()) {
    throw new PkiError("pki.chain.expired", `device certificate expired at ${issuerCert.notAfter.toISOString()}`);
  }
  const subjectKey = publicKeyFromSpki(params.subjectPublicKey);
  if (subjectKey.kind === "ec" && subjectKey.curve !== "P-256") {
    throw new PkiError("pki.unsupported", `device certificates carry P-256 or RSA keys, not ${subjectKey.curve}`);
  }
  const der = await signCertificate(
    {
      serial: randomSerial(),
      issuerDer: issuerCert.subjectDer,
      subjectDer: nameDer([
        [OID.countryName, "US"],
        [OID.stateOrProvinceName, "CA"],
        [OID.localityName, "San Francisco"],
        [OID.organizationName, "The Linux Foundation"],
        [OID.commonName, params.commonName],
      ]),
      notBefore: issuerCert.notBefore,
      notAfter: issuerCert.notAfter,
      spkiDer: subjectKey.spkiDer,
      extensions: [
        ext.keyUsage(KeyUsageFlags.keyEncipherment | KeyUsageFlags.digitalSignature),
        ext.extKeyUsage([OID.serverAuth]),
        ext.basicConstraints(false),
        ext.authorityKeyId(issuerCert.subjectKeyId ?? keyIdentifier(issuerCert.spkiDer)),
      ],
    },
    signer,
  );
  return issued(der);
}
