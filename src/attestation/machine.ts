import { AttestStorageKeysResponseCode, type AttestVolumeKey, AttestVolumeKeyType, EnvelopeError, ZAttestResponseCode } from "../protocol/index.ts";
import { bytesEqual } from "../shared/index.ts";
import { AttestError } from "./errors.ts";
import { AttestState, type AttestStateValue } from "./states.ts";

/*
 * EVE's attestation FSM (eve pkg/pillar/attest/attest.go, an (event, state)
 * table; cmd/zedagent/attesttask.go) as a pure function: `step` never waits,
 * sends or reads anything, it names the effects and the runner performs them,
 * feeding each result back as the next event.
 */

/** What a state is waiting for, where one EVE state waits for several things in turn. */
export type Awaiting = "controller" | "timer" | "vault";

/** EVE's state with the data it carries; `state` is the number info reports. */
export type Phase =
  | { state: typeof AttestState.None }
  | { state: typeof AttestState.NonceWait }
  | { state: typeof AttestState.InternalQuoteWait }
  /** The quote request is kept: transport trouble re-sends the same quote (same nonce). */
  | { state: typeof AttestState.AttestWait; awaiting: "controller" | "timer"; request: Uint8Array }
  /** Quote accepted; the controller's keys are with the vault. `newToken`: announce the token once they are. */
  | { state: typeof AttestState.AttestWait; awaiting: "vault"; newToken: boolean }
  | { state: typeof AttestState.InternalEscrowWait }
  /** `vault`: STORE_KEYS succeeded and the vault is being told; a failure there re-sends the same blob. */
  | { state: typeof AttestState.AttestEscrowWait; awaiting: Awaiting; blob: Uint8Array }
  /** `retry`: a step of this cycle failed; `new-cycle`: a 403 restarts attestation. */
  | { state: typeof AttestState.RestartWait; after: "retry" | "new-cycle" }
  | { state: typeof AttestState.Complete };

export interface AttestOptions {
  /** False without a TPM: escrow is skipped and a cycle completes after the quote. */
  escrowEnabled: boolean;
  /** EVE's fixed 15 s between a failure and the next try. */
  retryMs: number;
}

export interface AttestMachine {
  readonly phase: Phase;
  readonly options: AttestOptions;
  /** Started cycles: the first and one per restart (retries within a cycle do not count). */
  readonly cycles: number;
  /** Quote requests sent, re-sends included. */
  readonly quotes: number;
  /** The integrity token of the last accepted quote; it lives in memory and /run only. */
  readonly token: Uint8Array | undefined;
  /** A 403 on /config for the token held then, acted on when the cycle ends. */
  readonly restart: { token: Uint8Array | undefined } | undefined;
}

export type AttestEvent =
  /** The runner started. */
  | { type: "start" }
  | { type: "nonce"; nonce: Uint8Array }
  /** The TPM quoted the nonce: the encoded ZAttestReq to send. */
  | { type: "quoted"; request: Uint8Array }
  /** The controller's ZAttestQuoteResp. */
  | { type: "quoteVerdict"; code: number; token: Uint8Array; keys: AttestVolumeKey[] }
  /** The vault took the controller's keys; `escrow` is its blob, if it has one now. */
  | { type: "keysAccepted"; escrow: Uint8Array | undefined; error?: unknown }
  /** The vault has an escrow blob (its signal; any state may see it). */
  | { type: "escrowReady"; blob: Uint8Array }
  /** The controller's AttestStorageKeysResp code. */
  | { type: "escrowVerdict"; code: number }
  /** The vault recorded that the controller stored the escrow. */
  | { type: "escrowAcknowledged" }
  /** The request, TPM quote or vault call in progress failed. */
  | { type: "failed"; error: unknown }
  | { type: "timer" }
  /** Config answered 403 to a request that carried `token` (any state may see it). */
  | { type: "restart"; token: Uint8Array | undefined };

