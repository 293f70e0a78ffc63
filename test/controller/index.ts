import { codec, type EdgeDevConfig, type MessageInit } from "../../src/protocol/index.ts";
import { AdminClient, type ControllerFetch } from "../harness/admin/index.ts";
import { type ControllerPkiOptions, type ControllerPki as HarnessPki, makeControllerPki } from "../harness/pki.ts";
import { TestController } from "./server.ts";

export { type AttestFaults, NONCE_CHARS, TOKEN_CHARS } from "./attest.ts";
export { type ControllerPki, type Faults, TestController } from "./server.ts";
export { ControllerState, type DeviceRecord, type GlobalOptions, type InfoRecord, type PcrTemplate, type PcrValue, type RequestRecord } from "./state.ts";
export { AttestDecodeError, type ParsedAttest, parseTpmsAttest, type QuoteInfo } from "./tpms-attest.ts";

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
  /** The admin API client, the same one Adam is driven with. */
  client: AdminClient;
  /** fetch against the controller's root (trusting pki.trustPem); `path` starts with "/". */
  fetch: ControllerFetch;
  /** A raw admin API request, for tests of the HTTP level (status codes, bad bodies); `path` is below /admin. */
  admin(path: string, init?: RequestInit): Promise<Response>;
  /** client.onboardAdd. */
  addOnboard(certPem: string, serials: string[]): Promise<void>;
  /** client.deviceConfigPut with the config encoded. */
  putConfig(uuid: string, config: MessageInit<EdgeDevConfig>): Promise<void>;
  /** client.deviceList. */
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
  const rootFetch: ControllerFetch = (path, init = {}) => fetch(`${url()}${path}`, { ...init, tls: { ca: pki.trustPem } } as RequestInit);
  const admin = (path: string, init: RequestInit = {}) => rootFetch(`/admin${path}`, init);
  const client = new AdminClient(rootFetch);
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
    client,
    fetch: rootFetch,
    admin,
    addOnboard: (certPem, serials) => client.onboardAdd(certPem, serials),
    putConfig: (uuid, config) => client.deviceConfigPut(uuid, codec.EdgeDevConfig.encode(config)),
    devices: () => client.deviceList(),
    async cleanup() {
      controller.stop();
      await pki.cleanup();
    },
  };
}
