import {
  type ControllerCertStore,
  ControllerCertsError,
  type ControllerClient,
  type ControllerReply,
  mediaType,
  normalizeUuid,
  TransportError,
} from "../controller/index.ts";
import { hardwareModel, type KeyIdentity } from "../identity/index.ts";
import { codec, EnvelopeError, registerSenderCert, verifyEnvelope } from "../protocol/index.ts";
import { AgentError, Backoff, errorChain, type Logger, sleep } from "../shared/index.ts";
import type { DeviceLayout } from "../state/index.ts";
import { persistOnboarding } from "./persist.ts";
import type { DeviceUuid } from "./uuid.ts";

export class OnboardingError extends AgentError {
  constructor(kind: "onboarding.uuid-response" | "onboarding.certs" | "onboarding.aborted", message: string, options?: { cause?: unknown }) {
    super(kind, message, options);
  }
}

export type OnboardingPhase = "starting" | "fetching-certs" | "registering" | "requesting-uuid" | "waiting" | "onboarded";

export interface OnboardingStatus {
  phase: OnboardingPhase;
  uuid?: string;
  via?: "controller" | "fast-path";
  attempts: number;
  lastRegisterStatus?: number;
  lastError?: { kind: string; message: string; at: string };
}

export interface OnboardingDeps {
  layout: DeviceLayout;
  client: ControllerClient;
  certs: ControllerCertStore;
  device: KeyIdentity;
  onboarding?: KeyIdentity & { pemFile: Uint8Array };
  /** The device UUID every service reads; this onboarder is its only writer. Its value at start (from an earlier boot) enables the offline fast path. */
  uuid: DeviceUuid;
  log: Logger;
  backoff: { initialMs: number; maxMs: number };
  fastPathMs: number;
  onStatus: (s: OnboardingStatus) => void;
  /** A GET /certs already under way (fetchControllerCerts), taken as the loop's first one. */
  certsFetch?: Promise<CertsFetchOutcome>;
}

/** One GET /certs and its verification; `reply` whenever the controller answered, `error` when it did not end verified. */
export interface CertsFetchOutcome {
  reply?: ControllerReply;
  error?: unknown;
}

/**
 * EVE's first onboarding request on its own: it needs no device key, so
 * start-up sends it while the TPM opens rather than after. Never rejects;
 * the onboarder judges the outcome as if it had sent the request itself.
 */
export async function fetchControllerCerts(client: ControllerClient, certs: ControllerCertStore): Promise<CertsFetchOutcome> {
  let reply: ControllerReply;
  try {
    reply = await client.get("certs");
  } catch (error) {
    return { error };
  }
  if (reply.status !== 200 && reply.status !== 201) return { reply, error: new OnboardingError("onboarding.certs", `GET /certs answered ${reply.status}`) };
  try {
    await certs.acceptResponse(reply.body);
  } catch (error) {
    return { reply, error };
  }
  return { reply };
}

export interface OnboardingResult {
  uuid: string;
  via: "controller" | "fast-path";
  /**
   * After the fast path: the online loop still running, resolving once the
   * controller confirmed (or changed) the UUID. The caller must await it
   * (it ends when the run's signal aborts).
   */
  confirmation?: Promise<void>;
}

const UUID_CONTENT_TYPES = new Set(["application/x-proto-binary", "application/json", "text/plain"]);

/**
 * EVE's zedclient loop (docs/state-machines.md#onboarding): /certs until verified once,
 * /register while onboarding files exist (outcome only logged), /uuid until
 * a verified UuidResponse arrives; retried forever with capped backoff.
 */
export class Onboarder {
  private status: OnboardingStatus = { phase: "starting", attempts: 0 };
  /**
   * Set once anything that speaks for the controller answered this boot: an
   * HTTP reply below 500, a refused TLS certificate or /certs chain, an
   * envelope that failed verification. After that the device must not come
   * up on its checkpoints, because the controller is there and said no (or
   * something is impersonating it). 5xx replies do not count: that is a
   * proxy or load balancer reporting the controller unavailable.
   */
  private controllerAnswered = false;
  private certsFetch: Promise<CertsFetchOutcome> | undefined;
  constructor(private readonly deps: OnboardingDeps) {
    this.certsFetch = deps.certsFetch;
  }

  private set(patch: Partial<OnboardingStatus>): void {
    this.status = { ...this.status, ...patch };
    this.deps.onStatus(this.status);
  }

