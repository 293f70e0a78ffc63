import { sha256 } from "@noble/hashes/sha2.js";
import { type Context, Hono } from "hono";
import type { P256Signer } from "../../src/identity/index.ts";
import { type ParsedCert, parseCertificatesPem, softKeyFromPem, softSigner, verifySha256Signature } from "../../src/pki/index.ts";
import { type AuthContainer, type ConfigRequest, codec, HashAlgorithm, sealEnvelope, ZCertType, type ZInfoMsg } from "../../src/protocol/index.ts";
import { fromBase64, toHex, utf8 } from "../../src/shared/index.ts";
import { adminRoutes } from "./admin.ts";
import { type AttestFaults, attestProcess, noAttestFaults } from "./attest.ts";
import { configResponse, controllerCertsHash, prepareConfigPut, serveConfig } from "./config.ts";
import { ControllerState, type DeviceRecord, newDeviceRecord } from "./state.ts";

export interface ControllerPki {
  serverCertPem: string;
  serverKeyPem: string;
  signingCertPem: string;
  signingKeyPem: string;
  ecdhCertPem: string;
  /** CA and intermediate certs published as INTERMEDIATE entries. */
  intermediatePems?: string[];
}

/** Hooks a test can set to make the controller misbehave on purpose. */
export interface Faults extends AttestFaults {
  /** Flip a signature byte in the next N signed responses of an action (e.g. { uuid: 2 }). */
  tamperSignatures: Record<string, number>;
  /** Answer every device API request for these actions (last path segment) with this status. */
  statusFor: Record<string, number>;
  /** Drop the connection without an HTTP answer for the next N requests of an action. */
  dropConnection: Record<string, number>;
  /** Answer the next N requests of an action with 200 and random bytes as the protobuf body. */
  garbageBody: Record<string, number>;
  /** Sign random bytes as the payload of the next N responses of an action (a valid envelope around junk). */
  garbagePayload: Record<string, number>;
  /** Answer the next N requests of an action with a 200 body of this many bytes. */
  oversizeBody: Record<string, { count: number; bytes: number }>;
  /** Never answer requests of these actions (the connection stays open until the controller stops). */
  hang: Record<string, boolean>;
  /** Hold every request of an action until this promise settles, then answer it as usual. */
  holdUntil: Record<string, Promise<unknown>>;
}

const PROTO = "application/x-proto-binary";

/** Consumes one use of a per-action fault counter. */
function take(counts: Record<string, number>, action: string): boolean {
  if ((counts[action] ?? 0) <= 0) return false;
  counts[action]!--;
  return true;
}

/** Bytes that are not a valid protobuf of any message the agent expects (0xff starts an invalid tag). */
function garbage(n: number): Uint8Array {
  const b = crypto.getRandomValues(new Uint8Array(n));
  b[0] = 0xff;
  b[1] = 0xff;
  return b;
}

function trimmedPem(pem: string): Uint8Array {
  return utf8.encode(pem.trim());
}

type Auth = { device: DeviceRecord; payload: Uint8Array } | { status: number };

/**
 * An EVE controller for tests that follows Adam's rules
 * (docs/adam.md): envelopes signed with the signing cert and
 * hashed over its PEM, devices recognised by SHA-256 of the device cert DER,
 * Adam's status codes, attestation, config and info handling, and an
 * unauthenticated admin API.
 */
export class TestController {
  readonly state = new ControllerState();
  readonly faults: Faults = {
    tamperSignatures: {},
    statusFor: {},
    dropConnection: {},
    garbageBody: {},
    garbagePayload: {},
    oversizeBody: {},
    hang: {},
    holdUntil: {},
    ...noAttestFaults(),
  };
  /** Requests currently held open by the `hang` fault. */
  hungRequests = 0;
  /** Why the last refused quote or key escrow was refused (Adam only logs it). */
  lastAttestReason: string | undefined;
  /** Why each refused /register was refused, oldest first, in the words of Adam's errors (Adam logs them). */
  readonly registerRefusals: string[] = [];
  /** Why each refused quote was refused, oldest first (Adam logs quoteValidate or templateAttest failed). */
  readonly quoteRefusals: string[] = [];
  private signer: P256Signer;
  private signingPem: Uint8Array;
  private server: ReturnType<typeof Bun.serve> | undefined;
  readonly app: Hono;
  requestCount = 0;
  /** Device API requests by action (last path segment), counted before any fault answers them. */
  readonly actionCounts: Record<string, number> = {};
  /** Binary EdgeDevConfig given to every device registered from now on, as an admin PUT right after /register would. */
  newDeviceConfig: Uint8Array | undefined;

