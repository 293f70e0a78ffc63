import { describe, expect, test } from "bun:test";
import { readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { configInVault, trusted, useTrustedBoot } from "./fixture.ts";

const fx = useTrustedBoot("TB-SN-2");
let uuid = "";

describe("attestation faults handled as EVE does", () => {
  test("reaches the trusted state on first boot", async () => {
    const a = fx.agent();
    uuid = (await a.waitFor((s) => s.device.onboarded)).device.uuid!;
    await fx.ctl.putConfig(uuid, { id: { uuid, version: "1" } });
    await a.waitFor(trusted);
    await fx.stopAgents();
  });

  test("unseals the vault locally on the second boot when the controller withholds the key", async () => {
    fx.ctl.controller.faults.withholdKeys = 10;
    const a = fx.agent();
    const s = await a.waitFor(trusted);
    expect(s.vault.locked).toBe(false);
    fx.ctl.controller.faults.withholdKeys = 0;
    await fx.stopAgents();
    expect(await configInVault(fx.sw.tcti, fx.root)).toBe("1");
  });

  test("asks for a new nonce and succeeds when the controller reports QUOTE_FAILED", async () => {
    fx.ctl.controller.faults.rejectQuote = 1;
    const a = fx.agent();
    const s = await a.waitFor((s) => trusted(s) && (s.attestation.quotes ?? 0) >= 2);
    expect(fx.ctl.controller.faults.rejectQuote).toBe(0);
    // QUOTE_FAILED restarts the cycle: the second quote was made over a fresh nonce.
    const wire = s.attestation;
    expect(wire.cycles).toBeGreaterThanOrEqual(1);
    await fx.stopAgents();
  });

  test("re-sends the same quote when the controller answers INVALID", async () => {
    const wire = join(fx.root, "wire-invalid");
    fx.ctl.controller.faults.forceQuoteCode = [0];
    const a = fx.agent({ EDGE_AGENT_WIRE_DUMP: wire });
    await a.waitFor((s) => trusted(s) && (s.attestation.quotes ?? 0) >= 2);
    await fx.stopAgents();
    const { readdirSync } = await import("node:fs");
    const attests = readdirSync(wire)
      .filter((f) => f.endsWith("-attest.req"))
      .sort()
      .map((f) => readFileSync(join(wire, f)));
    const { codec, ZAttestReqType } = await import("../../../src/protocol/index.ts");
    const quotes = attests
      .map((b) => codec.ZAttestReq.decode(codec.AuthContainer.decode(new Uint8Array(b)).protectedPayload!.payload))
      .filter((r) => r.reqType === ZAttestReqType.ATTEST_REQ_QUOTE);
    expect(quotes.length).toBeGreaterThanOrEqual(2);
    expect(Buffer.from(quotes[0]!.quote!.attestData).equals(Buffer.from(quotes[1]!.quote!.attestData))).toBe(true);
  });

  test("starts over with a new nonce when the controller answers NONCE_MISMATCH for a stale nonce", async () => {
    fx.ctl.controller.faults.staleNonce = 1;
    const a = fx.agent();
    const s = await a.waitFor((s) => trusted(s) && (s.attestation.quotes ?? 0) >= 2);
    expect(fx.ctl.controller.faults.staleNonce).toBe(0);
    expect(s.attestation.lastError).toBeUndefined();
    await fx.stopAgents();
  });

  test("attests again when config answers 403 for a token the controller no longer accepts", async () => {
    const a = fx.agent();
    await a.waitFor(trusted);
    const opts = await fx.ctl.client.deviceOptionsGet(uuid);
    const cyclesBefore = (await a.status())!.attestation.cycles ?? 0;
    // The operator rotates the device's token: the agent's token is now wrong.
    await fx.ctl.client.deviceOptionsPut(uuid, { ...opts, integrityToken: "f".repeat(128) });
    const s = await a.waitFor((s) => (s.attestation.cycles ?? 0) > cyclesBefore && trusted(s) && s.config.poll?.lastHttpStatus !== 403, 30_000);
    expect(s.attestation.tokenPresent).toBe(true);
    const tokenFile = readFileSync(join(fx.root, "run/eve.integrity_token"), "utf8");
    expect(tokenFile).toBe("f".repeat(128));
    await fx.stopAgents();
  });

  test("uses the checkpointed config when the controller is down at boot and refuses a checkpoint whose signature fails", async () => {
    fx.ctl.stop();
    const a = fx.agent();
    const s = await a.waitFor((s) => s.config.received === true, 30_000);
    expect(s.config.source).toBe("checkpoint");
    expect(s.device.onboarded).toBe(true);
    await fx.stopAgents();
    // Flip one byte of the signature at the end of the saved AuthContainer.
    for (const f of ["persist/checkpoint/lastconfig", "persist/checkpoint/lastconfig.bak"]) {
      const b = new Uint8Array(readFileSync(join(fx.root, f)));
      b[b.length - 1] = b[b.length - 1]! ^ 0xff;
      writeFileSync(join(fx.root, f), b);
    }
    const b2 = fx.agent();
    const s2 = await b2.waitFor((s) => s.config.poll?.checkpoint?.state === "refused", 30_000);
    expect(s2.config.received).not.toBe(true);
    expect(s2.config.poll?.checkpoint?.reason).toBeTruthy();
    await fx.stopAgents();
    fx.ctl.restart();
  });
});
