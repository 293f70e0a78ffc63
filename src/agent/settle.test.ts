import { describe, expect, test } from "bun:test";
import type { AttestationStatus } from "../attestation/index.ts";
import type { AgentEvent } from "./reactions.ts";
import { BootSettle } from "./settle.ts";

const attestation = (state: string): AgentEvent => ({ type: "attestation.status", status: { state } as AttestationStatus });
const config = { type: "config.received" } as AgentEvent;

async function collections(events: AgentEvent[], stop = false): Promise<number> {
  let n = 0;
  const s = new BootSettle(() => n++, 5);
  for (const e of events) s.see(e);
  if (stop) s.stop();
  await Bun.sleep(50);
  return n;
}

describe("BootSettle", () => {
  test("collects once after attestation is Complete and a config arrived, in either order", async () => {
    expect(await collections([attestation("Complete"), config])).toBe(1);
    expect(await collections([config, attestation("Nonce"), attestation("Complete"), config, attestation("Complete")])).toBe(1);
  });

  test("does not collect while either is missing", async () => {
    expect(await collections([attestation("Complete"), attestation("Complete")])).toBe(0);
    expect(await collections([config, attestation("Quote")])).toBe(0);
  });

  test("does not collect once stopped", async () => {
    expect(await collections([attestation("Complete"), config], true)).toBe(0);
  });
});
