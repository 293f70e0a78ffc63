import { Hono, type Context } from "hono";
import { sha256 } from "@noble/hashes/sha2.js";
import {
  codec,
  openEnvelope,
  sealEnvelope,
  HashAlgorithm,
  ZCertType,
  type AuthContainer,
} from "../../src/protocol/index.ts";
import {
  parseCertificatesPem,
  softKeyFromPem,
  softSigner,
  verifySha256Signature,
  type ParsedCert,
} from "../../src/pki/index.ts";
import type { P256Signer } from "../../src/identity/index.ts";
import { fromBase64, toBase64, toHex, utf8 } from "../../src/shared/index.ts";
import { ControllerState, type DeviceRecord } from "./state.ts";

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
export interface Faults {
  /** Flip a signature byte in the next N signed responses of an action (e.g. { uuid: 2 }). */
  tamperSignatures: Record<string, number>;
  /** Answer every request for these actions with this status. */
  statusFor: Record<string, number>;
}

const PROTO = "application/x-proto-binary";

function trimmedPem(pem: string): Uint8Array {
  return utf8.encode(pem.trim());
}

/**
 * An EVE controller for tests that follows Adam's rules
 * (reference-controller.md): envelopes signed with the signing cert and
 * hashed over its PEM, devices recognised by SHA-256 of the device cert DER,
 * Adam's register status codes, and an unauthenticated admin API.
 */
export class TestController {
  readonly state = new ControllerState();
  readonly faults: Faults = { tamperSignatures: {}, statusFor: {} };
  private readonly signer: P256Signer;
  private readonly signingPem: Uint8Array;
  private server: ReturnType<typeof Bun.serve> | undefined;
  readonly app: Hono;
  requestCount = 0;

  constructor(private readonly pki: ControllerPki) {
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

  private async envelope(payload: Uint8Array, action: string): Promise<Uint8Array> {
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

  /** Parses the envelope and finds the device by senderCertHash; verifies the device signature. */
  private async authDevice(body: Uint8Array): Promise<{ device?: DeviceRecord; payload?: Uint8Array; status?: number }> {
    let env: AuthContainer;
    try {
      env = openEnvelope(body);
    } catch {
      return { status: 400 };
    }
    if (env.senderCertHash.length === 0) return { status: 401 };
    const device = this.state.deviceByCertHash(toHex(env.senderCertHash));
    if (!device) return { status: 404 };
    const payload = env.protectedPayload?.payload ?? new Uint8Array();
    const cert = parseCertificatesPem(device.certPem)[0]!;
    const ok = await verifySha256Signature(cert.publicKey, payload, env.signatureHash, "raw").catch(() => false);
    if (!ok) return { status: 401 };
    return { device, payload };
  }

  private log(device: DeviceRecord, c: Context): void {
    device.requests.push({ timestamp: new Date().toISOString(), method: c.req.method, url: new URL(c.req.url).pathname });
  }

  private routes(): Hono {
    const app = new Hono();
    const v2 = new Hono();
    app.use("*", async (c, next) => {
      this.requestCount++;
      const action = new URL(c.req.url).pathname.split("/").at(-1) ?? "";
      const forced = this.faults.statusFor[action];
      if (forced) return c.body(null, forced as 500);
      await next();
    });

    v2.on(["GET", "POST"], "/ping", (c) => c.body(null, 200));
    v2.on(["GET", "POST"], "/certs", async (c) => this.proto(c, await this.envelope(this.certsMessage(), "certs")));

    v2.post("/register", async (c) => {
      const body = new Uint8Array(await c.req.arrayBuffer());
      let env: AuthContainer;
      let msg;
      try {
        env = openEnvelope(body);
        msg = codec.ZRegisterMsg.decode(env.protectedPayload?.payload ?? new Uint8Array());
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
        this.state.devices.set(uuid, {
          uuid,
          certDer: deviceCert.der,
          certPem: deviceCertPem,
          certHashHex: hash,
          onboardDer: signer.der,
          serial: matched,
          attested: false,
          info: [],
          requests: [],
        });
        return c.body(null, 201);
      }
      if (result === "invalid-cert" || result === "invalid-serial") return c.body(null, 403);
      return c.body(null, 409);
    });

    v2.post("/uuid", async (c) => {
      const auth = await this.authDevice(new Uint8Array(await c.req.arrayBuffer()));
      if (!auth.device) return c.body(null, (auth.status ?? 400) as 400);
      this.log(auth.device, c);
      const resp = codec.UuidResponse.encode({ uuid: auth.device.uuid, manufacturer: "", product_name: "" });
      return this.proto(c, await this.envelope(resp, "uuid"));
    });

    app.route("/api/v2/edgedevice", v2);
    app.route("/admin", this.adminRoutes());
    return app;
  }

  private adminRoutes(): Hono {
    const admin = new Hono();
    admin.post("/onboard", async (c) => {
      if (c.req.header("content-type") !== "application/json") return c.text("bad content type", 400);
      const body = (await c.req.json()) as { Cert: string; Serial: string };
      const pem = utf8.decode(fromBase64(body.Cert));
      const cert = parseCertificatesPem(pem)[0];
      if (!cert) return c.text("bad cert", 400);
      this.state.addOnboard(cert.der, pem, body.Serial.split(",").map((s) => s.trim()).filter(Boolean));
      return c.body(null, 201);
    });
    admin.get("/onboard", (c) => c.text([...this.state.onboard.values()].map((e) => parseCertificatesPem(e.certPem)[0]!.subject).join("\n")));
    admin.delete("/onboard", (c) => {
      this.state.onboard.clear();
      return c.body(null, 200);
    });
    admin.get("/device", (c) => c.text([...this.state.devices.keys()].join("\n")));
    admin.get("/device/:uuid", (c) => {
      const d = this.state.devices.get(c.req.param("uuid"));
      if (!d) return c.text("not found", 404);
      return c.json({
        Cert: toBase64(utf8.encode(d.certPem)),
        Onboard: d.onboardDer ? toBase64(d.onboardDer) : "",
        Serial: d.serial ?? "",
      });
    });
    admin.delete("/device/:uuid", (c) => {
      this.state.devices.delete(c.req.param("uuid"));
      return c.body(null, 200);
    });
    admin.get("/device/:uuid/requests", (c) => {
      const d = this.state.devices.get(c.req.param("uuid"));
      if (!d) return c.text("not found", 404);
      return c.text(d.requests.map((r) => JSON.stringify(r)).join(""));
    });
    return admin;
  }
}
