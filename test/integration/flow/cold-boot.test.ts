// One attestation per ordinary boot (issue 9 point 11): fresh measured-boot
// devices cold-boot against the test controller, which counts each device's
// nonce and quote requests. EDGE_AGENT_COLD_BOOTS sets how many (CI: 20),
// EDGE_AGENT_COLD_BOOT_PARALLEL how many run at once.
import { afterAll, beforeAll, describe, expect, test } from "bun:test";
import { readFileSync } from "node:fs";
import { codec } from "../../../src/protocol/index.ts";
import type { StatusDocument } from "../../../src/status/index.ts";
import { type RunningController, startTestController } from "../../controller/index.ts";
import { removeTempRoots } from "../../harness/device.ts";
import { makeOnboardingCert, type OnboardingCert } from "../../harness/pki.ts";
import { attestCount, measuredDevice, NONCE, QUOTE } from "./fixture.ts";

const BOOTS = Number(process.env.EDGE_AGENT_COLD_BOOTS ?? 20);
const PARALLEL = Number(process.env.EDGE_AGENT_COLD_BOOT_PARALLEL ?? 4);

let onboard: OnboardingCert;
const controllers: RunningController[] = [];

async function controller(): Promise<RunningController> {
  const ctl = await startTestController();
  controllers.push(ctl);
  await ctl.addOnboard(onboard.certPem, ["*"]);
  // The config exists before the first poll, so a poll without a token meets 403, not 404.
  ctl.controller.newDeviceConfig = codec.EdgeDevConfig.encode({ id: { version: "1" } });
  return ctl;
}

beforeAll(async () => {
  onboard = await makeOnboardingCert();
});
afterAll(async () => {
  await Promise.all(controllers.map((c) => c.cleanup()));
  await onboard?.cleanup();
  removeTempRoots();
});

function trusted(s: StatusDocument): boolean {
  return s.device.onboarded && s.attestation.state === "Complete" && s.vault.status === "ENABLED" && s.config.received === true;
}

interface Boot {
  nonces: number;
  quotes: number;
  cycles: number;
  /** config answers the agent logged as 403 */
  forbidden: number;
}

/** Boots a fresh device until it is attested with config, and returns what the controller and agent counted. */
async function coldBoot(ctl: RunningController, serial: string, timers: Record<string, number> = {}): Promise<Boot> {
  const dev = await measuredDevice(ctl, onboard, serial);
  try {
    const a = dev.agent({ timers });
    const s = await a.waitFor(trusted, 90_000);
    const uuid = s.device.uuid!;
    await a.stop();
    const forbidden = readFileSync(a.logFile, "utf8")
      .split("\n")
      .filter((l) => l.includes('"config poll failed"') && l.includes('"status":403')).length;
    return { nonces: attestCount(ctl, uuid, NONCE), quotes: attestCount(ctl, uuid, QUOTE), cycles: s.attestation.cycles ?? 0, forbidden };
  } finally {
    await dev.dispose();
  }
}

describe("cold boots", () => {
  test(`attest once each and receive config (${BOOTS} fresh devices)`, async () => {
    const ctl = await controller();
    const results: Boot[] = [];
    let next = 0;
    await Promise.all(
      Array.from({ length: Math.min(PARALLEL, BOOTS) }, async () => {
        while (next < BOOTS) {
          const i = next++;
          results.push(await coldBoot(ctl, `FLOW-COLD-${i}`));
        }
      }),
    );
    const withEarly403 = results.filter((r) => r.forbidden > 0).length;
    console.log(
      `cold boots: ${results.length}, nonces ${results.map((r) => r.nonces).join(",")}; quotes ${results.map((r) => r.quotes).join(",")}; boots with a 403 before the token: ${withEarly403}`,
    );
    expect(results).toHaveLength(BOOTS);
    for (const r of results) expect({ nonces: r.nonces, quotes: r.quotes, cycles: r.cycles }).toEqual({ nonces: 1, quotes: 1, cycles: 1 });
  }, 600_000);

  test("attest once when the 403 for the tokenless first poll arrives after the quote was sent", async () => {
    const ctl = await controller();
    // The first config answer is held until the device's quote has reached the controller.
    let quoted!: () => void;
    ctl.controller.faults.holdUntil.config = new Promise<void>((resolve) => (quoted = resolve));
    const watch = setInterval(() => {
      for (const d of ctl.controller.state.devices.values()) if (d.attestRequests.includes(QUOTE)) quoted();
    }, 10);
    try {
      const r = await coldBoot(ctl, "FLOW-COLD-LATE-403", { sendTimeoutMs: 60_000 });
      expect(r.forbidden).toBeGreaterThanOrEqual(1);
      expect({ nonces: r.nonces, quotes: r.quotes, cycles: r.cycles }).toEqual({ nonces: 1, quotes: 1, cycles: 1 });
    } finally {
      clearInterval(watch);
    }
  }, 120_000);
});