  private fail(err: unknown): void {
    if (spokeForController(err)) this.controllerAnswered = true;
    const kind = err instanceof AgentError ? err.kind : "onboarding.unexpected";
    const message = errorChain(err);
    this.deps.log.warn("onboarding attempt failed", { kind, error: message });
    this.set({ lastError: { kind, message, at: new Date().toISOString() } });
  }

  private noteReply(reply: ControllerReply): void {
    if (reply.status < 500) this.controllerAnswered = true;
  }

  /**
   * Resolves with the UUID confirmed by the controller, or with the UUID of
   * an earlier boot when no controller answered within fastPathMs (the
   * controller cert checkpoint must exist). In the latter case the online
   * loop goes on as `confirmation` and publishes any UUID it gets.
   */
  async run(signal: AbortSignal): Promise<OnboardingResult> {
    this.set({ phase: "starting" });
    const previous = this.deps.uuid.value;
    const online = this.loop(signal);
    if (!previous) return online;
    let timer: ReturnType<typeof setTimeout> | undefined;
    const fast = new Promise<"fast">((resolve) => {
      timer = setTimeout(() => resolve("fast"), this.deps.fastPathMs);
    });
    try {
      for (;;) {
        const winner = await Promise.race([online, fast]);
        if (winner !== "fast") return winner;
        if (signal.aborted) return await online;
        if (this.controllerAnswered || !this.deps.certs.certs) {
          this.deps.log.info("no offline fast path: the controller answered or no controller cert checkpoint", {
            controllerAnswered: this.controllerAnswered,
          });
          return await online;
        }
        this.deps.log.info("onboarding fast path: controller unreachable, using persisted UUID and controller cert checkpoint", { uuid: previous });
        this.set({ uuid: previous, via: "fast-path" });
        return { uuid: previous, via: "fast-path", confirmation: online.then(() => undefined) };
      }
    } finally {
      clearTimeout(timer);
    }
  }

  /** Persists a UUID the controller gave and publishes it to every service. */
  private adopt(uuid: string, model: string | undefined): void {
    this.deps.log.info("persisting onboarding result", { uuid });
    persistOnboarding(this.deps.layout, { uuid, ...(model ? { hardwareModel: model } : {}) });
    this.deps.client.setDeviceUuid(uuid);
    this.deps.uuid.set(uuid);
  }

  private async loop(signal: AbortSignal): Promise<{ uuid: string; via: "controller" }> {
    const backoff = new Backoff(this.deps.backoff.initialMs, this.deps.backoff.maxMs);
    let certsFresh = false;
    while (!signal.aborted) {
      this.set({ attempts: this.status.attempts + 1 });
      try {
        if (!certsFresh) {
          this.set({ phase: "fetching-certs" });
          await this.fetchCerts();
          certsFresh = true;
        }
        if (this.deps.onboarding) {
          this.set({ phase: "registering" });
          try {
            await this.register(this.deps.onboarding);
          } catch (e) {
            // EVE's selfRegister turns every failure, a dropped connection
            // included, into "not done" and still asks /uuid in the same tick.
            // A controller that already knows the device may choke on the
            // repeat /register (Adam v0.1.3 panics and drops the connection),
            // so letting this skip /uuid would keep such a device offline.
            if (isControllerCertFailure(e)) certsFresh = false;
            this.set({ lastRegisterStatus: undefined });
            this.fail(e);
          }
        }
        this.set({ phase: "requesting-uuid" });
        let result: Awaited<ReturnType<Onboarder["tryUuid"]>>;
        try {
          result = await this.tryUuid();
        } catch (e) {
          // EVE sends a second /uuid in the same tick when self-registering, since the
          // controller may only just have created the device.
          if (!this.deps.onboarding) throw e;
          this.fail(e);
          result = await this.tryUuid();
        }
        if (result.uuid) {
          this.adopt(result.uuid, result.model);
          this.set({ phase: "onboarded", uuid: result.uuid, via: "controller" });
          this.deps.log.info("onboarded", { uuid: result.uuid });
          return { uuid: result.uuid, via: "controller" };
        }
        if (result.certMiss) {
          certsFresh = false;
          this.deps.certs.invalidate();
          await sleep(1000, signal);
          continue;
        }
      } catch (e) {
        if (isControllerCertFailure(e)) certsFresh = false;
        this.fail(e);
      }
      this.set({ phase: "waiting" });
      await sleep(backoff.next(), signal);
    }
    throw new OnboardingError("onboarding.aborted", "onboarding stopped before completion");
  }

