import { mkdirSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import type { HttpRequest, HttpResponse } from "./transport.ts";

/**
 * Writes every controller exchange as NNNN-<action>.{req,res,json} for
 * debugging (EDGE_AGENT_WIRE_DUMP). Only what went on the wire is written, so
 * nothing here is more secret than the traffic itself.
 */
export class WireDump {
  private seq = 0;
  constructor(private readonly dir: string) {
    mkdirSync(dir, { recursive: true, mode: 0o700 });
  }

  /** Reserves the next sequence number at send time so files sort in send order. */
  begin(): number {
    return ++this.seq;
  }

  record(seq: number, action: string, req: HttpRequest, res: HttpResponse | undefined, error?: string): void {
    const name = `${String(seq).padStart(4, "0")}-${action}`;
    writeFileSync(join(this.dir, `${name}.req`), req.body ?? new Uint8Array());
    writeFileSync(join(this.dir, `${name}.res`), res?.body ?? new Uint8Array());
    const meta = {
      method: req.method,
      url: req.url.toString(),
      status: res?.status ?? null,
      requestHeaders: req.headers,
      responseHeaders: res?.headers ?? null,
      ...(error ? { error } : {}),
    };
    writeFileSync(join(this.dir, `${name}.json`), JSON.stringify(meta, null, 2) + "\n");
  }
}
