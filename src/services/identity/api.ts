import { readFileSync } from "node:fs";
import type { PeerCred } from "../http/peercred.ts";
import { ApiError, route, type ServiceApi } from "../http/routes.ts";
import * as s from "../http/schema.ts";
import type { KeyService } from "../keys/store.ts";
import type { Principals } from "../principals.ts";

export const IDENTITY_API_VERSIONS = ["2020-09-01", "2021-12-01", "2022-08-01"] as const;

export interface IdentitySource {
  keys: KeyService;
  principals: Principals;
  /** The device's UUID from the controller, once onboarded. */
  deviceId(): string | undefined;
  /** The controller (`/config/server`): aziot's hubName. */
  controller(): string;
  /** The device certificate's id in the certificates service. */
  deviceCertId: string;
  /** Trust anchors of the controller (`/config/root-certificate.pem`). */
  trustBundlePath: string;
}

const identitySchema = s.object({
  type: s.literal("aziot"),
  spec: s.object({
    hubName: s.string({ description: "the EVE controller (host[:port])" }),
    gatewayHost: s.string(),
    deviceId: s.string({ description: "the device UUID the controller assigned" }),
    auth: s.object({
      type: s.literal("x509"),
      keyHandle: s.string({ description: "keys-service handle to the device key" }),
      certId: s.string({ description: "certificates-service id of the device certificate" }),
    }),
  }),
});

function deviceIdentity(src: IdentitySource, caller: PeerCred, operation: string) {
  if (!src.principals.mayReadIdentity(caller.uid, "device")) src.principals.refuse(caller, "identity", operation, "the device identity");
  const deviceId = src.deviceId();
  if (!deviceId) throw new ApiError(503, "the device is not onboarded yet");
  const controller = src.controller();
  return {
    type: "aziot" as const,
    spec: {
      hubName: controller,
      gatewayHost: controller,
      deviceId,
      auth: { type: "x509" as const, keyHandle: src.keys.handleFor({ kind: "keypair", id: src.keys.deviceKeyId }), certId: src.deviceCertId },
    },
  };
}

/**
 * The part of aziot-identityd's API a device agent has: the caller's
 * identity and the device identity (the EVE device: its UUID, the
 * controller, a handle to the device key and the device certificate's id),
 * and the trust bundle. A uid reads the device identity when its principal
 * lists idtype "device"; the trust bundle is open to every caller.
 */
export function identityApi(src: IdentitySource): ServiceApi {
  return {
    name: "identity",
    title: "edge-agent identity service (aziot-identityd subset)",
    description: "The device identity for local processes, by reference: a key handle and a certificate id, never key material.",
    versions: IDENTITY_API_VERSIONS,
    routes: [
      route({
        method: "GET",
        path: "/identities/identity",
        operationId: "getCallerIdentity",
        summary: "The caller's identity: the device identity for a principal with idtype device.",
        auth: 'a principal with idtype ["device"] (uid 0 always)',
        response: { status: 200, description: "the identity", schema: identitySchema },
        errors: [503],
        handle: async ({ caller }) => deviceIdentity(src, caller, "getCallerIdentity"),
      }),
      route({
        method: "POST",
        path: "/identities/device",
        operationId: "getDeviceIdentity",
        summary: "The device identity.",
        auth: 'a principal with idtype ["device"] (uid 0 always)',
        body: s.object({ type: s.literal("aziot") }),
        response: { status: 200, description: "the identity", schema: identitySchema },
        errors: [503],
        handle: async ({ caller }) => deviceIdentity(src, caller, "getDeviceIdentity"),
      }),
      route({
        method: "GET",
        path: "/trust-bundle",
        operationId: "getTrustBundle",
        summary: "The trust anchors of the device's controller, PEM.",
        auth: "none",
        response: { status: 200, description: "the trust bundle", schema: s.object({ certificate: s.string({ description: "PEM certificates" }) }) },
        handle: async () => ({ certificate: readFileSync(src.trustBundlePath, "utf8") }),
      }),
    ],
  };
}
