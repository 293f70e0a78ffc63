/**
 * Adam's admin REST API (docs/adam.md#admin-api): unauthenticated, JSON
 * shaped like Adam's files. Extensions beyond Adam are marked as such.
 */

import { sha256 } from "@noble/hashes/sha2.js";
import { type Context, Hono } from "hono";
import { encodePem, parseCertificatesPem } from "../../src/pki/index.ts";
import { fromBase64, toBase64, toHex, utf8 } from "../../src/shared/index.ts";
import type { DeviceOptionsJson, GlobalOptionsJson, PcrTemplateJson } from "../harness/admin/index.ts";
import { ConfigPutError, prepareConfigPut } from "./config.ts";
import { encodeFromGoJson, goJson, protoJson } from "./proto-util.ts";
import type { TestController } from "./server.ts";
import { type DeviceRecord, type GlobalOptions, type InfoListener, newDeviceRecord, type PcrTemplate } from "./state.ts";

const PROTO = "application/x-proto-binary";
const EDGE_DEV_CONFIG = "org.lfedge.eve.config.EdgeDevConfig";
const ZINFO_MSG = "org.lfedge.eve.info.ZInfoMsg";

/** encoding/json finds struct fields case-insensitively; so do Adam's options and config PUTs. */
function pick(obj: unknown, name: string): unknown {
  if (typeof obj !== "object" || obj === null) return undefined;
  const key = Object.keys(obj).find((k) => k.toLowerCase() === name.toLowerCase());
  return key === undefined ? undefined : (obj as Record<string, unknown>)[key];
}

class BadJson extends Error {}

function str(v: unknown, what: string): string {
  if (v === undefined || v === null) return "";
  if (typeof v !== "string") throw new BadJson(`${what} must be a string`);
  return v;
}

function parseTemplate(v: unknown): PcrTemplate | undefined {
  if (v === undefined || v === null) return undefined;
  if (typeof v !== "object") throw new BadJson("template must be an object");
  const values = pick(v, "PCRValues");
  if (values !== undefined && values !== null && !Array.isArray(values)) throw new BadJson("PCRValues must be an array");
  return {
    eveVersion: str(pick(v, "eveVersion"), "eveVersion"),
    firmwareVersion: str(pick(v, "firmwareVersion"), "firmwareVersion"),
    PCRValues: ((values as unknown[] | null | undefined) ?? []).map((p) => {
      const index = pick(p, "index");
      if (typeof index !== "number" || !Number.isInteger(index) || index < 0) throw new BadJson("PCR index must be an unsigned integer");
      return { index, value: str(pick(p, "value"), "value") };
    }),
  };
}

function templateJson(t: PcrTemplate | undefined): PcrTemplateJson | null {
  return t ? { eveVersion: t.eveVersion, firmwareVersion: t.firmwareVersion, PCRValues: t.PCRValues.length ? t.PCRValues : null } : null;
}

/** options.json as Adam writes it; eventLog carries tpm_binary_event_log in base64 (see DeviceRecord). */
export function deviceOptionsJson(d: DeviceRecord): DeviceOptionsJson {
  return {
    nonce: d.nonce,
    integrityToken: d.integrityToken,
    receivedPCRTemplate: templateJson(d.receivedPCRTemplate),
    attested: d.attested,
    ...(d.eventLog?.length ? { eventLog: toBase64(d.eventLog) } : {}),
  };
}

export function globalOptionsJson(o: GlobalOptions): GlobalOptionsJson {
  return { enforceTemplateAttestation: o.enforceTemplateAttestation, PCRTemplates: o.PCRTemplates.length ? o.PCRTemplates.map((t) => templateJson(t)!) : null };
}

async function jsonBody(c: Context): Promise<unknown> {
  try {
    return JSON.parse(await c.req.text());
  } catch {
    throw new BadJson("body is not JSON");
  }
}

function wantsProto(c: Context): boolean {
  // Adam answers JSON unless the Accept header names the proto type and not JSON.
  const accept = c.req.header("accept") ?? "";
  return accept.includes(PROTO) && !accept.includes("application/json");
}

/** Adam's friendly CN: the cert's CN with everything but letters, digits, '.', '-' and '\' made '_'. */
function friendlyCn(pem: string): string {
  const subject = parseCertificatesPem(pem)[0]!.subject;
  const cn = /(?:^|, )CN=([^,]*)/.exec(subject)?.[1] ?? subject;
  return cn.replace(/[^A-Za-z0-9.\-\\]/g, "_");
}

