import { bareId } from "../../config/index.ts";
import { ApiError, route, type ServiceApi } from "../http/routes.ts";
import * as s from "../http/schema.ts";
import type { KeyService } from "./store.ts";
import { KEY_USAGES, type KeyUsage } from "./symmetric.ts";

export const KEYS_API_VERSIONS = ["2020-09-01", "2021-05-01"] as const;

const keyHandle = s.string({ description: "opaque key handle from this service", maxLength: 4096 });
const handleResponse = s.object({ keyHandle });
const handleBody = s.object({ keyHandle });
const b64 = (d: string) => s.bytes({ description: d, maxBytes: 1 << 20 });

const ISSUED = "a principal granted the key id (uid 0 always)";
const BY_HANDLE = "none beyond the handle, which only a granted caller could obtain";

function usages(text: string): KeyUsage[] {
  const out = text.split(",").map((u) => u.trim());
  for (const u of out)
    if (!KEY_USAGES.includes(u as KeyUsage)) throw new ApiError(422, `body.usage: unknown usage ${JSON.stringify(u)} (derive, encrypt, sign)`);
  return out as KeyUsage[];
}

/** aziot-keyd's HTTP API (2020-09-01, 2021-05-01) over the agent's key service; ids may carry `key://`. */
export function keysApi(keys: KeyService): ServiceApi {
  return {
    name: "keys",
    title: "edge-agent keys service (aziot-keyd compatible)",
    description:
      "Key pairs and symmetric keys that local processes use without seeing them. Create or load by id (authorised by the principals table) to get a handle; sign, encrypt, decrypt and read public parameters with the handle.",
    versions: KEYS_API_VERSIONS,
    routes: [
      route({
        method: "POST",
        path: "/keypair",
        operationId: "createKeyPairIfNotExists",
        summary: "Creates an asymmetric key pair unless one with this id exists; returns its handle.",
        auth: ISSUED,
        body: s.object({
          keyId: s.string({ maxLength: 80 }),
          preferredAlgorithms: s.optional(s.string({ description: "colon-separated preference: ec-p256, rsa-2048, rsa-4096, *", maxLength: 200 })),
        }),
        response: { status: 200, description: "the key pair's handle", schema: handleResponse },
        errors: [501],
        handle: async ({ caller, body }) => ({ keyHandle: await keys.createKeyPair(caller, bareId(body.keyId, "key"), body.preferredAlgorithms) }),
      }),
      route({
        method: "GET",
        path: "/keypair/{keyId}",
        operationId: "loadKeyPair",
        summary: "Gets a handle to the key pair with this id.",
        auth: ISSUED,
        response: { status: 200, description: "the key pair's handle", schema: handleResponse },
        errors: [404],
        handle: async ({ caller, params }) => ({ keyHandle: await keys.loadKeyPair(caller, bareId(params.keyId!, "key")) }),
      }),
      route({
        method: "POST",
        path: "/keypair/{keyId}",
        operationId: "moveKeyPair",
        summary: "Moves a key pair from another id to this one, replacing what this id held.",
        auth: "a principal granted both ids",
        body: s.object({ from: s.string({ maxLength: 80 }) }),
        response: { status: 204, description: "moved" },
        errors: [404, 409],
        handle: async ({ caller, params, body }) => {
          await keys.moveKeyPair(caller, bareId(body.from, "key"), bareId(params.keyId!, "key"));
          return undefined;
        },
      }),
      route({
        method: "DELETE",
        path: "/keypair",
        operationId: "deleteKeyPair",
        summary: "Deletes the key pair of the handle (not the device key or a preloaded one).",
        auth: BY_HANDLE,
        body: handleBody,
        response: { status: 204, description: "deleted" },
        errors: [404, 409],
        handle: async ({ body }) => {
          await keys.deleteKeyPair(body.keyHandle);
          return undefined;
        },
      }),
      route({
        method: "POST",
        path: "/parameters/{parameterName}",
        operationId: "getKeyPairPublicParameter",
        summary: "A public parameter of the key pair: algorithm, ec-curve-oid, ec-point, rsa-modulus, rsa-exponent (base64).",
        auth: BY_HANDLE,
        body: handleBody,
        response: { status: 200, description: "the value", schema: s.object({ value: s.string() }) },
        handle: async ({ params, body }) => ({ value: await keys.parameter(body.keyHandle, params.parameterName!) }),
      }),
      route({
        method: "POST",
        path: "/sign",
        operationId: "sign",
        summary: "ECDSA over a caller-computed SHA-256 digest (DER signature) with a key pair, or HMAC-SHA256 over a message with a symmetric key.",
        auth: BY_HANDLE,
        body: s.tagged("algorithm", {
          ECDSA: s.object({ keyHandle, parameters: s.object({ digest: b64("the digest to sign") }) }),
          "HMAC-SHA256": s.object({ keyHandle, parameters: s.object({ message: b64("the message to MAC") }) }),
        }),
        response: { status: 200, description: "the signature", schema: s.object({ signature: s.byteString() }) },
        errors: [404, 503],
        handle: async ({ body }) => ({ signature: Buffer.from(await keys.sign(body.keyHandle, body)).toString("base64") }),
      }),
      route({
        method: "POST",
        path: "/encrypt",
        operationId: "encrypt",
        summary: "AEAD (AES-256-GCM, versioned ciphertext) with a symmetric key, or the RSA PKCS#1 private-key operation with an RSA key pair.",
        auth: BY_HANDLE,
        body: s.tagged("algorithm", {
          AEAD: s.object({ keyHandle, plaintext: b64("plaintext"), parameters: s.object({ iv: b64("12 to 128 bytes"), aad: b64("additional data") }) }),
          "RSA-PKCS1": s.object({ keyHandle, plaintext: b64("data, e.g. a DigestInfo") }),
          "RSA-NO-PADDING": s.object({ keyHandle, plaintext: b64("data") }),
        }),
        response: { status: 200, description: "the ciphertext", schema: s.object({ ciphertext: s.byteString() }) },
        errors: [404, 501, 503],
        handle: async ({ body }) => ({ ciphertext: Buffer.from(await keys.encrypt(body.keyHandle, body as never, body.plaintext)).toString("base64") }),
      }),
      route({
        method: "POST",
        path: "/decrypt",
        operationId: "decrypt",
        summary: "Decrypts an AEAD ciphertext from /encrypt.",
        auth: BY_HANDLE,
        body: s.tagged("algorithm", {
          AEAD: s.object({
            keyHandle,
            ciphertext: b64("ciphertext from /encrypt"),
            parameters: s.object({ iv: b64("the iv used"), aad: b64("the aad used") }),
          }),
        }),
        response: { status: 200, description: "the plaintext", schema: s.object({ plaintext: s.byteString() }) },
        errors: [404, 503],
        handle: async ({ body }) => ({ plaintext: Buffer.from(await keys.decrypt(body.keyHandle, body, body.ciphertext)).toString("base64") }),
      }),
      route({
        method: "POST",
        path: "/key",
        operationId: "createKeyIfNotExists",
        summary: "Creates (or imports keyBytes as) a symmetric key unless one with this id exists; kept in the vault.",
        auth: ISSUED,
        body: s.object({
          keyId: s.string({ maxLength: 80 }),
          usage: s.string({ description: "comma-separated: derive, encrypt, sign" }),
          keyBytes: s.optional(s.bytes({ description: "key to import", maxBytes: 64 })),
        }),
        response: { status: 200, description: "the key's handle", schema: handleResponse },
        errors: [503],
        handle: async ({ caller, body }) => ({ keyHandle: await keys.createKey(caller, bareId(body.keyId, "key"), usages(body.usage), body.keyBytes) }),
      }),
      route({
        method: "GET",
        path: "/key/{keyId}",
        operationId: "loadKey",
        summary: "Gets a handle to the symmetric key with this id.",
        auth: ISSUED,
        response: { status: 200, description: "the key's handle", schema: handleResponse },
        errors: [404, 503],
        handle: async ({ caller, params }) => ({ keyHandle: await keys.loadKey(caller, bareId(params.keyId!, "key")) }),
      }),
      route({
        method: "DELETE",
        path: "/key",
        operationId: "deleteKey",
        summary: "Deletes the symmetric key of the handle.",
        auth: BY_HANDLE,
        body: handleBody,
        response: { status: 204, description: "deleted" },
        errors: [404, 503],
        handle: async ({ body }) => {
          await keys.deleteKey(body.keyHandle);
          return undefined;
        },
      }),
    ],
  };
}
