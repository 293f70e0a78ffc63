/**
 * Worker entry: owns one EsysTpm so blocking ESAPI calls (key generation can
 * take seconds on a real chip) run off the agent's event loop. One message
 * starts it (the call slot and the TCTI); from then on it sleeps in
 * Atomics.wait on the slot (channel.ts), runs each request synchronously and
 * answers in the same slot. It never returns to its event loop until closed,
 * so a command costs no task, promise or structured clone on this side.
 */

import { ANSWER, OP, SLOT, Slot } from "./channel.ts";
import { EsysTpm } from "./esys.ts";
import { tss2 } from "./lib.ts";
import { TpmRcError } from "./rc.ts";

declare const self: Worker;

export interface Start {
  buffer: SharedArrayBuffer;
  tcti: string;
}

/** A TpmRcError's fields survive the thread boundary; other errors keep their message. */
function answerError(slot: Slot, e: unknown): void {
  slot.at = 0;
  if (e instanceof TpmRcError) {
    slot.header[SLOT.kind] = ANSWER.rc;
    slot.u32(e.rc);
    slot.text(e.command);
    slot.text(e.text);
  } else {
    slot.header[SLOT.kind] = ANSWER.error;
    slot.text(String((e as Error)?.message ?? e));
  }
}

/**
 * After an answer the Worker may watch the slot this long before sleeping:
 * the next command of an operation (or the next operation of a burst)
 * usually follows within tens of microseconds, while waking a sleeping
 * thread costs 50-100 µs (an idle virtual CPU must be woken too). It watches
 * only when the previous request also came this soon, so a lone operation
 * (a periodic quote, a signature now and then) and an idle agent cost no CPU
 * here; a burst pays one unused watch at its end. Each turn yields the core,
 * so on a busy machine the agent's thread, which is to send that request, is
 * not kept from running.
 */
const LINGER_MS = 0.3;

/** Whether a request other than `seq` came in within LINGER_MS. */
function linger(header: Int32Array, seq: number, yieldCore: () => unknown): boolean {
  const until = performance.now() + LINGER_MS;
  for (;;) {
    if (Atomics.load(header, SLOT.request) !== seq) return true;
    if (performance.now() >= until) return false;
    yieldCore();
  }
}

function answer(slot: Slot, seq: number): void {
  Atomics.store(slot.header, SLOT.answer, seq);
  Atomics.notify(slot.header, SLOT.answer);
}

function serve({ buffer, tcti }: Start): void {
  const slot = new Slot(buffer);
  let seq = Atomics.load(slot.header, SLOT.request);
  let tpm: EsysTpm;
  try {
    tpm = EsysTpm.open(tcti);
    slot.header[SLOT.kind] = ANSWER.ok;
  } catch (e) {
    answerError(slot, e);
    answer(slot, seq);
    return;
  }
  answer(slot, seq);
  const { sched_yield } = tss2().libc.symbols;
  /** ms from the last answer to the request after it (as this thread saw it). */
  let gap = Number.POSITIVE_INFINITY;
  for (;;) {
    const answeredAt = performance.now();
    // Sleeps until the agent's thread bumps the request sequence; Worker.terminate() interrupts it.
    if (!(gap < LINGER_MS && linger(slot.header, seq, sched_yield))) Atomics.wait(slot.header, SLOT.request, seq);
    gap = performance.now() - answeredAt;
    seq = Atomics.load(slot.header, SLOT.request);
    try {
      slot.at = 0;
      if (slot.readU8() === OP.close) {
        void tpm.close();
        slot.header[SLOT.kind] = ANSWER.ok;
        answer(slot, seq);
        return;
      }
      tpm.callFromSlot(slot);
      slot.header[SLOT.kind] = ANSWER.ok;
    } catch (e) {
      answerError(slot, e);
    }
    answer(slot, seq);
  }
}

self.onmessage = (ev: MessageEvent<Start>) => serve(ev.data);
