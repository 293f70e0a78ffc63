import { describe, expect, test } from "bun:test";
import { AttestStorageKeysResponseCode, type AttestVolumeKey, AttestVolumeKeyType, EnvelopeError, ZAttestResponseCode } from "../protocol/index.ts";
import { AgentError, utf8 } from "../shared/index.ts";
import { type AttestEffect, type AttestEvent, type AttestMachine, initialAttestMachine, type Phase, type Step, step } from "./machine.ts";
import { AttestState, attestStateName } from "./states.ts";

const T1 = utf8.encode("token-one");
const T2 = utf8.encode("token-two");
const REQUEST = utf8.encode("quote-request");
const BLOB = utf8.encode("escrow-blob");
const RETRY_MS = 15_000;
const vsk = (key: Uint8Array): AttestVolumeKey => ({ key_type: AttestVolumeKeyType.ATTEST_VOLUME_KEY_TYPE_VSK, key, has_policy_pcr_list: false });

/** A machine in `phase` after one quote this boot, holding T1, with no restart pending. */
function inPhase(phase: Phase, over: Partial<AttestMachine> = {}): AttestMachine {
  return { ...initialAttestMachine({ escrowEnabled: true, retryMs: RETRY_MS }), phase, cycles: 1, quotes: 1, token: T1, ...over };
}

const ROWS: Record<string, AttestMachine> = {
  None: initialAttestMachine({ escrowEnabled: true, retryMs: RETRY_MS }),
  NonceWait: inPhase({ state: AttestState.NonceWait }),
  InternalQuoteWait: inPhase({ state: AttestState.InternalQuoteWait }),
  "AttestWait/controller": inPhase({ state: AttestState.AttestWait, awaiting: "controller", request: REQUEST }),
  "AttestWait/timer": inPhase({ state: AttestState.AttestWait, awaiting: "timer", request: REQUEST }),
  "AttestWait/vault": inPhase({ state: AttestState.AttestWait, awaiting: "vault", newToken: true }),
  InternalEscrowWait: inPhase({ state: AttestState.InternalEscrowWait }),
  "AttestEscrowWait/controller": inPhase({ state: AttestState.AttestEscrowWait, awaiting: "controller", blob: BLOB }),
  "AttestEscrowWait/timer": inPhase({ state: AttestState.AttestEscrowWait, awaiting: "timer", blob: BLOB }),
  "AttestEscrowWait/vault": inPhase({ state: AttestState.AttestEscrowWait, awaiting: "vault", blob: BLOB }),
  "RestartWait/retry": inPhase({ state: AttestState.RestartWait, after: "retry" }),
  "RestartWait/new-cycle": inPhase({ state: AttestState.RestartWait, after: "new-cycle" }),
  Complete: inPhase({ state: AttestState.Complete }),
};

const EVENTS: Record<string, AttestEvent> = {
  start: { type: "start" },
  nonce: { type: "nonce", nonce: utf8.encode("twelve-bytes") },
  "nonce(empty)": { type: "nonce", nonce: new Uint8Array() },
  quoted: { type: "quoted", request: REQUEST },
  "quote SUCCESS": { type: "quoteVerdict", code: ZAttestResponseCode.Z_ATTEST_RESPONSE_CODE_SUCCESS, token: T2, keys: [] },
  "quote INVALID": { type: "quoteVerdict", code: ZAttestResponseCode.Z_ATTEST_RESPONSE_CODE_INVALID, token: new Uint8Array(), keys: [] },
  "quote NONCE_MISMATCH": { type: "quoteVerdict", code: ZAttestResponseCode.Z_ATTEST_RESPONSE_CODE_NONCE_MISMATCH, token: new Uint8Array(), keys: [] },
  "quote NO_CERT_FOUND": { type: "quoteVerdict", code: ZAttestResponseCode.Z_ATTEST_RESPONSE_CODE_NO_CERT_FOUND, token: new Uint8Array(), keys: [] },
  "quote QUOTE_FAILED": { type: "quoteVerdict", code: ZAttestResponseCode.Z_ATTEST_RESPONSE_CODE_QUOTE_FAILED, token: new Uint8Array(), keys: [] },
  "keys(blob)": { type: "keysAccepted", escrow: BLOB },
  "keys(no blob)": { type: "keysAccepted", escrow: undefined },
  "keys(error)": { type: "keysAccepted", escrow: undefined, error: new AgentError("vault.tpm", "unseal failed") },
  escrowReady: { type: "escrowReady", blob: BLOB },
  "escrow SUCCESS": { type: "escrowVerdict", code: AttestStorageKeysResponseCode.ATTEST_STORAGE_KEYS_RESPONSE_CODE_SUCCESS },
  "escrow ITOKEN_MISMATCH": { type: "escrowVerdict", code: AttestStorageKeysResponseCode.ATTEST_STORAGE_KEYS_RESPONSE_CODE_ITOKEN_MISMATCH },
  "escrow INVALID": { type: "escrowVerdict", code: AttestStorageKeysResponseCode.ATTEST_STORAGE_KEYS_RESPONSE_CODE_INVALID },
  escrowAcknowledged: { type: "escrowAcknowledged" },
  failed: { type: "failed", error: new AgentError("attest.http", "POST /attest answered 500") },
  "failed(cert-miss)": { type: "failed", error: new EnvelopeError("envelope.cert-miss", "no verified controller signing cert") },
  timer: { type: "timer" },
  "restart(held token)": { type: "restart", token: T1 },
  "restart(replaced token)": { type: "restart", token: utf8.encode("token-zero") },
};