export type AttestEffect =
  /** Publish the status if it differs from the last one published. */
  | { type: "publish" }
  /** Record, log and publish a failure that happened in state `in`. */
  | { type: "fail"; error: unknown; in: AttestStateValue }
  /** The controller signing cert did not match: refetch /certs. */
  | { type: "certMiss" }
  | { type: "log"; message: string }
  | { type: "requestNonce" }
  | { type: "quote"; nonce: Uint8Array }
  | { type: "sendQuote"; request: Uint8Array }
  /** Write the token to /run and note the success; `keysOffered` is for the log. */
  | { type: "keepToken"; token: Uint8Array; newValue: boolean; keysOffered: number }
  /** Hand the usable VSK entries to the vault (an empty list: the controller has none). */
  | { type: "acceptKeys"; keys: AttestVolumeKey[] }
  /** A token whose value differs from the one held arrived: config can be asked for again. */
  | { type: "tokenChanged" }
  /** The controller lacks our attestation cert: upload the certs again. */
  | { type: "noCertFound" }
  | { type: "sendEscrow"; token: Uint8Array | undefined; blob: Uint8Array }
  | { type: "acknowledgeEscrow" }
  | { type: "sleep"; ms: number };

export interface Step {
  state: AttestMachine;
  effects: AttestEffect[];
  /** The state was not waiting for this event: nothing changed. */
  ignored?: true;
}

export function initialAttestMachine(options: AttestOptions): AttestMachine {
  return { phase: { state: AttestState.None }, options, cycles: 0, quotes: 0, token: undefined, restart: undefined };
}

/** The next state and the effects to perform for `event` in `m`. */
export function step(m: AttestMachine, event: AttestEvent): Step {
  const p = m.phase;
  switch (event.type) {
    case "restart":
      return restartAsked(m, event.token);
    case "escrowReady":
      return p.state === AttestState.InternalEscrowWait ? sendEscrow(m, event.blob) : ignore(m);
    case "start":
      return p.state === AttestState.None ? askNonce({ ...m, cycles: m.cycles + 1 }) : ignore(m);
    case "nonce":
      if (p.state !== AttestState.NonceWait) return ignore(m);
      if (event.nonce.length === 0) return retryLater(m, new AttestError("attest.response", "nonce response without a nonce"));
      return { state: at(m, { state: AttestState.InternalQuoteWait }), effects: [PUBLISH, { type: "quote", nonce: event.nonce }] };
    case "quoted":
      return p.state === AttestState.InternalQuoteWait ? sendQuote(m, event.request) : ignore(m);
    case "quoteVerdict":
      return p.state === AttestState.AttestWait && p.awaiting === "controller" ? quoteVerdict(m, p.request, event) : ignore(m);
    case "keysAccepted":
      return p.state === AttestState.AttestWait && p.awaiting === "vault" ? keysAccepted(m, p.newToken, event) : ignore(m);
    case "escrowVerdict":
      return p.state === AttestState.AttestEscrowWait && p.awaiting === "controller" ? escrowVerdict(m, p.blob, event.code) : ignore(m);
    case "escrowAcknowledged":
      return p.state === AttestState.AttestEscrowWait && p.awaiting === "vault" ? endOfCycle(m, { state: AttestState.Complete }, true) : ignore(m);
    case "failed":
      return failed(m, event.error);
    case "timer":
      return timer(m);
  }
}

const PUBLISH: AttestEffect = { type: "publish" };

function ignore(m: AttestMachine): Step {
  return { state: m, effects: [], ignored: true };
}

function at(m: AttestMachine, phase: Phase): AttestMachine {
  return { ...m, phase };
}

function askNonce(m: AttestMachine): Step {
  return { state: at(m, { state: AttestState.NonceWait }), effects: [PUBLISH, { type: "requestNonce" }] };
}

function sendQuote(m: AttestMachine, request: Uint8Array): Step {
  const next = { ...at(m, { state: AttestState.AttestWait, awaiting: "controller", request }), quotes: m.quotes + 1 };
  return { state: next, effects: [PUBLISH, { type: "sendQuote", request }] };
}

