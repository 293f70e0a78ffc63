import { bareId } from "../../config/index.ts";
import { route, type ServiceApi } from "../http/routes.ts";
import * as s from "../http/schema.ts";
import type { CertService } from "./service.ts";

export const CERTS_API_VERSIONS = ["2020-09-01"] as const;

const pemResponse = s.object({ pem: s.string({ description: "PEM certificates, leaf first" }) });
const GRANTED = "a principal granted the certificate id (uid 0 always)";

/** aziot-certd's HTTP API (2020-09-01) over the agent's certificate service; ids may carry `cert://`. */
export function certsApi(certs: CertService): ServiceApi {
  return {
    name: "certs",
    title: "edge-agent certificates service (aziot-certd compatible)",
    description:
      "Certificates by id: issued from a CSR by an issuer whose key the keys service holds, imported, read and deleted. Chains are PEM, leaf first. Reading is open to every caller; changing needs a grant.",
    versions: CERTS_API_VERSIONS,
    routes: [
      route({
        method: "POST",
        path: "/certificates",
        operationId: "createCertificate",
        summary: "Issues a certificate from a CSR, signed with the issuer's key (a key handle) under the issuer's certificate, and stores it.",
        auth: GRANTED,
        body: s.object({
          certId: s.string({ maxLength: 80 }),
          csr: s.string({ description: "PKCS#10 request: PEM, or base64 DER", maxLength: 32768 }),
          issuer: s.optional(
            s.object({
              certId: s.string({ description: "the issuer's certificate id", maxLength: 80 }),
              privateKeyHandle: s.string({ description: "a keys-service handle to the issuer's key", maxLength: 4096 }),
            }),
          ),
        }),
        response: { status: 201, description: "the issued certificate, followed by the issuer's chain", schema: pemResponse },
        errors: [409],
        handle: async ({ caller, body }) => ({
          pem: await certs.create(
            caller,
            bareId(body.certId, "cert"),
            body.csr,
            body.issuer ? { certId: bareId(body.issuer.certId, "cert"), privateKeyHandle: body.issuer.privateKeyHandle } : undefined,
          ),
        }),
      }),
      route({
        method: "GET",
        path: "/certificates/{certId}",
        operationId: "getCertificate",
        summary: "Reads a certificate (chain, leaf first).",
        auth: "none: certificates are public",
        response: { status: 200, description: "the certificate", schema: pemResponse },
        errors: [404],
        handle: async ({ params }) => ({ pem: certs.get(bareId(params.certId!, "cert")) }),
      }),
      route({
        method: "PUT",
        path: "/certificates/{certId}",
        operationId: "importCertificate",
        summary: "Imports a PEM certificate (chain, leaf first) under this id.",
        auth: GRANTED,
        body: s.object({ pem: s.string({ maxLength: 60000 }) }),
        response: { status: 201, description: "the stored certificate", schema: pemResponse },
        errors: [409],
        handle: async ({ caller, params, body }) => ({ pem: await certs.import(caller, bareId(params.certId!, "cert"), body.pem) }),
      }),
      route({
        method: "DELETE",
        path: "/certificates/{certId}",
        operationId: "deleteCertificate",
        summary: "Deletes a certificate (not the device certificate or a preloaded one).",
        auth: GRANTED,
        response: { status: 204, description: "deleted" },
        errors: [404, 409],
        handle: async ({ caller, params }) => {
          certs.delete(caller, bareId(params.certId!, "cert"));
          return undefined;
        },
      }),
    ],
  };
}