const RECORD_RESTART = ["restart(held token)", "restart(replaced token)"];
const retry = "RestartWait/retry: fail publish sleep";
const recorded = (label: string) => Object.fromEntries(RECORD_RESTART.map((e) => [e, `${label}:`]));

/**
 * Every state x every event: the next state (with what it waits for) and
 * the effect types, in order. A cell not listed is an event the state does
 * not wait for, which must leave the machine untouched with no effects.
 */
const TABLE: Record<keyof typeof ROWS, Partial<Record<keyof typeof EVENTS, string>>> = {
  None: { start: "NonceWait: publish requestNonce" },
  NonceWait: {
    nonce: "InternalQuoteWait: publish quote",
    "nonce(empty)": retry,
    failed: retry,
    "failed(cert-miss)": "RestartWait/retry: fail certMiss publish sleep",
    ...recorded("NonceWait"),
  },
  InternalQuoteWait: {
    quoted: "AttestWait/controller: publish sendQuote",
    failed: retry,
    "failed(cert-miss)": "RestartWait/retry: fail certMiss publish sleep",
    ...recorded("InternalQuoteWait"),
  },
  "AttestWait/controller": {
    "quote SUCCESS": "AttestWait/vault: keepToken acceptKeys",
    "quote INVALID": "AttestWait/timer: fail publish sleep",
    "quote NONCE_MISMATCH": retry,
    "quote NO_CERT_FOUND": "RestartWait/retry: fail noCertFound publish sleep",
    "quote QUOTE_FAILED": retry,
    failed: "AttestWait/timer: fail publish sleep",
    "failed(cert-miss)": "AttestWait/timer: fail certMiss publish sleep",
    ...recorded("AttestWait/controller"),
  },
  "AttestWait/timer": { timer: "AttestWait/controller: publish sendQuote", ...recorded("AttestWait/timer") },
  "AttestWait/vault": {
    "keys(blob)": "AttestEscrowWait/controller: tokenChanged publish sendEscrow",
    "keys(no blob)": "InternalEscrowWait: tokenChanged publish",
    "keys(error)": "InternalEscrowWait: fail tokenChanged publish",
    ...recorded("AttestWait/vault"),
  },
  InternalEscrowWait: {
    escrowReady: "AttestEscrowWait/controller: publish sendEscrow",
    "restart(held token)": "RestartWait/new-cycle: log publish sleep",
    "restart(replaced token)": "InternalEscrowWait: log",
  },
  "AttestEscrowWait/controller": {
    "escrow SUCCESS": "AttestEscrowWait/vault: acknowledgeEscrow",
    "escrow ITOKEN_MISMATCH": retry,
    "escrow INVALID": "AttestEscrowWait/timer: fail publish sleep",
    failed: "AttestEscrowWait/timer: fail publish sleep",
    "failed(cert-miss)": "AttestEscrowWait/timer: fail certMiss publish sleep",
    ...recorded("AttestEscrowWait/controller"),
  },
  "AttestEscrowWait/timer": { timer: "AttestEscrowWait/controller: sendEscrow", ...recorded("AttestEscrowWait/timer") },
  "AttestEscrowWait/vault": {
    escrowAcknowledged: "Complete: publish",
    failed: "AttestEscrowWait/timer: fail publish sleep",
    "failed(cert-miss)": "AttestEscrowWait/timer: fail certMiss publish sleep",
    ...recorded("AttestEscrowWait/vault"),
  },
  "RestartWait/retry": { timer: "NonceWait: publish requestNonce", ...recorded("RestartWait/retry") },
  "RestartWait/new-cycle": { timer: "NonceWait: publish requestNonce", ...recorded("RestartWait/new-cycle") },
  Complete: {
    "restart(held token)": "RestartWait/new-cycle: log publish sleep",
    "restart(replaced token)": "Complete: log",
  },
};