function sendEscrow(m: AttestMachine, blob: Uint8Array): Step {
  return {
    state: at(m, { state: AttestState.AttestEscrowWait, awaiting: "controller", blob }),
    effects: [PUBLISH, { type: "sendEscrow", token: m.token, blob }],
  };
}

function failure(error: unknown, state: AttestStateValue): AttestEffect[] {
  const certMiss = error instanceof EnvelopeError && error.kind === "envelope.cert-miss";
  return [{ type: "fail", error, in: state }, ...(certMiss ? [{ type: "certMiss" } as const] : [])];
}

/** A failure that ends this try of the cycle: RestartWait, then a new nonce. */
function retryLater(m: AttestMachine, error: unknown, extra: AttestEffect[] = []): Step {
  return {
    state: at(m, { state: AttestState.RestartWait, after: "retry" }),
    effects: [...failure(error, m.phase.state), ...extra, PUBLISH, { type: "sleep", ms: m.options.retryMs }],
  };
}

/** A failure after which the same request is sent again, once the retry time has passed. */
function resendLater(m: AttestMachine, phase: Phase, error: unknown): Step {
  return { state: at(m, phase), effects: [...failure(error, m.phase.state), PUBLISH, { type: "sleep", ms: m.options.retryMs }] };
}

function failed(m: AttestMachine, error: unknown): Step {
  const p = m.phase;
  switch (p.state) {
    case AttestState.NonceWait:
    case AttestState.InternalQuoteWait:
      return retryLater(m, error);
    case AttestState.AttestWait:
      // Transport trouble or a bad envelope re-sends the same quote; only the controller's verdict asks for a new nonce.
      return p.awaiting === "controller" ? resendLater(m, { state: AttestState.AttestWait, awaiting: "timer", request: p.request }, error) : ignore(m);
    case AttestState.AttestEscrowWait:
      return p.awaiting === "timer" ? ignore(m) : resendLater(m, { state: AttestState.AttestEscrowWait, awaiting: "timer", blob: p.blob }, error);
    default:
      return ignore(m);
  }
}

function timer(m: AttestMachine): Step {
  const p = m.phase;
  if (p.state === AttestState.RestartWait) return askNonce(p.after === "new-cycle" ? { ...m, cycles: m.cycles + 1 } : m);
  if (p.state === AttestState.AttestWait && p.awaiting === "timer") return sendQuote(m, p.request);
  if (p.state === AttestState.AttestEscrowWait && p.awaiting === "timer") {
    return { state: at(m, { ...p, awaiting: "controller" }), effects: [{ type: "sendEscrow", token: m.token, blob: p.blob }] };
  }
  return ignore(m);
}

function quoteVerdict(m: AttestMachine, request: Uint8Array, v: Extract<AttestEvent, { type: "quoteVerdict" }>): Step {
  if (v.code === ZAttestResponseCode.Z_ATTEST_RESPONSE_CODE_SUCCESS) {
    const newToken = m.token === undefined || !bytesEqual(m.token, v.token);
    const usable = v.keys.filter((k) => k.key_type === AttestVolumeKeyType.ATTEST_VOLUME_KEY_TYPE_VSK && k.key.length > 0);
    return {
      state: { ...at(m, { state: AttestState.AttestWait, awaiting: "vault", newToken }), token: v.token },
      effects: [
        { type: "keepToken", token: v.token, newValue: newToken, keysOffered: v.keys.length },
        { type: "acceptKeys", keys: usable },
      ],
    };
  }
  if (v.code === ZAttestResponseCode.Z_ATTEST_RESPONSE_CODE_INVALID) {
    const error = new AttestError("attest.response", "controller answered the quote with INVALID");
    return resendLater(m, { state: AttestState.AttestWait, awaiting: "timer", request }, error);
  }
  const error = new AttestError("attest.refused", `controller refused the quote: ${responseCodeName(v.code)}`);
  // Beyond EVE: a controller that lost (or never stored) the certs would otherwise refuse every quote.
  const noCert = v.code === ZAttestResponseCode.Z_ATTEST_RESPONSE_CODE_NO_CERT_FOUND;
  return retryLater(m, error, noCert ? [{ type: "noCertFound" }] : []);
}

