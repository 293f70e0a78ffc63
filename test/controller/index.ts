import { makeControllerPki, type ControllerPki as HarnessPki, type ControllerPkiOptions } from "../harness/pki.ts";
import { TestController } from "./server.ts";
import { toBase64, utf8 } from "../../src/shared/index.ts";
import { codec, type EdgeDevConfig, type MessageInit } from "../../src/protocol/index.ts";

export { TestController, type Faults, type ControllerPki } from "./server.ts";
export { ControllerState, type DeviceRecord, type GlobalOptions, type PcrTemplate, type PcrValue, type RequestRecord, type InfoRecord } from "./state.ts";
export { NONCE_CHARS, TOKEN_CHARS, type AttestFaults } from "./attest.ts";
export { parseTpmsAttest, AttestDecodeError, type ParsedAttest, type QuoteInfo } from "./tpms-attest.ts";

export interface RunningController {
  controller: TestController;
  pki: HarnessPki;
  port: number;
  /** Contents for the device's /config/server. */
  server: string;
  /** Admin API base URL (HTTPS; trust pki.trustPem). */
  url: string;
  /** Starts it again on the same port with the same state (after stop()). */
  restart(): void;
  stop(): void;
  addOnboard(certPem: string, serials: string[]): Promise<void>;
  admin(path: string, init?: RequestInit): Promise<Response>;
  /** PUT /admin/device/U/config with a binary EdgeDevConfig, as the harness does with Adam. */
  putConfig(uuid: string, config: MessageInit<EdgeDevConfig>): Promise<void>;
  /** UUIDs from GET /admin/device. */
  devices(): Promise<string[]>;
  cleanup(): Promise<void>;
}

/** Builds the controller PKI with openssl and starts the test controller on 127.0.0.1. */
export async function startTestController(opts: ControllerPkiOptions & { port?: number; start?: boolean } = {}): Promise<RunningController> {
  const pki = await makeControllerPki({ hosts: ["127.0.0.1", "localhost"], ...opts });
  const controller = new TestController({
    serverCertPem: pki.server.chainPem,
    serverKeyPem: pki.server.keyPem,
    signingCertPem: pki.signing.certPem,
    signingKeyPem: pki.signing.keyPem,
    ecdhCertPem: pki.ecdh.certPem,
    ...(pki.intermediateCa ? { intermediatePems: [pki.intermediateCa.certPem] } : {}),
  });
  let port = opts.port ?? 0;
  if (opts.start !== false) port = controller.start(port);
  const url = () => `https://127.0.0.1:${port}`;
  const admin = (path: string, init: RequestInit = {}) =>
    fetch(`${url()}/admin${path}`, { ...init, tls: { ca: pki.trustPem } } as RequestInit);
  return {
    controller,
    pki,
    get port() {
      return port;
    },
    get server() {
      return `127.0.0.1:${port}`;
    },
    get url() {
      return url();
    },
    restart() {
      port = controller.start(port);
    },
    stop() {
      controller.stop();
    },
    async addOnboard(certPem, serials) {
      const res = await admin("/onboard", {
        method: "POST",
        headers: { "Content-Type": "application/json" },
        body: JSON.stringify({ Cert: toBase64(utf8.encode(certPem)), Serial: serials.join(",") }),
      });
      if (res.status !== 201) throw new Error(`admin onboard add answered ${res.status}`);
    },
    admin,
    async putConfig(uuid, config) {
      const res = await admin(`/device/${uuid}/config`, {
        method: "PUT",
        headers: { "Content-Type": "application/x-proto-binary" },
        body: codec.EdgeDevConfig.encode(config) as Uint8Array<ArrayBuffer>,
      });
      if (res.status !== 200) throw new Error(`admin config put answered ${res.status}: ${await res.text()}`);
    },
    async devices() {
      const res = await admin("/device");
      if (!res.ok) throw new Error(`admin device list answered ${res.status}`);
      return (await res.text()).split("\n").filter(Boolean);
    },
    async cleanup() {
      controller.stop();
      await pki.cleanup();
    },
  };
}