function phaseName(p: Phase): string {
  const name = attestStateName(p.state);
  if ("awaiting" in p) return `${name}/${p.awaiting}`;
  if ("after" in p) return `${name}/${p.after}`;
  return name;
}

function summary(s: Step): string {
  if (s.ignored) return "ignored";
  return `${phaseName(s.state.phase)}: ${s.effects.map((e) => e.type).join(" ")}`.trim();
}

/** Deep-freezes a machine so a step that mutated its input would throw. */
function frozen<T>(v: T): T {
  if (v && typeof v === "object" && !(v instanceof Uint8Array)) {
    for (const x of Object.values(v)) frozen(x);
    Object.freeze(v);
  }
  return v;
}

const effect = <K extends AttestEffect["type"]>(s: Step, type: K) => s.effects.find((e) => e.type === type) as Extract<AttestEffect, { type: K }>;

describe("attestation step", () => {
  const cells = Object.keys(ROWS).flatMap((row) => Object.keys(EVENTS).map((ev) => [row, ev] as const));
  test.each(cells)("%s + %s gives the tabled next state and effects", (row, ev) => {
    const before = frozen(ROWS[row]!);
    const s = step(before, EVENTS[ev]!);
    const want = TABLE[row]![ev] ?? "ignored";
    expect(summary(s)).toBe(want);
    if (s.ignored) {
      expect(s.state).toBe(before);
      expect(s.effects).toEqual([]);
    }
  });

  test("runs a whole cycle with escrow, counting one cycle and one quote and holding the new token", () => {
    let m = initialAttestMachine({ escrowEnabled: true, retryMs: RETRY_MS });
    m = step(m, EVENTS.start!).state;
    m = step(m, EVENTS.nonce!).state;
    const sent = step(m, EVENTS.quoted!);
    expect(effect(sent, "sendQuote").request).toBe(REQUEST);
    const accepted = step(sent.state, {
      type: "quoteVerdict",
      code: ZAttestResponseCode.Z_ATTEST_RESPONSE_CODE_SUCCESS,
      token: T2,
      keys: [vsk(BLOB), vsk(new Uint8Array())],
    });
    expect(effect(accepted, "keepToken")).toEqual({ type: "keepToken", token: T2, newValue: true, keysOffered: 2 });
    // Only VSK entries with a key go to the vault.
    expect(effect(accepted, "acceptKeys").keys).toEqual([vsk(BLOB)]);
    expect(accepted.state.token).toBe(T2);
    const escrow = step(accepted.state, { type: "keysAccepted", escrow: BLOB });
    expect(effect(escrow, "sendEscrow")).toEqual({ type: "sendEscrow", token: T2, blob: BLOB });
    const acked = step(step(escrow.state, EVENTS["escrow SUCCESS"]!).state, EVENTS.escrowAcknowledged!);
    expect(acked.state).toMatchObject({ phase: { state: AttestState.Complete }, cycles: 1, quotes: 1, token: T2, restart: undefined });
  });

  test("completes after the keys when escrow is disabled", () => {
    const m = inPhase({ state: AttestState.AttestWait, awaiting: "vault", newToken: false }, { options: { escrowEnabled: false, retryMs: RETRY_MS } });
    expect(summary(step(m, { type: "keysAccepted", escrow: undefined }))).toBe("Complete: publish");
  });

  test("does not announce a token whose value it already holds", () => {
    const same = step(ROWS["AttestWait/controller"]!, {
      type: "quoteVerdict",
      code: ZAttestResponseCode.Z_ATTEST_RESPONSE_CODE_SUCCESS,
      token: utf8.encode("token-one"),
      keys: [],
    });
    expect(effect(same, "keepToken").newValue).toBe(false);
    expect(summary(step(same.state, { type: "keysAccepted", escrow: BLOB }))).toBe("AttestEscrowWait/controller: publish sendEscrow");
  });

  test("re-sends the same quote after transport trouble and counts each send", () => {
    const failed = step(ROWS["AttestWait/controller"]!, EVENTS.failed!);
    expect(effect(failed, "sleep").ms).toBe(RETRY_MS);
    const again = step(failed.state, EVENTS.timer!);
    expect(effect(again, "sendQuote").request).toBe(REQUEST);
    expect(again.state.quotes).toBe(2);
  });

  test("re-sends the same escrow blob with the held token after an INVALID answer", () => {
    const invalid = step(ROWS["AttestEscrowWait/controller"]!, EVENTS["escrow INVALID"]!);
    expect(effect(invalid, "fail").error).toMatchObject({ kind: "attest.escrow" });
    expect(effect(step(invalid.state, EVENTS.timer!), "sendEscrow")).toEqual({ type: "sendEscrow", token: T1, blob: BLOB });
  });

  test("names the failing state and the error kind in the fail effect", () => {
    const refused = step(ROWS["AttestWait/controller"]!, EVENTS["quote NONCE_MISMATCH"]!);
    expect(effect(refused, "fail")).toMatchObject({
      in: AttestState.AttestWait,
      error: { kind: "attest.refused", message: "controller refused the quote: Z_ATTEST_RESPONSE_CODE_NONCE_MISMATCH" },
    });
    expect(effect(step(ROWS.NonceWait!, EVENTS["nonce(empty)"]!), "fail")).toMatchObject({ in: AttestState.NonceWait, error: { kind: "attest.response" } });
    expect(effect(step(ROWS["AttestEscrowWait/controller"]!, EVENTS["escrow ITOKEN_MISMATCH"]!), "fail").error).toMatchObject({ kind: "attest.escrow" });
  });

  test("counts a new cycle after a restart but not after a retry within the cycle", () => {
    expect(step(ROWS["RestartWait/new-cycle"]!, EVENTS.timer!).state.cycles).toBe(2);
    expect(step(ROWS["RestartWait/retry"]!, EVENTS.timer!).state.cycles).toBe(1);
    expect(step(ROWS.None!, EVENTS.start!).state.cycles).toBe(1);
  });

  test("ignores a 403 before any quote went out this boot", () => {
    const m = inPhase({ state: AttestState.NonceWait }, { quotes: 0, token: undefined });
    expect(step(m, { type: "restart", token: undefined }).ignored).toBe(true);
  });

  test("restarts when the cycle ends if the 403 asked for mid-cycle was for the token the cycle brought back", () => {
    let m = step(ROWS["AttestWait/controller"]!, { type: "restart", token: T1 }).state;
    expect(m.restart).toEqual({ token: T1 });
    m = step(m, { type: "quoteVerdict", code: ZAttestResponseCode.Z_ATTEST_RESPONSE_CODE_SUCCESS, token: T1, keys: [] }).state;
    const end = step(m, { type: "keysAccepted", escrow: undefined });
    expect(summary(end)).toBe("RestartWait/new-cycle: log publish sleep");
    expect(end.state.restart).toBeUndefined();
  });

  test("drops the 403 asked for mid-cycle when the cycle brought a new token, and keeps waiting for the escrow", () => {
    let m = step(ROWS["AttestWait/controller"]!, { type: "restart", token: T1 }).state;
    m = step(m, { type: "quoteVerdict", code: ZAttestResponseCode.Z_ATTEST_RESPONSE_CODE_SUCCESS, token: T2, keys: [] }).state;
    const end = step(m, { type: "keysAccepted", escrow: undefined });
    expect(summary(end)).toBe("InternalEscrowWait: tokenChanged log publish");
    expect(end.state.restart).toBeUndefined();
    expect(summary(step(end.state, EVENTS.escrowReady!))).toBe("AttestEscrowWait/controller: publish sendEscrow");
  });

  test("restarts at Complete for a 403 pending since the escrow went out", () => {
    let m = step(ROWS["AttestEscrowWait/controller"]!, { type: "restart", token: T1 }).state;
    m = step(m, EVENTS["escrow SUCCESS"]!).state;
    expect(summary(step(m, EVENTS.escrowAcknowledged!))).toBe("RestartWait/new-cycle: log publish sleep");
  });

  test("a 403 sent without a token restarts a device that holds none", () => {
    const m = inPhase({ state: AttestState.Complete }, { token: undefined });
    expect(summary(step(m, { type: "restart", token: undefined }))).toBe("RestartWait/new-cycle: log publish sleep");
  });
});