function keysAccepted(m: AttestMachine, newToken: boolean, e: Extract<AttestEvent, { type: "keysAccepted" }>): Step {
  // The token is announced after the keys, so a config fetched with it finds the vault unlocked when it can be.
  const before: AttestEffect[] = [...(e.error !== undefined ? failure(e.error, m.phase.state) : []), ...(newToken ? [{ type: "tokenChanged" } as const] : [])];
  let next: Step;
  if (!m.options.escrowEnabled) next = endOfCycle(m, { state: AttestState.Complete }, true);
  else if (e.escrow) next = sendEscrow(m, e.escrow);
  else next = endOfCycle(m, { state: AttestState.InternalEscrowWait }, true);
  return { state: next.state, effects: [...before, ...next.effects] };
}

function escrowVerdict(m: AttestMachine, blob: Uint8Array, code: number): Step {
  if (code === AttestStorageKeysResponseCode.ATTEST_STORAGE_KEYS_RESPONSE_CODE_SUCCESS) {
    return { state: at(m, { state: AttestState.AttestEscrowWait, awaiting: "vault", blob }), effects: [{ type: "acknowledgeEscrow" }] };
  }
  if (code === AttestStorageKeysResponseCode.ATTEST_STORAGE_KEYS_RESPONSE_CODE_ITOKEN_MISMATCH) {
    return retryLater(m, new AttestError("attest.escrow", "controller refused the escrow: integrity token mismatch"));
  }
  const error = new AttestError("attest.escrow", "controller answered the escrow with INVALID");
  return resendLater(m, { state: AttestState.AttestEscrowWait, awaiting: "timer", blob }, error);
}

/**
 * A 403 counts once a quote went out this boot (EVE). Mid-cycle it waits
 * for the cycle's end; a cycle that ended (Complete, or waiting for the
 * vault's escrow) restarts now.
 */
function restartAsked(m: AttestMachine, token: Uint8Array | undefined): Step {
  if (m.quotes === 0) return ignore(m);
  const asked = { ...m, restart: { token } };
  const p = m.phase;
  if (p.state === AttestState.Complete || p.state === AttestState.InternalEscrowWait) return endOfCycle(asked, p, false);
  return { state: asked, effects: [] };
}

/** The 403 was for the token held now; one for a token this boot has since replaced asks for nothing. */
function restartDue(restart: { token: Uint8Array | undefined }, held: Uint8Array | undefined): boolean {
  if (held === undefined) return true;
  return restart.token !== undefined && bytesEqual(restart.token, held);
}

/** The cycle rests in `idle` (Complete or InternalEscrowWait) unless a pending restart is due. */
function endOfCycle(m: AttestMachine, idle: Phase, entering: boolean): Step {
  const publish: AttestEffect[] = entering ? [PUBLISH] : [];
  if (!m.restart) return { state: at(m, idle), effects: publish };
  if (restartDue(m.restart, m.token)) {
    return {
      state: { ...at(m, { state: AttestState.RestartWait, after: "new-cycle" }), restart: undefined },
      effects: [{ type: "log", message: "attestation restarting" }, PUBLISH, { type: "sleep", ms: m.options.retryMs }],
    };
  }
  return {
    state: { ...at(m, idle), restart: undefined },
    effects: [{ type: "log", message: "restart not needed: the 403 was for a token attestation has since replaced" }, ...publish],
  };
}

function responseCodeName(code: number): string {
  return Object.entries(ZAttestResponseCode).find(([, v]) => v === code)?.[0] ?? String(code);
}