  constructor(private pki: ControllerPki) {
    this.signer = softSigner(softKeyFromPem(utf8.encode(pki.signingKeyPem)));
    this.signingPem = trimmedPem(pki.signingCertPem);
    this.app = this.routes();
  }

  start(port = 0): number {
    this.server = Bun.serve({
      hostname: "127.0.0.1",
      port,
      tls: { cert: this.pki.serverCertPem, key: this.pki.serverKeyPem },
      fetch: this.app.fetch,
    });
    return this.server.port!;
  }

  stop(): void {
    this.server?.stop(true);
    this.server = undefined;
  }

  get port(): number | undefined {
    return this.server?.port;
  }

  /**
   * Swaps the signing / ECDH certs (and intermediates) as an operator
   * replacing Adam's cert files would. The TLS cert only changes on the next start().
   */
  rotateControllerCerts(next: Partial<ControllerPki>): void {
    this.pki = { ...this.pki, ...next };
    this.signer = softSigner(softKeyFromPem(utf8.encode(this.pki.signingKeyPem)));
    this.signingPem = trimmedPem(this.pki.signingCertPem);
  }

  /** The signing cert envelopes are currently signed with (changes with rotateControllerCerts). */
  get signingCertPem(): string {
    return this.pki.signingCertPem;
  }

  /** controllercert_confighash of the current cert set. */
  certsHash(): string {
    return controllerCertsHash([this.pki.signingCertPem, this.pki.ecdhCertPem, ...(this.pki.intermediatePems ?? [])]);
  }

  private async envelope(payload: Uint8Array, action: string): Promise<Uint8Array> {
    if (take(this.faults.garbagePayload, action)) payload = garbage(64);
    const bytes = await sealEnvelope(payload, this.signer, {
      senderCertHash: sha256(this.signingPem),
      algo: HashAlgorithm.HASH_ALGORITHM_SHA256_32BYTES,
    });
    if ((this.faults.tamperSignatures[action] ?? 0) > 0) {
      this.faults.tamperSignatures[action]!--;
      const c = codec.AuthContainer.decode(bytes);
      c.signatureHash[0] = c.signatureHash[0]! ^ 0xff;
      return codec.AuthContainer.encode(c);
    }
    return bytes;
  }

  private proto(c: Context, body: Uint8Array, status = 200): Response {
    return c.body(body as Uint8Array<ArrayBuffer>, status as 200, { "Content-Type": PROTO });
  }

  certsMessage(): Uint8Array {
    const entry = (pem: string, type: number) => {
      const p = trimmedPem(pem);
      return { hashAlgo: HashAlgorithm.HASH_ALGORITHM_SHA256_16BYTES, certHash: sha256(p).slice(0, 16), type, cert: p, meta_data_items: [] };
    };
    const certs = [
      entry(this.pki.signingCertPem, ZCertType.CERT_TYPE_CONTROLLER_SIGNING),
      entry(this.pki.ecdhCertPem, ZCertType.CERT_TYPE_CONTROLLER_ECDH_EXCHANGE),
      ...(this.pki.intermediatePems ?? []).map((p) => entry(p, ZCertType.CERT_TYPE_CONTROLLER_INTERMEDIATE)),
    ];
    return codec.ZControllerCert.encode({ certs });
  }

  /**
   * Adam's validateAuthContainerAndRecord: 500 for an empty or undecodable
   * body, 401 for a missing hash, an unknown device or a bad signature (raw
   * r||s or DER). Logs the request for the device on success.
   */
  private async authDevice(c: Context): Promise<Auth> {
    const body = new Uint8Array(await c.req.arrayBuffer());
    if (body.length === 0) return { status: 500 };
    let env: AuthContainer;
    try {
      env = codec.AuthContainer.decode(body);
    } catch {
      return { status: 500 };
    }
    if (env.senderCertHash.length === 0) return { status: 401 };
    const device = this.state.deviceByCertHash(toHex(env.senderCertHash));
    if (!device) return { status: 401 };
    const payload = env.protectedPayload?.payload ?? new Uint8Array();
    const key = parseCertificatesPem(device.certPem)[0]!.publicKey;
    let good = false;
    for (const enc of ["raw", "der"] as const) {
      good ||= await verifySha256Signature(key, payload, env.signatureHash, enc).catch(() => false);
    }
    if (!good) return { status: 401 };
    this.log(device, c);
    return { device, payload };
  }

