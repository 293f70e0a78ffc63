/**
 * A scripted device for tests that drive the test controller directly:
 * soft P-256 device key, registration with an onboarding cert, and signed
 * v2 requests whose answers are checked against the controller signing cert.
 */
import { sha256 } from "@noble/hashes/sha2.js";
import type { P256Signer } from "../../src/identity/index.ts";
import { createDeviceCertificate, generateSoftKey, type ParsedCert, parseCertificatesPem, softKeyFromPem, softSigner } from "../../src/pki/index.ts";
import {
  type ConfigRequest,
  codec,
  deviceCertHash,
  type MessageInit,
  registerSenderCert,
  sealEnvelope,
  verifyEnvelope,
  type ZAttestReq,
  type ZAttestResponse,
  type ZInfoMsg,
} from "../../src/protocol/index.ts";
import { utf8 } from "../../src/shared/index.ts";
import type { OnboardingCert } from "../harness/pki.ts";
import type { RunningController } from "./index.ts";

export interface Reply {
  status: number;
  body: Uint8Array;
  contentType: string | null;
  /** envelope payload, verified against the controller signing cert; only for bodies that are envelopes */
  payload?: Uint8Array;
}

export interface SimDevice {
  uuid: string;
  signer: P256Signer;
  cert: ParsedCert;
  certPem: string;
  /** POSTs `payload` in a device-signed envelope to /api/v2/edgedevice/<path>. */
  post(path: string, payload: Uint8Array, opts?: { signer?: P256Signer; method?: string }): Promise<Reply>;
  attest(req: MessageInit<ZAttestReq>): Promise<{ status: number; resp?: ZAttestResponse }>;
  config(req: MessageInit<ConfigRequest>): Promise<Reply>;
  info(msg: MessageInit<ZInfoMsg>): Promise<Reply>;
}

async function send(c: RunningController, path: string, body: Uint8Array, method = "POST"): Promise<Reply> {
  const res = await fetch(`${c.url}/api/v2/edgedevice/${path}`, {
    method,
    body: method === "GET" ? undefined : (body as Uint8Array<ArrayBuffer>),
    headers: { "Content-Type": "application/x-proto-binary" },
    tls: { ca: c.pki.trustPem },
  } as RequestInit);
  const out: Reply = { status: res.status, body: new Uint8Array(await res.arrayBuffer()), contentType: res.headers.get("content-type") };
  if (out.body.length && out.contentType === "application/x-proto-binary") {
    // Checked against the cert the controller signs with now, so a rotation test still gets payloads.
    const pem = c.controller.signingCertPem;
    out.payload = await verifyEnvelope(out.body, { pem: utf8.encode(pem.trim()), publicKey: parseCertificatesPem(pem)[0]!.publicKey });
  }
  return out;
}

/** Registers a fresh soft-key device through /register and learns its UUID through /uuid. */
export async function registerSimDevice(c: RunningController, onboard: OnboardingCert, serial: string): Promise<SimDevice> {
  const signer = softSigner(generateSoftKey());
  const issued = await createDeviceCertificate(signer, new Date());
  const certPem = utf8.decode(issued.pem);
  const cert = parseCertificatesPem(certPem)[0]!;
  const onboardSigner = softSigner(softKeyFromPem(onboard.keyPem));
  const reg = codec.ZRegisterMsg.encode({ pemCert: registerSenderCert(issued.pem), serial });
  const regEnv = await sealEnvelope(reg, onboardSigner, {
    senderCertHash: sha256(utf8.encode(onboard.certPem)),
    senderCert: registerSenderCert(utf8.encode(onboard.certPem)),
  });
  const r = await send(c, "register", regEnv);
  if (r.status !== 201) throw new Error(`/register answered ${r.status}`);

  const post = async (path: string, payload: Uint8Array, opts: { signer?: P256Signer; method?: string } = {}) =>
    send(c, path, await sealEnvelope(payload, opts.signer ?? signer, { senderCertHash: deviceCertHash(issued.der) }), opts.method);
  const u = await post("uuid", codec.UuidRequest.encode({}));
  if (u.status !== 200 || !u.payload) throw new Error(`/uuid answered ${u.status}`);
  const uuid = codec.UuidResponse.decode(u.payload).uuid;

  return {
    uuid,
    signer,
    cert,
    certPem,
    post,
    async attest(req) {
      const r = await post(`id/${uuid}/attest`, codec.ZAttestReq.encode(req));
      return { status: r.status, ...(r.payload ? { resp: codec.ZAttestResponse.decode(r.payload) } : {}) };
    },
    config: (req) => post(`id/${uuid}/config`, codec.ConfigRequest.encode(req)),
    info: (msg) => post(`id/${uuid}/info`, codec.ZInfoMsg.encode(msg)),
  };
}
