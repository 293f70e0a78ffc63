import { describe, expect, test } from "bun:test";
import { existsSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { gunzipSync } from "node:zlib";
import { EsysTpm } from "../../../native/tss2/index.ts";
import { openTpm } from "../../../src/tpm/index.ts";
import { VaultManager } from "../../../src/vault/index.ts";
import { codec } from "../../../src/protocol/index.ts";
import { parseCertificatesPem } from "../../../src/pki/index.ts";
import { deviceLayout } from "../../../src/state/index.ts";
import { fromBase64 } from "../../../src/shared/index.ts";
import { EVENT_LOG, infoLines, trusted, useTrustedBoot } from "./fixture.ts";

const fx = useTrustedBoot("TB-SN-1");
let uuid = "";

async function setConfig(version: string) {
  await fx.ctl.putConfig(uuid, { id: { uuid, version }, device_name: `dev-${version}`, configItems: [{ key: "k", value: version }] });
}

/** Opens the vault in the test process (agent stopped) and reads the config the agent kept there. */
async function configInVault(): Promise<string | undefined> {
  const tpm = await openTpm({ tcti: fx.sw.tcti, connect: (t) => EsysTpm.open(t) });
  try {
    await tpm.ensureKeys({ credential: readFileSync(join(fx.root, "config/tpm_credential"), "utf8").trim() });
    const layout = deviceLayout(fx.root);
    const point = parseCertificatesPem(readFileSync(layout.config.deviceCert))[0]!.publicKey;
    const v = new VaultManager({ layout, tpm, deviceCertPoint: (point as { point: Uint8Array }).point });
    const st = await v.open();
    if (st.locked) return undefined;
    const bytes = await v.store.get("config.current");
    v.close();
    return bytes ? codec.EdgeDevConfig.decode(bytes).id?.version : undefined;
  } finally {
    await tpm.close();
  }
}

describe("trusted boot sequence on swtpm", () => {
  test("onboards, attests, seals and escrows the vault key and receives config on first boot", async () => {
    const a = fx.agent();
    const s1 = await a.waitFor((s) => s.device.onboarded);
    uuid = s1.device.uuid!;
    await setConfig("1");
    const s = await a.waitFor(trusted);
    expect(s.vault.escrowPending).toBe(false);
    expect(s.config.version).toBe("1");

    // Everything below is the controller's own record, not the agent's view.
    const certs = (await (await fx.ctl.admin(`/device/${uuid}/certs`)).json()) as { certs: { type: number }[] };
    expect(certs.certs.map((c) => c.type).sort()).toEqual([11, 12, 13]);
    const opts = (await (await fx.ctl.admin(`/device/${uuid}/options`)).json()) as { attested: boolean; integrityToken: string; eventLog: string; receivedPCRTemplate: { PCRValues: { index: number; value: string }[] } };
    expect(opts.attested).toBe(true);
    expect(opts.integrityToken).toHaveLength(128);
    expect((await fx.ctl.admin(`/device/${uuid}/storage-keys`)).status).toBe(200);
    // The log the agent sent is the configured file, and host-side tpm2_eventlog replays it to the quoted PCRs.
    expect(Buffer.from(gunzipSync(fromBase64(opts.eventLog))).equals(readFileSync(EVENT_LOG))).toBe(true);
    const replay = fx.tool(["tpm2_eventlog", EVENT_LOG]);
    const sent = new Map(opts.receivedPCRTemplate.PCRValues.map((p) => [p.index, p.value]));
    const finalPcrs = [...replay.slice(replay.indexOf("\npcrs:")).matchAll(/^\s+(\d+)\s*:\s*0x([0-9A-Fa-f]{64})/gm)];
    expect(finalPcrs.length).toBe(9);
    for (const m of finalPcrs) expect(sent.get(Number(m[1]))).toBe(m[2]!.toLowerCase());
    expect(existsSync(join(fx.root, "run/eve.integrity_token"))).toBe(true);

    await a.waitFor(() => true, 100);
    let last: Record<string, any> | undefined;
    for (let i = 0; i < 50 && !last?.dinfo?.attestationInfo; i++) {
      const lines = await infoLines(fx.ctl, uuid);
      last = lines.filter((l) => l.dinfo?.attestationInfo?.state === "ATTESTATION_STATE_COMPLETE").at(-1);
      if (!last) await Bun.sleep(200);
    }
    expect(last?.dinfo?.attestationInfo?.state).toBe("ATTESTATION_STATE_COMPLETE");
    expect(last?.dinfo?.dataSecAtRestInfo?.vaultList?.[0]?.status).toBe("DATASEC_AT_REST_ENABLED");
    expect(last?.dinfo?.HSMStatus).toBe("ENABLED");
    await fx.stopAgents();
  });

  test("unseals the vault locally on the second boot when the controller withholds the key", async () => {
    fx.ctl.controller.faults.withholdKeys = 10;
    const a = fx.agent();
    const s = await a.waitFor(trusted);
    expect(s.vault.locked).toBe(false);
    fx.ctl.controller.faults.withholdKeys = 0;
    await fx.stopAgents();
    expect(await configInVault()).toBe("1");
  });

  test("locks the vault on changed software and recovers it with the escrowed key after attestation", async () => {
    fx.tool(["tpm2_pcrextend", `14:sha256=${"5e".repeat(32)}`]);
    // Hold attestation off so the locked state can be observed before recovery.
    fx.ctl.controller.faults.statusFor.attest = 503;
    const a = fx.agent();
    const locked = await a.waitFor((s) => s.vault.locked === true && s.vault.status === "ERROR");
    expect(locked.vault.mismatchingPcrs).toEqual([14]);
    expect(locked.vault.lastError).toMatchObject({ kind: "vault.pcr-mismatch", message: expect.stringContaining("14") });
    expect(locked.device.maintenanceReasons).toContain("MAINTENANCE_MODE_REASON_VAULT_LOCKED_UP");
    delete fx.ctl.controller.faults.statusFor.attest;
    const s = await a.waitFor(trusted);
    expect(s.vault.mismatchingPcrs ?? []).toEqual([]);
    await fx.stopAgents();
    // Re-sealed to the new PCR 14, and the data written before the change is readable again.
    expect(await configInVault()).toBe("1");
  });

  test("keeps the vault locked and config refused when the controller enforces a template that no longer matches", async () => {
    const opts = (await (await fx.ctl.admin(`/device/${uuid}/options`)).json()) as { receivedPCRTemplate: { eveVersion: string; firmwareVersion: string; PCRValues: unknown[] } };
    const template = opts.receivedPCRTemplate;
    const put = await fx.ctl.admin("/options", { method: "PUT", headers: { "Content-Type": "application/json" }, body: JSON.stringify({ enforceTemplateAttestation: true, PCRTemplates: [template] }) });
    expect(put.status).toBe(200);
    fx.tool(["tpm2_pcrextend", `8:sha256=${"8e".repeat(32)}`]);
    const a = fx.agent();
    const s = await a.waitFor((s) => (s.attestation.quotes ?? 0) >= 2 && s.attestation.lastError?.kind === "attest.refused" && s.vault.locked === true, 30_000);
    expect(s.attestation.lastError!.message).toContain("QUOTE_FAILED");
    expect(s.vault.mismatchingPcrs).toEqual([8]);
    expect(s.config.poll?.lastHttpStatus).toBe(403);
    expect(fx.ctl.controller.lastAttestReason).toContain("PCR 8");
    let lines: Record<string, any>[] = [];
    for (let i = 0; i < 50; i++) {
      lines = (await infoLines(fx.ctl, uuid)).filter((l) => l.dinfo?.attestationInfo?.error?.description?.includes("QUOTE_FAILED"));
      if (lines.length) break;
      await Bun.sleep(200);
    }
    expect(lines.at(-1)?.dinfo?.dataSecAtRestInfo?.vaultList?.[0]?.status).toBe("DATASEC_AT_REST_ERROR");
    // Nothing is lost: once the operator accepts the new measurements the vault comes back.
    await fx.ctl.admin("/options", { method: "PUT", headers: { "Content-Type": "application/json" }, body: JSON.stringify({ enforceTemplateAttestation: false, PCRTemplates: [] }) });
    await a.waitFor(trusted, 30_000);
    await fx.stopAgents();
    expect(await configInVault()).toBe("1");
  });
});