  /**
   * Asks /uuid again after config answered 404/400 (the controller may have
   * re-created the device); persists and returns a UUID that changed.
   */
  async recheckUuid(): Promise<string | undefined> {
    try {
      const r = await this.tryUuid();
      if (r.uuid && r.uuid !== this.deps.uuid.value) {
        this.deps.log.warn("controller assigned a new device UUID", { old: this.deps.uuid.value, new: r.uuid });
        this.adopt(r.uuid, r.model);
        this.set({ uuid: r.uuid, via: "controller" });
      }
      return r.uuid;
    } catch (e) {
      this.fail(e);
      return undefined;
    }
  }

  private async fetchCerts(): Promise<void> {
    const early = this.certsFetch;
    this.certsFetch = undefined;
    const { reply, error } = await (early ?? fetchControllerCerts(this.deps.client, this.deps.certs));
    if (reply) this.noteReply(reply);
    if (error !== undefined) throw error;
  }

  private async register(onb: KeyIdentity & { pemFile: Uint8Array }): Promise<void> {
    const msg = codec.ZRegisterMsg.encode({
      onBoardKey: "",
      pemCert: registerSenderCert(this.deps.device.certificate.pem),
      serial: this.deps.client.serials().serial ?? "",
      softSerial: this.deps.client.serials().softSerial ?? "",
    });
    const reply = await this.deps.client.post("register", msg, {
      signer: onb,
      certDer: onb.certificate.der,
      senderCert: registerSenderCert(onb.pemFile),
    });
    this.noteReply(reply);
    this.set({ lastRegisterStatus: reply.status });
    // EVE only uses the register result for LEDs; /uuid decides whether onboarding is done.
    this.deps.log.info("register answered", { status: reply.status, outcome: registerMeaning(reply.status) });
  }

  private async tryUuid(): Promise<{ uuid?: string; model?: string; certMiss?: boolean }> {
    const signing = this.deps.certs.certs?.signing;
    if (!signing) return { certMiss: true };
    const reply = await this.deps.client.post("uuid", codec.UuidRequest.encode({}), {
      signer: this.deps.device,
      certDer: this.deps.device.certificate.der,
    });
    this.noteReply(reply);
    try {
      return await this.parseUuidReply(reply, signing);
    } catch (e) {
      if (e instanceof EnvelopeError && e.kind === "envelope.cert-miss") {
        this.fail(e);
        return { certMiss: true };
      }
      throw e;
    }
  }

  private async parseUuidReply(reply: ControllerReply, signing: NonNullable<ControllerCertStore["certs"]>["signing"]) {
    if (reply.status !== 200 && reply.status !== 201) {
      throw new OnboardingError("onboarding.uuid-response", `POST /uuid answered ${reply.status}`);
    }
    if (reply.body.length === 0) throw new OnboardingError("onboarding.uuid-response", "POST /uuid answered with an empty body");
    const ct = mediaType(reply.headers["content-type"]);
    if (!ct || !UUID_CONTENT_TYPES.has(ct)) {
      throw new OnboardingError("onboarding.uuid-response", `POST /uuid answered with content type ${ct ?? "(none)"}`);
    }
    const payload = await verifyEnvelope(reply.body, { pem: signing.pem, publicKey: signing.publicKey });
    const resp = codec.UuidResponse.decode(payload);
    let uuid: string;
    try {
      uuid = normalizeUuid(resp.uuid);
    } catch (e) {
      throw new OnboardingError("onboarding.uuid-response", "UuidResponse does not carry a valid UUID", { cause: e });
    }
    const model = resp.manufacturer && resp.product_name ? hardwareModel(resp.manufacturer, resp.product_name) : undefined;
    return { uuid, ...(model ? { model } : {}) };
  }
}

const UNREACHABLE = new Set(["controller.dial-timeout", "controller.timeout", "controller.refused", "controller.network", "controller.aborted"]);

/**
 * A failure that means a peer answered in the controller's name: a TLS or
 * /certs chain refusal, an envelope that did not verify, an oversized body.
 * HTTP statuses are counted where the reply arrives (noteReply).
 */
function spokeForController(e: unknown): boolean {
  if (e instanceof TransportError) return !UNREACHABLE.has(e.kind);
  return e instanceof ControllerCertsError || e instanceof EnvelopeError;
}

/** The controller's certs (TLS or /certs chain) were refused, so /certs must be fetched again. */
function isControllerCertFailure(e: unknown): boolean {
  return e instanceof ControllerCertsError || (e instanceof TransportError && e.kind.startsWith("controller.cert"));
}

function registerMeaning(status: number): string {
  if (status === 200 || status === 201) return "onboarded";
  if (status === 403) return "not found (onboarding cert or serial unknown)";
  if (status === 409 || status === 304) return "conflict (already registered)";
  return "failure";
}
