import type { Principal } from "../config/index.ts";
import type { Logger } from "../shared/index.ts";
import type { PeerCred } from "./http/peercred.ts";
import { ApiError } from "./http/routes.ts";

/** `*` any run of characters, `?` exactly one, everything else literal (aziot's wildmatch). */
export function wildcard(pattern: string): RegExp {
  const body = [...pattern].map((ch) => (ch === "*" ? ".*" : ch === "?" ? "." : ch.replace(/[.*+?^${}()|[\]\\]/g, "\\$&"))).join("");
  return new RegExp(`^${body}$`, "s");
}

interface Grants {
  row: Principal;
  keys: RegExp[];
  certs: RegExp[];
}

/**
 * The principals table: which local uid may use which key and certificate
 * ids and read which identities. uid 0 may do everything, as with aziot.
 * Replaced as a whole on SIGHUP, so a request sees either the old or the
 * new table, never a mix.
 */
export class Principals {
  private grants = new Map<number, Grants>();

  constructor(
    rows: Principal[],
    private readonly log: Logger,
  ) {
    this.replace(rows);
  }

  replace(rows: Principal[]): void {
    this.grants = new Map(rows.map((row) => [row.uid, { row, keys: row.keys.map(wildcard), certs: row.certs.map(wildcard) }]));
  }

  get size(): number {
    return this.grants.size;
  }

  mayUseKey(uid: number, id: string): boolean {
    return uid === 0 || (this.grants.get(uid)?.keys.some((r) => r.test(id)) ?? false);
  }

  mayUseCert(uid: number, id: string): boolean {
    return uid === 0 || (this.grants.get(uid)?.certs.some((r) => r.test(id)) ?? false);
  }

  mayReadIdentity(uid: number, type: string): boolean {
    return uid === 0 || (this.grants.get(uid)?.row.idtype.includes(type) ?? false);
  }

  /** Refuses with 403 and one log line naming the caller, the operation and what it asked for. */
  refuse(caller: PeerCred, service: string, operation: string, resource: string): never {
    this.log.warn("request refused: not granted", {
      service,
      operation,
      resource,
      uid: caller.uid,
      gid: caller.gid,
      pid: caller.pid,
      ...(this.grants.get(caller.uid)?.row.name ? { principal: this.grants.get(caller.uid)!.row.name } : {}),
    });
    throw new ApiError(403, `uid ${caller.uid} is not granted ${resource}`);
  }
}
