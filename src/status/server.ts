import { chmodSync, existsSync, lstatSync, mkdirSync, unlinkSync } from "node:fs";
import { dirname } from "node:path";
import type { Logger } from "../shared/index.ts";
import { createStatusApp } from "./app.ts";
import type { StatusSource } from "./document.ts";

export interface StatusServer {
  stop(): void;
  socketPath: string;
  tcpPort?: number;
}

/**
 * Serves the status app on a Unix socket (mode 0660, so access is granted by
 * group) and optionally on a loopback TCP port. Any local user can reach the
 * TCP port, so it serves only /version and /v1/health unless `full` is set.
 */
export function startStatusServer(
  source: StatusSource,
  opts: { socket: string; tcp?: { host: string; port: number; full?: boolean }; log: Logger },
): StatusServer {
  // The socket's 0660 mode limits it to the agent's group, so it gets everything.
  const app = createStatusApp(source, { full: true });
  mkdirSync(dirname(opts.socket), { recursive: true, mode: 0o750 });
  if (existsSync(opts.socket)) {
    // Only a leftover socket from a previous run may be replaced, never a regular file.
    if (!lstatSync(opts.socket).isSocket()) throw new Error(`${opts.socket} exists and is not a socket`);
    unlinkSync(opts.socket);
  }
  const unix = Bun.serve({ unix: opts.socket, fetch: app.fetch });
  chmodSync(opts.socket, 0o660);
  const tcpFull = opts.tcp?.full === true;
  const tcp = opts.tcp ? Bun.serve({ hostname: opts.tcp.host, port: opts.tcp.port, fetch: createStatusApp(source, { full: tcpFull }).fetch }) : undefined;
  opts.log.info("status endpoint listening", { socket: opts.socket, ...(tcp ? { tcp: `${opts.tcp!.host}:${tcp.port}`, tcpFullStatus: tcpFull } : {}) });
  if (tcpFull) opts.log.warn("status.tcp.full is on: every local user can read the device status over TCP");
  return {
    socketPath: opts.socket,
    ...(tcp ? { tcpPort: tcp.port } : {}),
    stop() {
      unix.stop(true);
      tcp?.stop(true);
      try {
        unlinkSync(opts.socket);
      } catch {}
    },
  };
}
