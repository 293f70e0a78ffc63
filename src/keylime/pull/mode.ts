import { readFileSync } from "node:fs";
import type { WireDump } from "../../controller/index.ts";
import type { KeylimeMode, KeylimeModeContext, RegisteredAgent } from "../agent.ts";
import { PullError } from "./errors.ts";
import { Evidence } from "./evidence.ts";
import { startPullServer } from "./server.ts";
import { PullService } from "./service.ts";
import { type AgentTlsCert, createAgentTlsCert } from "./tls-cert.ts";
import { TpmPullQuoter } from "./tpm-quoter.ts";
import { TransportKey } from "./transport-key.ts";

export interface PullModeOptions {
  /** The TCG binary event log (the agent's eventLogPath), sent as mb_measurement_list. */
  eventLogPath?: string;
  /** The agent's wire dump: served exchanges are recorded as keylime-<endpoint>. */
  wireDump?: WireDump;
  /** Seconds since the epoch at boot (tests); /proc/stat's btime by default. */
  bootTime?: () => number;
  /** How long a permitted autorun.sh may run. */
  scriptTimeoutMs?: number;
  /** A transport key made elsewhere (tests). */
  transportKey?: TransportKey;
}

function readPem(path: string, what: string): string {
  try {
    return readFileSync(path, "utf8");
  } catch (e) {
    throw new PullError("keylime.pull.listen", `cannot read keylime.${what} ${path}`, { cause: e });
  }
}

/**
 * Keylime pull mode: before registration, the certificate the registrar
 * will hold as mtls_cert; after it, the HTTPS server on the contact port
 * until the agent stops.
 */
export function pullMode(opts: PullModeOptions = {}): KeylimeMode {
  let tls: AgentTlsCert | undefined;
  return {
    async prepare(ctx: KeylimeModeContext) {
      const cfg = ctx.cfg;
      if (!cfg.mtls) {
        tls = undefined;
        return {};
      }
      tls =
        cfg.agentCert && cfg.agentKey
          ? { certPem: readPem(cfg.agentCert, "agentCert"), keyPem: readPem(cfg.agentKey, "agentKey") }
          : createAgentTlsCert(ctx.uuid, cfg.contactIp);
      return { mtlsCert: tls.certPem };
    },

    async run(ctx: KeylimeModeContext & { agent: RegisteredAgent }, signal: AbortSignal) {
      const cfg = ctx.cfg;
      const log = ctx.log.child("pull");
      const svc = new PullService({
        identity: { uuid: ctx.agent.uuid, ...(tls ? { tls } : {}) },
        quoter: new TpmPullQuoter(ctx.tpm, ctx.agent.ak, cfg),
        evidence: new Evidence({
          ...(opts.eventLogPath ? { eventLogPath: opts.eventLogPath } : {}),
          imaLogPath: cfg.imaLogPath,
          ...(opts.bootTime ? { bootTime: opts.bootTime } : {}),
          log,
        }),
        payload: {
          dir: cfg.payloadDir,
          allowDiskBacked: cfg.payloadDirAnyFs,
          runScript: cfg.allowPayloadScript,
          scriptTimeoutMs: opts.scriptTimeoutMs ?? 60_000,
          log,
        },
        transportKey: opts.transportKey ?? (await TransportKey.create()),
        log,
        onStatus: (pull) => ctx.report({ pull, quotesServed: pull.quotesServed.identity + pull.quotesServed.integrity }),
      });
      if (cfg.mtls && !cfg.trustedClientCa) throw new PullError("keylime.pull.listen", "keylime.mtls = true needs keylime.trustedClientCa");
      const server = startPullServer(svc, {
        hostname: cfg.listenIp,
        port: cfg.contactPort,
        ...(tls && cfg.trustedClientCa ? { mtls: { ...tls, trustedClientCaPath: cfg.trustedClientCa } } : {}),
        ...(opts.wireDump ? { dump: opts.wireDump } : {}),
        log,
      });
      try {
        await new Promise<void>((resolve) => (signal.aborted ? resolve() : signal.addEventListener("abort", () => resolve(), { once: true })));
      } finally {
        await server.stop();
      }
    },
  };
}
