/**
 * One device, one TPM, two verifiers (issue 12 points 4, 5 and 7): the agent
 * as a real process onboards to and is attested by the in-repo EVE test
 * controller, and at the same time registers with the real Keylime 7.14.3
 * registrar and is attested in push mode (API 3.0) by its real push
 * verifier. Everything is asserted where the verifiers see it: Keylime
 * through `keylime_tenant --push-model -c cvstatus` and the registrar's API,
 * EVE through the test controller's records (quotes accepted, config served
 * and then held by the device); the agent's own status is only checked for
 * showing that state. Then ~30 s of EVE and Keylime quotes interleaving in
 * the one TPM queue, all of them verified on both sides; after the agent
 * stops, the TPM holds no transient object or session it left behind, and
 * PCRs 0-15 (EVE's boot and sealing PCRs) are what they were before.
 */
import { afterAll, beforeAll, describe, expect, test } from "bun:test";
import { copyFileSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join, resolve } from "node:path";
import { codec } from "../../../src/protocol/index.ts";
import type { StatusDocument } from "../../../src/status/index.ts";
import { type RunningController, startTestController } from "../../controller/index.ts";
import { type AgentProcess, startAgent } from "../../harness/agent.ts";
import { removeTempRoots, tempRoot, writeDeviceConfig } from "../../harness/device.ts";
import { parseEventLog, replayIntoTpm } from "../../harness/eventlog.ts";
import { type Keylime, startKeylime } from "../../harness/keylime.ts";
import { makeOnboardingCert, type OnboardingCert } from "../../harness/pki.ts";
import { run, waitFor } from "../../harness/proc.ts";
import { privateEkCa, type Swtpm, startSwtpm } from "../../harness/swtpm.ts";
import { attestCount, EVENT_LOG, QUOTE } from "../flow/fixture.ts";

const REPO = resolve(import.meta.dir, "../../..");
/** How long EVE and Keylime quote side by side; CI keeps the issue's ~30 s. */
const STRESS_MS = Number(process.env.EDGE_AGENT_KEYLIME_STRESS_MS ?? 30_000);
/** The push verifier's token lifetime, short so the stress window spans several renewals; never extended by attestations. */
const SESSION_LIFETIME_S = 12;
const SERIAL = "KL-BOTH-1";

let kl: Keylime;
let ctl: RunningController;
let onboard: OnboardingCert;
let sw: Swtpm;
let agent: AgentProcess;
let root: string;
let store: string;
let wire: string;
let uuid: string;
/** PCRs 0..15 (SHA-256) before the agent first ran: EVE's boot measurements and sealing PCRs. */
let pcrsBefore: Map<number, string>;
/** The controller's answers to /config, in order. */
const configAnswers: number[] = [];

function readPcrs(s: Swtpm, pcrs: number[]): Map<number, string> {
  const out = s.tool(["tpm2_pcrread", `sha256:${pcrs.join(",")}`]).stdout;
  const m = new Map<number, string>();
  for (const line of out.split("\n")) {
    const r = /^\s*(\d+)\s*:\s*0x([0-9A-Fa-f]+)/.exec(line);
    if (r) m.set(Number(r[1]), r[2]!.toLowerCase());
  }
  if (m.size !== pcrs.length) throw new Error(`tpm2_pcrread gave ${m.size} of ${pcrs.length} PCRs: ${out}`);
  return m;
}

async function cvstatus(): Promise<Record<string, unknown>> {
  const s = await kl.cvstatus(uuid, { push: true });
  if (!s) throw new Error(`cvstatus printed nothing for ${uuid}`);
  return s;
}