  private log(device: DeviceRecord, c: Context): void {
    const url = new URL(c.req.url);
    const server = c.env as { requestIP?: (r: Request) => { address: string; port: number } | null } | undefined;
    const peer = server?.requestIP?.(c.req.raw);
    const forwarded = c.req.header("x-forwarded-for");
    device.requests.push({
      timestamp: new Date().toISOString(),
      uuid: device.uuid,
      "client-ip": peer ? `${peer.address}:${peer.port}` : "",
      ...(forwarded ? { forwarded } : {}),
      method: c.req.method,
      url: url.pathname + url.search,
    });
  }

  private routes(): Hono {
    const app = new Hono();
    const v2 = new Hono();
    app.use("*", async (c, next) => {
      this.requestCount++;
      const path = new URL(c.req.url).pathname;
      if (path.startsWith("/api/")) {
        const name = path.split("/").at(-1) ?? "";
        this.actionCounts[name] = (this.actionCounts[name] ?? 0) + 1;
        const gate = this.faults.holdUntil[name];
        if (gate) await gate.catch(() => {});
      }
      const forced = path.startsWith("/api/") ? this.faults.statusFor[path.split("/").at(-1) ?? ""] : undefined;
      if (forced) return c.body(null, forced as 500);
      const action = path.split("/").at(-1) ?? "";
      if (path.startsWith("/api/") && take(this.faults.garbageBody, action)) {
        return new Response(garbage(200), { status: 200, headers: { "Content-Type": PROTO } });
      }
      const big = this.faults.oversizeBody[action];
      if (path.startsWith("/api/") && big && big.count > 0) {
        big.count--;
        return new Response(new Uint8Array(big.bytes).fill(0x0a), { status: 200, headers: { "Content-Type": PROTO } });
      }
      if (path.startsWith("/api/") && this.faults.hang[action]) {
        this.hungRequests++;
        // Bun closes a connection idle for 10 s by default; a hung controller keeps it open.
        (c.env as { timeout?: (r: Request, s: number) => void } | undefined)?.timeout?.(c.req.raw, 0);
        await new Promise<never>(() => {});
      }
      if (path.startsWith("/api/") && (this.faults.dropConnection[action] ?? 0) > 0) {
        this.faults.dropConnection[action]!--;
        // A body stream that fails mid-response makes the server abort the connection,
        // as a controller whose handler panics does (Adam v0.1.3 on a repeated /register).
        return new Response(new ReadableStream({ pull: (ctl) => ctl.error(new Error("dropped by test fault")) }), { status: 200 });
      }
      await next();
    });

    app.get("/probe", (c) => c.body(null, 200));
    v2.on(["GET", "POST"], "/ping", (c) => c.body(null, 200));
    v2.on(["GET", "POST"], "/certs", async (c) => this.proto(c, await this.envelope(this.certsMessage(), "certs")));

    v2.post("/register", async (c) => {
      const body = new Uint8Array(await c.req.arrayBuffer());
      let env: AuthContainer;
      let msg;
      try {
        env = codec.AuthContainer.decode(body);
        if (!env.protectedPayload?.payload.length) throw new Error("no payload");
        msg = codec.ZRegisterMsg.decode(env.protectedPayload.payload);
      } catch {
        return c.body(null, 400);
      }
      if (env.senderCertHash.length === 0) return c.body(null, 401);
      let onboardCerts: ParsedCert[];
      try {
        onboardCerts = parseCertificatesPem(fromBase64(utf8.decode(env.senderCert)));
      } catch {
        return c.body(null, 401);
      }
      const payload = env.protectedPayload?.payload ?? new Uint8Array();
      let signer: ParsedCert | undefined;
      for (const cert of onboardCerts) {
        const raw = await verifySha256Signature(cert.publicKey, payload, env.signatureHash, "raw").catch(() => false);
        const der = raw || (await verifySha256Signature(cert.publicKey, payload, env.signatureHash, "der").catch(() => false));
        if (der) {
          signer = cert;
          break;
        }
      }
      if (!signer) return c.body(null, 401);
      let deviceCertPem: string;
      let deviceCert: ParsedCert;
      try {
        deviceCertPem = utf8.decode(fromBase64(utf8.decode(msg.pemCert)));
        deviceCert = parseCertificatesPem(deviceCertPem)[0]!;
        if (!deviceCert) throw new Error("no cert");
      } catch {
        return c.body(null, 400);
      }
      const check = (serial: string): "ok" | "invalid-cert" | "invalid-serial" | "used-serial" => {
        const entry = this.state.onboard.get(toHex(signer!.der));
        if (!entry) return "invalid-cert";
        if (!entry.serials.includes(serial) && !entry.serials.includes("*")) return "invalid-serial";
        for (const d of this.state.devices.values()) {
          if (d.onboardDer && toHex(d.onboardDer) === toHex(signer!.der) && d.serial === serial) return "used-serial";
        }
        return "ok";
      };
      let result = check(msg.serial);
      let matched = msg.serial;
      if (result !== "ok" && msg.softSerial) {
        result = check(msg.softSerial);
        matched = msg.softSerial;
      }
      if (result === "ok") {
        const hash = toHex(sha256(deviceCert.der));
        if (this.state.deviceByCertHash(hash)) return c.text("device already registered", 500);
        const uuid = crypto.randomUUID();
        const record = newDeviceRecord({ uuid, certDer: deviceCert.der, certPem: deviceCertPem, certHashHex: hash, onboardDer: signer.der, serial: matched });
        if (this.newDeviceConfig) record.config = prepareConfigPut(uuid, this.newDeviceConfig, undefined);
        this.state.devices.set(uuid, record);
        return c.body(null, 201);
      }
      this.registerRefusals.push(
        result === "invalid-cert" ? "unknown onboarding certificate" : result === "invalid-serial" ? `unknown serial: ${matched}` : `used serial ${matched}`,
      );
      if (result === "invalid-cert" || result === "invalid-serial") return c.body(null, 403);
      return c.body(null, 409);
    });

    v2.post("/uuid", async (c) => {
      const auth = await this.authDevice(c);
      if ("status" in auth) return c.body(null, auth.status as 401);
      const resp = codec.UuidResponse.encode({ uuid: auth.device.uuid, manufacturer: "", product_name: "" });
      return this.proto(c, await this.envelope(resp, "uuid"));
    });

    // Adam ignores the {uuid} in these paths and goes by senderCertHash alone.
    v2.post("/id/:uuid/attest", async (c) => {
      const auth = await this.authDevice(c);
      if ("status" in auth) return c.body(null, auth.status as 401);
      const result = await attestProcess(auth.device, this.state, this.faults, auth.payload);
      if (result.reason) this.lastAttestReason = result.reason;
      if (result.quoteRefusal) this.quoteRefusals.push(result.quoteRefusal);
      if (!result.response) return c.text(result.reason ?? "bad request", result.status as 400);
      return this.proto(c, await this.envelope(result.response, "attest"), 201);
    });

    const config = async (c: Context) => {
      const auth = await this.authDevice(c);
      if ("status" in auth) return c.body(null, auth.status as 401);
      const { device, payload } = auth;
      if (!device.config) return c.text("Not Found", 404);
      let req: ConfigRequest;
      try {
        req = codec.ConfigRequest.decode(payload);
      } catch {
        return c.text("Internal Server Error", 500);
      }
      const token = utf8.encode(device.integrityToken);
      if (req.integrity_token.length === 0 || toHex(req.integrity_token) !== toHex(token)) return c.text("Forbidden", 403);
      const served = serveConfig(device.config, this.certsHash());
      if (req.configHash === served.configHash) return c.body(null, 304);
      return this.proto(c, await this.envelope(configResponse(served), "config"));
    };
    v2.on(["GET", "POST"], "/config", config);
    v2.on(["GET", "POST"], "/id/:uuid/config", config);

    v2.post("/id/:uuid/info", async (c) => {
      const auth = await this.authDevice(c);
      if ("status" in auth) return c.body(null, auth.status as 401);
      let msg: ZInfoMsg;
      try {
        msg = codec.ZInfoMsg.decode(auth.payload);
      } catch {
        return c.text("undecodable ZInfoMsg", 400);
      }
      this.state.addInfo(auth.device, { raw: auth.payload, msg, receivedAt: new Date().toISOString() });
      return c.body(null, 201);
    });

    v2.post("/id/:uuid/metrics", async (c) => {
      const auth = await this.authDevice(c);
      if ("status" in auth) return c.body(null, auth.status as 401);
      auth.device.metrics.push(auth.payload);
      return c.body(null, 201);
    });

    app.route("/api/v2/edgedevice", v2);
    app.route("/admin", adminRoutes(this));
    return app;
  }
}
