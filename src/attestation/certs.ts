import { existsSync, readFileSync } from "node:fs";
import { codec, controllerCertHash, HashAlgorithm, type MessageInit, ZAttestReqType, type ZCert, ZCertMetaDataType, ZCertType } from "../protocol/index.ts";
import type { DeviceLayout } from "../state/index.ts";

/**
 * The ATTEST_REQ_CERT body EVE uploads (docs/protocol.md#certificate-upload): ECDH,
 * attestation and (TPM only) EK certs, each hashed over its PEM file bytes,
 * the EK with its TPM2B_PUBLIC as meta data. `attributes` is never set.
 */
export function edgeNodeCertsRequest(layout: DeviceLayout, ekPublic?: Uint8Array): Uint8Array {
  const certs: MessageInit<ZCert>[] = [];
  const add = (path: string, type: number, meta?: Uint8Array) => {
    if (!existsSync(path)) return;
    const pem = new Uint8Array(readFileSync(path));
    certs.push({
      hashAlgo: HashAlgorithm.HASH_ALGORITHM_SHA256_16BYTES,
      certHash: controllerCertHash(pem, HashAlgorithm.HASH_ALGORITHM_SHA256_16BYTES),
      type,
      cert: pem,
      meta_data_items: meta ? [{ type: ZCertMetaDataType.Z_CERT_META_DATA_TYPE_TPM2_PUBLIC, meta_data: meta }] : [],
    });
  };
  add(layout.persist.ecdhCert, ZCertType.CERT_TYPE_DEVICE_ECDH_EXCHANGE);
  add(layout.persist.attestCert, ZCertType.CERT_TYPE_DEVICE_RESTRICTED_SIGNING);
  if (ekPublic) add(layout.persist.ekCert, ZCertType.CERT_TYPE_DEVICE_ENDORSEMENT_RSA, ekPublic);
  return codec.ZAttestReq.encode({ reqType: ZAttestReqType.ATTEST_REQ_CERT, certs });
}
