/**
 * Reading the agent's wire dump (EDGE_AGENT_WIRE_DUMP): every controller
 * exchange as NNNN-<action>.{req,res,json}, decoded back into the messages
 * sent and the answers received, so a test can name what the controller
 * answered without trusting the agent's own view of it.
 */
import { existsSync, readdirSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { codec, type EdgeDevConfig, type ZAttestReq, type ZAttestResponse } from "../../src/protocol/index.ts";

/** One exchange from the agent's wire dump, in send order. */
export interface WireExchange {
  seq: number;
  action: string;
  method: string;
  url: string;
  status: number | null;
  error?: string;
}

function formatExchange(x: WireExchange): string {
  return `${String(x.seq).padStart(4, "0")} ${x.method} ${x.url} -> ${x.status ?? `error: ${x.error}`}`;
}

/** The wire dump as lines, /attest ones with request type and the controller's verdict, for failure reports. */
export function describeWire(dir: string): string {
  let attests = new Map<number, WireAttest>();
  try {
    attests = new Map(wireAttests(dir).map((a) => [a.seq, a]));
  } catch {
    // A dump that does not decode is still worth listing plainly.
  }
  return wireExchanges(dir)
    .map((x) => {
      const a = attests.get(x.seq);
      if (!a) return formatExchange(x);
      const verdict = a.resp?.quoteResp?.response ?? a.resp?.storage_keys_resp?.response;
      return `${formatExchange(x)} req=${a.req.reqType}${a.resp ? ` resp=${a.resp.respType}` : ""}${verdict !== undefined ? ` code=${verdict}` : ""}`;
    })
    .join("\n");
}

/** The agent's wire dump, oldest first; empty while nothing was sent. */
export function wireExchanges(dir: string): WireExchange[] {
  if (!existsSync(dir)) return [];
  const out: WireExchange[] = [];
  for (const f of readdirSync(dir).sort()) {
    const m = /^(\d{4})-(.+)\.json$/.exec(f);
    if (!m) continue;
    let meta: { method: string; url: string; status: number | null; error?: string };
    try {
      meta = JSON.parse(readFileSync(join(dir, f), "utf8"));
    } catch {
      // The .json is written last and not atomically; a half-written one is
      // an exchange that is still being recorded.
      continue;
    }
    out.push({ seq: Number(m[1]), action: m[2]!, method: meta.method, url: meta.url, status: meta.status, ...(meta.error ? { error: meta.error } : {}) });
  }
  return out;
}

/** One /attest exchange from the wire dump, with the ZAttestReq sent and the ZAttestResponse the controller signed. */
export interface WireAttest extends WireExchange {
  req: ZAttestReq;
  resp?: ZAttestResponse;
}

/** One /config exchange; `config` is the EdgeDevConfig of a 200 answer. */
export interface WireConfig extends WireExchange {
  config?: EdgeDevConfig;
}

/** The clear payload of an AuthContainer as the agent dumped it; undefined for an empty body. */
function dumpedPayload(dir: string, x: WireExchange, ext: "req" | "res"): Uint8Array | undefined {
  const bytes = new Uint8Array(readFileSync(join(dir, `${String(x.seq).padStart(4, "0")}-${x.action}.${ext}`)));
  if (bytes.length === 0) return undefined;
  return codec.AuthContainer.decode(bytes).protectedPayload?.payload;
}

/** The /attest exchanges of a wire dump, decoded, in send order. */
export function wireAttests(dir: string): WireAttest[] {
  return wireExchanges(dir)
    .filter((x) => x.action === "attest")
    .map((x) => {
      const req = codec.ZAttestReq.decode(dumpedPayload(dir, x, "req")!);
      const res = x.status === 201 ? dumpedPayload(dir, x, "res") : undefined;
      return { ...x, req, ...(res ? { resp: codec.ZAttestResponse.decode(res) } : {}) };
    });
}

/** The /config exchanges of a wire dump, a 200's config decoded, in send order. */
export function wireConfigs(dir: string): WireConfig[] {
  return wireExchanges(dir)
    .filter((x) => x.action === "config")
    .map((x) => {
      const res = x.status === 200 ? dumpedPayload(dir, x, "res") : undefined;
      const config = res ? codec.ConfigResponse.decode(res).config : undefined;
      return { ...x, ...(config ? { config } : {}) };
    });
}