beforeAll(async () => {
  const ekCa = privateEkCa();
  store = mkdtempSync(join(tmpdir(), "edge-agent-kl-store-"));
  copyFileSync(ekCa.issuerCert, join(store, "issuercert.pem"));
  let started: [Keylime, RunningController, OnboardingCert, Swtpm];
  started = await Promise.all([
    startKeylime({
      tpmCertStore: store,
      agentMtls: false,
      push: true,
      quoteInterval: 2,
      pushVerifierOptions: { session_lifetime: SESSION_LIFETIME_S, extend_token_on_attestation: false },
    }),
    startTestController({ start: false }),
    makeOnboardingCert(),
    startSwtpm({ ekCa }),
  ]);
  [kl, ctl, onboard, sw] = started;
  // Every /config answer, recorded at the controller: a 304 means the device sent back the hash of the config it holds.
  const app = ctl.controller.app;
  const fetch = app.fetch.bind(app);
  app.fetch = (async (req: Request, ...rest: unknown[]) => {
    const res = await (fetch as (r: Request, ...a: unknown[]) => Promise<Response>)(req, ...rest);
    if (/\/config$/.test(new URL(req.url).pathname)) configAnswers.push(res.status);
    return res;
  }) as typeof app.fetch;
  ctl.restart();
  await ctl.addOnboard(onboard.certPem, [SERIAL]);
  ctl.controller.newDeviceConfig = codec.EdgeDevConfig.encode({ id: { version: "1" }, device_name: "both-verifiers" });
  await replayIntoTpm(parseEventLog(new Uint8Array(readFileSync(EVENT_LOG))).events, sw.tcti);
  pcrsBefore = readPcrs(
    sw,
    Array.from({ length: 16 }, (_, i) => i),
  );
  root = tempRoot("edge-agent-kl-both-");
  wire = join(root, "run", "wire");
  writeDeviceConfig(root, { server: ctl.server, rootCertPem: ctl.pki.trustPem, onboard: { certPem: onboard.certPem, keyPem: onboard.keyPem } });
  agent = startAgent({
    root,
    env: { EDGE_AGENT_WIRE_DUMP: wire },
    toml: [
      `serial = ${JSON.stringify(SERIAL)}`,
      `eventLogPath = ${JSON.stringify(EVENT_LOG)}`,
      "[tpm]",
      'mode = "required"',
      `tcti = ${JSON.stringify(sw.tcti)}`,
      "[keylime]",
      "enabled = true",
      'mode = "push"',
      `registrarUrl = ${JSON.stringify(kl.registrarUrl)}`,
      `verifierUrl = ${JSON.stringify(kl.pushVerifierUrl)}`,
      `verifierCa = ${JSON.stringify(kl.caCert)}`,
      "retryInitialMs = 500",
      "retryMaxMs = 3000",
      "",
    ].join("\n"),
  });
}, 600_000);

afterAll(async () => {
  await agent?.stop();
  await Promise.allSettled([kl?.stop(), sw?.stop(), ctl?.cleanup(), onboard?.cleanup()]);
  if (store) rmSync(store, { recursive: true, force: true });
  removeTempRoots();
});

