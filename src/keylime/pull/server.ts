import { readFileSync } from "node:fs";
import type { Server } from "bun";
import type { WireDump } from "../../controller/index.ts";
import type { Logger } from "../../shared/index.ts";
import { createPullApp, MAX_UKEY_BODY } from "./app.ts";
import { PullError } from "./errors.ts";
import type { PullService } from "./service.ts";

export interface PullListenOptions {
  hostname: string;
  port: number;
  /**
   * mTLS as Keylime runs it: the agent's certificate (registered as
   * mtls_cert) and client certificates required and chained to this CA
   * file (Keylime's cv_ca/cacert.crt). Absent: plain HTTP, for a first
   * integration with enable_agent_mtls = False on the Keylime side.
   */
  mtls?: { certPem: string; keyPem: string; trustedClientCaPath: string };
  dump?: WireDump;
  log: Logger;
}

export interface PullServer {
  port: number;
  stop(): Promise<void>;
}

/**
 * The pull API on the contact port. With mTLS a client without a
 * certificate from the trusted CA fails the handshake and reaches no
 * route; without it every route is open to whoever reaches the port, which
 * is why that mode is for a first integration only.
 */
export function startPullServer(svc: PullService, opts: PullListenOptions): PullServer {
  const app = createPullApp(svc, { log: opts.log, ...(opts.dump ? { dump: opts.dump } : {}) });
  let tls: Bun.TLSOptions | undefined;
  if (opts.mtls) {
    let ca: string;
    try {
      ca = readFileSync(opts.mtls.trustedClientCaPath, "utf8");
    } catch (e) {
      throw new PullError("keylime.pull.listen", `cannot read keylime.trustedClientCa ${opts.mtls.trustedClientCaPath}`, { cause: e });
    }
    tls = { cert: opts.mtls.certPem, key: opts.mtls.keyPem, ca, requestCert: true, rejectUnauthorized: true };
  }
  let server: Server<undefined>;
  try {
    server = Bun.serve({
      hostname: opts.hostname,
      port: opts.port,
      // Past the largest body a route takes; each route enforces its own cap below this.
      maxRequestBodySize: MAX_UKEY_BODY + 1024,
      ...(tls ? { tls } : {}),
      fetch: app.fetch,
    });
  } catch (e) {
    throw new PullError("keylime.pull.listen", `cannot listen on ${opts.hostname}:${opts.port}`, { cause: e });
  }
  const port = server.port ?? opts.port;
  svc.setListening({ address: opts.hostname, port, tls: tls ? "mtls" : "off" });
  opts.log.info("Keylime pull API listening", { address: opts.hostname, port, mtls: tls !== undefined });
  if (!tls) opts.log.warn("Keylime pull API runs without TLS (keylime.mtls = false): anyone reaching the port can ask for quotes and send keys");
  return {
    port,
    async stop() {
      await server.stop(true);
    },
  };
}