/** Answers the X-Stream form of a dump: each new ZInfoMsg as a protojson line until the client goes away. */
function infoStream(c: Context, ctl: TestController, device: DeviceRecord): Response {
  const state = ctl.state;
  // Bun closes a connection idle for 10 s by default; a stream waits for messages as long as the client wants.
  (c.env as { timeout?: (r: Request, s: number) => void } | undefined)?.timeout?.(c.req.raw, 0);
  let listener: InfoListener | undefined;
  const body = new ReadableStream<Uint8Array>({
    start(out) {
      // Bun sends the headers with the first chunk; Adam sends them at once. Readers skip blank lines.
      out.enqueue(utf8.encode("\n"));
      listener = (d, info) => {
        if (d !== device) return;
        try {
          out.enqueue(utf8.encode(`${JSON.stringify(protoJson(ZINFO_MSG, info.raw))}\n`));
        } catch {
          // The client is gone (or the server stopped) without cancelling.
          state.infoListeners.delete(listener!);
        }
      };
      state.infoListeners.add(listener);
    },
    cancel() {
      if (listener) state.infoListeners.delete(listener);
    },
  });
  return new Response(body, { status: 200, headers: { "Content-Type": "application/json" } });
}

export function adminRoutes(ctl: TestController): Hono {
  const state = ctl.state;
  const admin = new Hono();
  const device = (c: Context) => state.devices.get(c.req.param("uuid") ?? "");
  const notFound = (c: Context) => c.text("Not Found", 404);

  admin.onError((e, c) => (e instanceof BadJson ? c.text(e.message, 400) : c.text(`internal error: ${e.message}`, 500)));

  admin.post("/onboard", async (c) => {
    if (c.req.header("content-type") !== "application/json") return c.text("bad content type", 400);
    const body = (await jsonBody(c)) as { Cert: string; Serial: string };
    const pem = utf8.decode(fromBase64(body.Cert));
    const cert = parseCertificatesPem(pem)[0];
    if (!cert) return c.text("bad cert", 400);
    state.addOnboard(
      cert.der,
      pem,
      (body.Serial ?? "")
        .split(",")
        .map((s) => s.trim())
        .filter(Boolean),
    );
    return c.body(null, 201);
  });
  admin.get("/onboard", (c) => c.text([...state.onboard.values()].map((e) => friendlyCn(e.certPem)).join("\n")));
  admin.delete("/onboard", (c) => {
    state.onboard.clear();
    return c.body(null, 200);
  });
  const onboardByCn = (c: Context) => [...state.onboard.entries()].find(([, e]) => friendlyCn(e.certPem) === c.req.param("cn"));
  admin.get("/onboard/:cn", (c) => {
    const found = onboardByCn(c);
    if (!found) return notFound(c);
    return c.json({ Cert: toBase64(utf8.encode(found[1].certPem)), Serial: found[1].serials.join(",") });
  });
  admin.delete("/onboard/:cn", (c) => {
    const found = onboardByCn(c);
    if (found) state.onboard.delete(found[0]);
    return c.body(null, 200);
  });

  admin.get("/device", (c) => c.text([...state.devices.keys()].join("\n")));
  admin.post("/device", async (c) => {
    if (c.req.header("content-type") !== "application/json") return c.text("bad content type", 400);
    const body = await jsonBody(c);
    const pem = utf8.decode(fromBase64(str(pick(body, "Cert"), "Cert")));
    const cert = parseCertificatesPem(pem)[0];
    if (!cert) return c.text("bad cert", 400);
    const hash = toHex(sha256(cert.der));
    if (state.deviceByCertHash(hash)) return c.text("device already registered", 400);
    const onboard = str(pick(body, "Onboard"), "Onboard");
    const onboardDer = onboard ? parseCertificatesPem(utf8.decode(fromBase64(onboard)))[0]?.der : undefined;
    const serial = str(pick(body, "Serial"), "Serial");
    const uuid = crypto.randomUUID();
    state.devices.set(
      uuid,
      newDeviceRecord({ uuid, certDer: cert.der, certPem: pem, certHashHex: hash, ...(onboardDer ? { onboardDer } : {}), ...(serial ? { serial } : {}) }),
    );
    return c.body(null, 201);
  });
  admin.delete("/device", (c) => {
    state.devices.clear();
    return c.body(null, 200);
  });
  admin.get("/device/:uuid", (c) => {
    const d = device(c);
    if (!d) return notFound(c);
    return c.json({
      Cert: toBase64(utf8.encode(d.certPem)),
      Onboard: d.onboardDer ? toBase64(utf8.encode(encodePem("CERTIFICATE", d.onboardDer))) : "",
      Serial: d.serial ?? "",
    });
  });
  admin.delete("/device/:uuid", (c) => {
    state.devices.delete(c.req.param("uuid"));
    return c.body(null, 200);
  });

  admin.get("/device/:uuid/config", (c) => {
    const d = device(c);
    if (!d?.config) return notFound(c);
    if (wantsProto(c)) return c.body(d.config as Uint8Array<ArrayBuffer>, 200, { "Content-Type": PROTO });
    return c.json(protoJson(EDGE_DEV_CONFIG, d.config));
  });
  admin.put("/device/:uuid/config", async (c) => {
    const d = device(c);
    if (!d) return c.text(`device not found ${c.req.param("uuid")}`, 404);
    let body: Uint8Array;
    try {
      body = c.req.header("content-type") === PROTO ? new Uint8Array(await c.req.arrayBuffer()) : encodeFromGoJson(EDGE_DEV_CONFIG, await jsonBody(c));
    } catch (e) {
      return c.text(`failed to read config: ${(e as Error).message}`, 400);
    }
    try {
      d.config = prepareConfigPut(d.uuid, body, d.config);
    } catch (e) {
      if (e instanceof ConfigPutError) return c.text(e.message, 400);
      throw e;
    }
    return c.body(null, 200);
  });

  admin.get("/device/:uuid/info", (c) => {
    const d = device(c);
    if (!d) return notFound(c);
    if (c.req.header("x-stream") === "true") return infoStream(c, ctl, d);
    return c.text(d.info.map((i) => `${JSON.stringify(protoJson(ZINFO_MSG, i.raw))}\n`).join(""));
  });
  admin.get("/device/:uuid/requests", (c) => {
    const d = device(c);
    if (!d) return notFound(c);
    return c.text(d.requests.map((r) => JSON.stringify(r)).join(""));
  });
  admin.get("/device/:uuid/certs", (c) => {
    const d = device(c);
    if (!d) return notFound(c);
    if (!d.attestCerts) return c.text("Bad Request", 400);
    return c.json({ ...(d.attestCerts.length ? { certs: d.attestCerts.map(goJson) } : {}) });
  });
  // Extension: Adam keeps storage-keys.json on disk only.
  admin.get("/device/:uuid/storage-keys", (c) => {
    const d = device(c);
    if (!d) return notFound(c);
    if (!d.storageKeys) return notFound(c);
    return c.json(goJson(d.storageKeys) ?? {});
  });

  admin.get("/device/:uuid/options", (c) => {
    const d = device(c);
    if (!d) return notFound(c);
    return c.json(deviceOptionsJson(d));
  });
  admin.put("/device/:uuid/options", async (c) => {
    const d = device(c);
    if (!d) return notFound(c);
    const body = await jsonBody(c);
    if (typeof body !== "object" || body === null) throw new BadJson("options must be an object");
    const attested = pick(body, "attested");
    if (attested !== undefined && attested !== null && typeof attested !== "boolean") throw new BadJson("attested must be a boolean");
    const eventLog = str(pick(body, "eventLog"), "eventLog");
    // Adam stores the body as given, so leaving a field out clears it.
    d.nonce = str(pick(body, "nonce"), "nonce");
    d.integrityToken = str(pick(body, "integrityToken"), "integrityToken");
    d.attested = attested === true;
    d.receivedPCRTemplate = parseTemplate(pick(body, "receivedPCRTemplate"));
    d.eventLog = eventLog ? fromBase64(eventLog) : undefined;
    return c.body(null, 200);
  });

  admin.get("/options", (c) => (state.optionsStored ? c.json(globalOptionsJson(state.options)) : c.text("global options not set", 400)));
  admin.put("/options", async (c) => {
    const body = await jsonBody(c);
    if (typeof body !== "object" || body === null) throw new BadJson("options must be an object");
    const enforce = pick(body, "enforceTemplateAttestation");
    if (enforce !== undefined && enforce !== null && typeof enforce !== "boolean") throw new BadJson("enforceTemplateAttestation must be a boolean");
    const templates = pick(body, "PCRTemplates");
    if (templates !== undefined && templates !== null && !Array.isArray(templates)) throw new BadJson("PCRTemplates must be an array");
    state.optionsStored = true;
    state.options = {
      enforceTemplateAttestation: enforce === true,
      PCRTemplates: ((templates as unknown[] | null | undefined) ?? []).map((t) => parseTemplate(t)!).filter(Boolean),
    };
    return c.body(null, 200);
  });

  return admin;
}