describe("one device attested by the EVE controller and by Keylime (push) at once", () => {
  test("the registrar holds the agent; the push verifier passes it at least three times while the EVE controller attests it and serves its config", async () => {
    const registered = await agent.waitFor((s) => s.keylime.registered === true && s.keylime.activated === true && !!s.keylime.uuid, 180_000);
    uuid = registered.keylime.uuid!;
    const rec = await kl.registrarAgent(uuid);
    expect(rec?.active).toBe(true);
    expect(rec?.aik_tpm).toBeTruthy();

    // The verifier's policy: the device's real PCRs 0-7 as the replayed OVMF boot left them.
    const policy = JSON.stringify(Object.fromEntries([...pcrsBefore].filter(([p]) => p < 8).map(([p, v]) => [String(p), [v]])));
    const add = await kl.tenant(["-c", "add", "-u", uuid, "--tpm_policy", policy], { push: true });
    expect(add.code).toBe(0);

    const seen: string[] = [];
    const passed = await waitFor(
      async () => {
        const s = await cvstatus();
        seen.push(`${s.attestation_status}/${s.attestation_count}`);
        return s.attestation_status === "PASS" && Number(s.attestation_count) >= 3 ? s : undefined;
      },
      180_000,
      { intervalMs: 1000, what: "three passed push attestations" },
    );
    console.log(`push verifier views until PASS x3: ${seen.join(" ")}`);
    expect(seen.some((s) => s.startsWith("FAIL"))).toBe(false);
    expect(passed.has_mb_refstate).toBe(0);

    // EVE, seen by its controller: quotes accepted, the config served and then held by the device (304 on its hash).
    await waitFor(() => configAnswers.includes(304), 60_000, { what: "a 304 on /config" });
    const device = ctl.controller.state.devices.get(registered.device.uuid!)!;
    expect(device.attested).toBe(true);
    expect(attestCount(ctl, registered.device.uuid!, QUOTE)).toBeGreaterThanOrEqual(1);
    expect(ctl.controller.lastAttestReason).toBeUndefined();
    expect(configAnswers.indexOf(200)).toBeGreaterThanOrEqual(0);
    expect(configAnswers.indexOf(200)).toBeLessThan(configAnswers.indexOf(304));
  }, 400_000);

  test("with a measured-boot policy the push verifier asks for the UEFI log too, replays it against the quoted PCRs 0-15 and passes the agent", async () => {
    // accept-all (Keylime's default measured_boot_policy_name) with a non-empty refstate: the log is required and every
    // measured-boot PCR in the quote must equal its replay; a missing or wrong log fails the agent.
    const refstate = join(store, "mb-refstate.json");
    writeFileSync(refstate, JSON.stringify({ note: "accept-all engine; the PCR replay check still applies" }));
    // Delete (the tenant waits until the verifier has let go), see the agent gone, then add. `-c update` does both
    // back to back, and evidence for an attestation negotiated under the old policy can then reach the new record
    // and count there as a failure for good; the seconds of this check keep the agent's cycles clear of that.
    const del = await kl.tenant(["-c", "delete", "-u", uuid], { push: true });
    expect(del.code).toBe(0);
    expect(await kl.cvstatus(uuid, { push: true })).toBeUndefined();
    const add = await kl.tenant(["-c", "add", "-u", uuid, "--mb-policy", refstate], { push: true });
    expect(add.code).toBe(0);
    const seen: string[] = [];
    await waitFor(
      async () => {
        const s = await cvstatus();
        seen.push(`${s.attestation_status}/${s.attestation_count}/mb${s.has_mb_refstate}`);
        return s.has_mb_refstate === 1 && s.attestation_status === "PASS" && Number(s.attestation_count) >= 2;
      },
      180_000,
      { intervalMs: 1000, what: "two passed push attestations with the measured-boot policy" },
    ).catch((e) => {
      console.log(
        `push verifier views: ${seen.join(" ")}\npush verifier log:\n${kl
          .pushVerifier!.log()
          .split("\n")
          .filter((l) => /fail|error|invalid|unused|DELETE|POST \/v3.0\/agents\b|POST \/v2/i.test(l))
          .slice(0, 80)
          .join("\n")}`,
      );
      throw e;
    });
    console.log(`push verifier views with the measured-boot policy: ${seen.join(" ")}`);
    expect(seen.some((s) => s.startsWith("FAIL"))).toBe(false);
    // What the agent sent for the last of them: the quote and the log it was checked against.
    const last = readdirSync(wire)
      .filter((f) => /-keylime-attestations-evidence\.req$/.test(f))
      .sort()
      .at(-1)!;
    const sent = JSON.parse(readFileSync(join(wire, last), "utf8")).data.attributes.evidence_collected;
    expect(sent.map((e: { evidence_type: string }) => e.evidence_type)).toEqual(["tpm_quote", "uefi_log"]);
    expect(Buffer.from(sent[1].data.entries, "base64").equals(readFileSync(EVENT_LOG))).toBe(true);
  }, 300_000);

  test("the status endpoint and `edge-agent status` show the Keylime state", async () => {
    const s = (await agent.status()) as StatusDocument;
    expect(s.keylime).toMatchObject({ enabled: true, mode: "push", uuid, registered: true, activated: true });
    const push = s.keylime.push!;
    expect(push.verifier).toBe(kl.pushVerifierUrl!);
    expect(push.sessions).toBeGreaterThanOrEqual(1);
    expect(push.evidenceSubmitted).toBeGreaterThanOrEqual(3);
    expect(push.evidenceRejected).toBe(0);
    // The measured-boot PCRs Keylime asks for: 0-15 without IMA's 10.
    expect(push.lastPcrs).toEqual([0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 11, 12, 13, 14, 15]);
    expect(s.keylime.evidenceSubmitted).toBe(push.evidenceSubmitted);
    expect(s.attestation.state).toBe("Complete");
    const cli = await run([process.execPath, join(REPO, "src/cli.ts"), "status", "--socket", agent.socket], { cwd: REPO });
    expect(cli.code).toBe(0);
    const text = cli.stdout;
    expect(text).toMatch(/^keylime$/m);
    expect(text).toMatch(/^ {2}registered +true$/m);
    expect(text).toMatch(/^ {4}sessions +[1-9]\d*$/m);
    expect(text).toMatch(/^ {4}evidenceSubmitted +[1-9]\d*$/m);
    expect(text).not.toMatch(/Bearer|^\s*token\s/m);
  });

  test(
    `EVE and Keylime quotes interleave for ${STRESS_MS / 1000} s in the one TPM queue and all verify; tokens renewed before they expire`,
    async () => {
      const deviceUuid = (await agent.status())!.device.uuid!;
      const before = await cvstatus();
      const eveBefore = attestCount(ctl, deviceUuid, QUOTE);
      // A 403 on /config makes EVE's attestation start over after every poll: a fresh nonce and quote each time.
      ctl.controller.faults.statusFor.config = 403;
      const t0 = Date.now();
      await Bun.sleep(STRESS_MS);
      delete ctl.controller.faults.statusFor.config;
      const elapsed = Date.now() - t0;
      const after = await cvstatus();
      const eveQuotes = attestCount(ctl, deviceUuid, QUOTE) - eveBefore;
      const keylimeQuotes = Number(after.attestation_count) - Number(before.attestation_count);
      console.log(
        `in ${Math.round(elapsed / 1000)} s: ${eveQuotes} EVE quotes accepted by the controller, ${keylimeQuotes} Keylime quotes passed by the push verifier`,
      );
      // Every EVE quote the controller got was accepted (a refused one leaves its reason), every Keylime one passed (one failure turns the status to FAIL for good).
      expect(ctl.controller.lastAttestReason).toBeUndefined();
      expect(after.attestation_status).toBe("PASS");
      expect(eveQuotes).toBeGreaterThanOrEqual(5);
      expect(keylimeQuotes).toBeGreaterThanOrEqual(5);
      // The verifier never saw a token used past its lifetime: the agent renewed before expiry, without extension by attestations.
      const verifierLog = kl.pushVerifier!.log();
      expect(verifierLog).not.toMatch(/Authentication token expired|Bearer token expired/);
      const pops = readdirSync(wire).filter((f) => /^\d{4}-keylime-sessions-pop\.json$/.test(f)).length;
      expect(pops).toBeGreaterThanOrEqual(Math.floor(STRESS_MS / 1000 / SESSION_LIFETIME_S));
      // EVE comes back to Complete once config answers again.
      await agent.waitFor((s) => s.attestation.state === "Complete" && (s.config.poll?.lastHttpStatus ?? 0) !== 403, 60_000);
    },
    STRESS_MS + 180_000,
  );

  test("the wire dump records every Keylime exchange as NNNN-keylime-<endpoint> without a token", () => {
    const files = readdirSync(wire);
    for (const ep of ["sessions", "sessions-pop", "attestations", "attestations-evidence"]) {
      expect(files.some((f) => new RegExp(`^\\d{4}-keylime-${ep}\\.(req|res|json)$`).test(f))).toBe(true);
    }
    const evidence = files.filter((f) => /-keylime-attestations-evidence\.json$/.test(f)).sort();
    const meta = JSON.parse(readFileSync(join(wire, evidence.at(-1)!), "utf8"));
    expect(meta).toMatchObject({ method: "PATCH", status: 202 });
    expect(meta.url).toBe(`${kl.pushVerifierUrl}/v3.0/agents/${uuid}/attestations/${meta.url.split("/").at(-1)}`);
    const keylimeFiles = files.filter((f) => f.includes("-keylime-"));
    const all = keylimeFiles.map((f) => readFileSync(join(wire, f), "utf8")).join("\n");
    // Keylime's tokens are "<session id>.<43 base64url characters>".
    expect(all).not.toMatch(/[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}\.[A-Za-z0-9_-]{43}/);
    expect(all).toContain("Bearer [redacted]");
  });

  test("after the agent stops the TPM holds no object or session it left, and PCRs 0-15 are untouched", async () => {
    expect(await agent.stop()).toBe(0);
    for (const cap of ["handles-transient", "handles-loaded-session", "handles-saved-session"]) {
      expect(`${cap}: ${sw.tool(["tpm2_getcap", cap]).stdout.trim()}`).toBe(`${cap}: `);
    }
    expect(readPcrs(sw, [...pcrsBefore.keys()])).toEqual(pcrsBefore);
  });
});
