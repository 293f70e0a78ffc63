// Config polls stay on the interval while attestation waits (issue 9 point 3):
// three devices, each with its own swtpm and controller, are held for a minute
// in InternalEscrowWait, RestartWait and NonceWait retries, side by side, and
// the controller counts the config requests each one sends.
import { afterAll, beforeAll, describe, expect, test } from "bun:test";
import { codec, ZAttestResponseCode } from "../../../src/protocol/index.ts";
import type { StatusDocument } from "../../../src/status/index.ts";
import { type RunningController, startTestController } from "../../controller/index.ts";
import type { AgentProcess } from "../../harness/agent.ts";
import { removeTempRoots } from "../../harness/device.ts";
import { makeOnboardingCert, type OnboardingCert } from "../../harness/pki.ts";
import { attestCount, type MeasuredDevice, measuredDevice, NONCE, QUOTE } from "./fixture.ts";

const INTERVAL_MS = 60_000; // EVE's timer.config.interval
const HOLD_MS = 60_000;
/** Timer polls are at least 0.3 x the interval apart; one more for the token that opens the hold. */
const BOUND = Math.floor(HOLD_MS / (0.3 * INTERVAL_MS)) + 1 + 1;
const HOLD_TIMERS = { configIntervalMs: INTERVAL_MS, attestRetryMs: 5_000 };

const cleanups: (() => Promise<void>)[] = [];
afterAll(async () => {
  await Promise.allSettled(cleanups.map((f) => f()));
  removeTempRoots();
});

interface Held {
  polls: number;
  perMinute: number;
  /** attestation states sampled during the hold */
  states: Set<string>;
  uuid: string;
  ctl: RunningController;
  last: StatusDocument;
}

async function setup(serial: string): Promise<{ ctl: RunningController; dev: MeasuredDevice }> {
  const [ctl, onboard] = await Promise.all([startTestController(), makeOnboardingCert()]);
  cleanups.push(
    () => ctl.cleanup(),
    () => onboard.cleanup(),
  );
  await ctl.addOnboard(onboard.certPem, ["*"]);
  ctl.controller.newDeviceConfig = codec.EdgeDevConfig.encode({ id: { version: "1" } });
  const dev = await measuredDevice(ctl, onboard, serial);
  cleanups.push(() => dev.dispose());
  return { ctl, dev };
}

/** Waits for the wait state, then counts the controller's config requests for HOLD_MS while sampling the state. */
async function hold(ctl: RunningController, a: AgentProcess, entered: (s: StatusDocument) => boolean): Promise<Held> {
  const first = await a.waitFor(entered, 90_000);
  const before = ctl.controller.actionCounts.config ?? 0;
  const t0 = Date.now();
  const states = new Set<string>();
  let last = first;
  while (Date.now() - t0 < HOLD_MS) {
    await Bun.sleep(250);
    const s = await a.status();
    if (!s) continue;
    states.add(s.attestation.state!);
    last = s;
  }
  const polls = (ctl.controller.actionCounts.config ?? 0) - before;
  const perMinute = Math.round((polls * 60_000 * 10) / (Date.now() - t0)) / 10;
  return { polls, perMinute, states, uuid: first.device.uuid!, ctl, last };
}

/** Vault sealed and escrowed on a first boot, PCR 14 changed, and the controller withholding the key. */
async function escrowWait(): Promise<Held> {
  const { ctl, dev } = await setup("FLOW-ESCROW");
  const boot1 = dev.agent();
  await boot1.waitFor((s) => s.attestation.state === "Complete" && s.vault.status === "ENABLED" && s.vault.escrowPending === false, 90_000);
  await boot1.stop();
  dev.sw.tool(["tpm2_pcrextend", `14:sha256=${"5e".repeat(32)}`]);
  ctl.controller.faults.withholdKeys = 1_000_000;
  const a = dev.agent({ timers: HOLD_TIMERS });
  return hold(ctl, a, (s) => s.attestation.state === "InternalEscrowWait" && s.attestation.tokenPresent === true && s.vault.locked === true);
}

/** A token, then config answers 403 to it and every later quote is refused. */
async function restartWait(): Promise<Held> {
  const { ctl, dev } = await setup("FLOW-RESTART");
  const C = ZAttestResponseCode;
  ctl.controller.faults.statusFor.config = 403;
  ctl.controller.faults.forceQuoteCode = [C.Z_ATTEST_RESPONSE_CODE_SUCCESS, ...Array<number>(10_000).fill(C.Z_ATTEST_RESPONSE_CODE_QUOTE_FAILED)];
  const a = dev.agent({ timers: HOLD_TIMERS });
  return hold(ctl, a, (s) => s.attestation.tokenPresent === true && (s.attestation.quotes ?? 0) >= 2 && s.attestation.lastError?.kind === "attest.refused");
}

/** A token, then config answers 403 to it and every later nonce request gets 503. */
async function nonceWait(): Promise<Held> {
  const { ctl, dev } = await setup("FLOW-NONCE");
  ctl.controller.faults.statusFor.config = 403;
  ctl.controller.faults.nonceStatus = [0, ...Array<number>(10_000).fill(503)];
  const a = dev.agent({ timers: HOLD_TIMERS });
  return hold(ctl, a, (s) => s.attestation.tokenPresent === true && s.attestation.lastError?.kind === "attest.http" && s.attestation.state === "RestartWait");
}

// The three holds run at once so the file costs about one hold, not three; each test awaits its own.
let running: Record<"escrow" | "restart" | "nonce", Promise<Held>>;
beforeAll(() => {
  running = { escrow: escrowWait(), restart: restartWait(), nonce: nonceWait() };
  for (const p of Object.values(running)) p.catch(() => {});
});

function report(name: string, h: Held): void {
  console.log(`config polls while held in ${name}: ${h.polls} in ${HOLD_MS / 1000} s (${h.perMinute}/min; bound ${BOUND})`);
}

describe("config polls while attestation waits", () => {
  test("stay within the interval's bound in InternalEscrowWait with the vault locked and no key at the controller", async () => {
    const h = await running.escrow;
    report("InternalEscrowWait", h);
    expect([...h.states]).toEqual(["InternalEscrowWait"]);
    expect(h.last.vault.locked).toBe(true);
    expect(h.polls).toBeLessThanOrEqual(BOUND);
  }, 240_000);

  test("stay within the interval's bound in RestartWait after refused quotes", async () => {
    const h = await running.restart;
    report("RestartWait", h);
    expect(h.states.has("RestartWait")).toBe(true);
    expect(h.states.has("Complete")).toBe(false);
    // The controller kept refusing fresh quotes during the hold.
    expect(attestCount(h.ctl, h.uuid, QUOTE)).toBeGreaterThanOrEqual(5);
    expect(h.polls).toBeLessThanOrEqual(BOUND);
  }, 240_000);

  test("stay within the interval's bound while nonce requests keep failing", async () => {
    const h = await running.nonce;
    report("NonceWait retries", h);
    expect([...h.states].every((s) => s === "NonceWait" || s === "RestartWait")).toBe(true);
    expect(attestCount(h.ctl, h.uuid, NONCE)).toBeGreaterThanOrEqual(5);
    expect(attestCount(h.ctl, h.uuid, QUOTE)).toBe(1);
    expect(h.polls).toBeLessThanOrEqual(BOUND);
  }, 240_000);
});
