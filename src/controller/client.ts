import { deviceCertHash, sealEnvelope } from "../protocol/index.ts";
import type { Logger, P256Signer } from "../shared/index.ts";
import { classifyStatus, type Outcome, PROTO_CONTENT_TYPE } from "./classify.ts";
import { type HttpRequest, type HttpResponse, httpExchange, TransportError, type TransportOptions } from "./transport.ts";
import { actionUrl } from "./url.ts";
import type { WireDump } from "./wiredump.ts";

/** The key an envelope is signed with: the device key, or the onboarding key for /register. */
export interface EnvelopeKey {
  signer: P256Signer;
  certDer: Uint8Array;
  /** Set only for /register: base64 of the onboarding PEM file, as EVE sends it. */
  senderCert?: Uint8Array;
}

export interface ControllerReply extends HttpResponse {
  action: string;
  outcome: Outcome;
}

export interface ControllerClientOptions {
  base: URL;
  transport: TransportOptions;
  log: Logger;
  wireDump?: WireDump;
  /** Hardware serial and soft serial, sent only while the device UUID is unknown. */
  serials: () => { serial?: string; softSerial?: string };
  /** Called when an exchange ends: its action, the HTTP status (undefined: no answer) and how long it took (metrics). */
  onExchange?: (action: string, status: number | undefined, ms: number) => void;
}

export class ControllerClient {
  constructor(
    private readonly opts: ControllerClientOptions,
    private readonly shared: { uuid: string | undefined; sessions: Map<string, Buffer> } = { uuid: undefined, sessions: new Map() },
    private readonly signal?: AbortSignal,
  ) {}

  /**
   * The same client (same device UUID) whose requests are also aborted by
   * `signal`, so a group of services that stops does not wait out requests
   * in flight.
   */
  scoped(signal: AbortSignal): ControllerClient {
    return new ControllerClient(this.opts, this.shared, this.signal ? AbortSignal.any([this.signal, signal]) : signal);
  }

  setDeviceUuid(uuid: string | undefined): void {
    this.shared.uuid = uuid;
  }

  get deviceUuid(): string | undefined {
    return this.shared.uuid;
  }

  serials(): { serial?: string; softSerial?: string } {
    return this.opts.serials();
  }

  get(action: string): Promise<ControllerReply> {
    return this.exchange(action, undefined);
  }

  async post(action: string, payload: Uint8Array, key: EnvelopeKey): Promise<ControllerReply> {
    // Re-signed on every attempt, as EVE does; the envelope is cheap next to the round trip.
    const body = await sealEnvelope(payload, key.signer, {
      senderCertHash: deviceCertHash(key.certDer),
      ...(key.senderCert ? { senderCert: key.senderCert } : {}),
    });
    return this.exchange(action, body);
  }

  private async exchange(action: string, body: Uint8Array | undefined): Promise<ControllerReply> {
    const headers: Record<string, string> = { "X-Request-Id": crypto.randomUUID() };
    if (body) headers["Content-Type"] = PROTO_CONTENT_TYPE;
    if (!this.shared.uuid) {
      const { serial, softSerial } = this.serials();
      if (serial) headers["X-Serial-Number"] = serial;
      if (softSerial) headers["X-Soft-Serial"] = softSerial;
    }
    const req: HttpRequest = {
      method: body ? "POST" : "GET",
      url: actionUrl(this.opts.base, action, this.shared.uuid),
      headers,
      ...(body ? { body } : {}),
    };
    const seq = this.opts.wireDump?.begin();
    const started = performance.now();
    try {
      const res = await httpExchange(req, { sessions: this.shared.sessions, ...this.opts.transport }, this.signal);
      this.opts.onExchange?.(action, res.status, performance.now() - started);
      if (seq !== undefined) this.opts.wireDump!.record(seq, action, req, res);
      const outcome = classifyStatus(res.status);
      this.opts.log.debug("controller exchange", { action, status: res.status, outcome, requestId: headers["X-Request-Id"] });
      return { ...res, action, outcome };
    } catch (e) {
      this.opts.onExchange?.(action, undefined, performance.now() - started);
      if (seq !== undefined) this.opts.wireDump!.record(seq, action, req, undefined, (e as Error).message);
      if (e instanceof TransportError) throw e;
      throw new TransportError("controller.network", (e as Error).message, { cause: e });
    }
  }
}
