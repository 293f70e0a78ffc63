import { describe, expect, test } from "bun:test";
import { existsSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { fromBase64, utf8 } from "../../../src/shared/index.ts";
import { run } from "../../harness/proc.ts";
import { lifecycleRig } from "./fixture.ts";

// Two agents started together on a fresh device: exactly one may run. Runs in
// batches so the 20 races cost about as much as a few sequential boots.
const RUNS = Number(process.env.EDGE_AGENT_LOCK_RUNS ?? 20);
const BATCH = 4;

const rig = lifecycleRig([...Array.from({ length: RUNS }, (_, n) => `LOCK-SN-${n}`), "LOCK-SN-LATE"]);

interface RaceResult {
  run: number;
  winnerPid: number;
  loserExit: number | null;
  loserMessage: string;
  uuid: string;
}

async function race(n: number): Promise<RaceResult> {
  const serial = `LOCK-SN-${n}`;
  const sw = await rig.swtpm();
  const root = rig.root();
  // Same config file for both (the harness writes it); distinct logs so the loser's words can be read.
  const a = rig.agent(root, serial, { sw, logFile: join(root, "agent-a.log") });
  const b = rig.agent(root, serial, { sw, logFile: join(root, "agent-b.log") });
  const first = await Promise.race([
    a.proc.exited.then(() => "a" as const),
    b.proc.exited.then(() => "b" as const),
    Bun.sleep(30_000).then(() => "none" as const),
  ]);
  expect(first).not.toBe("none");
  const [loser, winner] = first === "a" ? [a, b] : [b, a];
  const s = await winner.waitFor((s) => s.device.onboarded, 60_000);
  const loserMessage = readFileSync(loser.logFile, "utf8");
  const lockPid = Number(readFileSync(join(root, "run/edge-agent/agent.lock"), "utf8").trim());
  expect(lockPid).toBe(winner.proc.pid);
  await winner.stop();

  // One device at the controller, and it is the identity on disk and in the TPM.
  const rec = (await (await rig.ctl.admin(`/device/${s.device.uuid}`)).json()) as { Cert: string; Serial: string };
  expect(rec.Serial).toBe(serial);
  const onDisk = readFileSync(join(root, "config/device.cert.pem"), "utf8");
  expect(utf8.decode(fromBase64(rec.Cert)).trim()).toBe(onDisk.trim());
  const pub = join(root, "tpm-device-key.pem");
  const r = await run(["tpm2_readpublic", "-c", "0x817FFFFF", "-f", "pem", "-o", pub], { env: { ...process.env, TPM2TOOLS_TCTI: sw.tcti } });
  expect(r.code).toBe(0);
  const certKey = await run(["openssl", "x509", "-noout", "-pubkey", "-in", join(root, "config/device.cert.pem")]);
  expect(certKey.stdout.trim()).toBe(readFileSync(pub, "utf8").trim());
  expect(readFileSync(join(root, "persist/status/uuid"), "utf8").trim()).toBe(s.device.uuid!);
  // The loser never got as far as its own status socket, so the winner's was never unlinked under it.
  expect(existsSync(join(root, "run/edge-agent/status.sock"))).toBe(false);
  await sw.stop();
  return { run: n, winnerPid: winner.proc.pid, loserExit: loser.proc.exitCode, loserMessage, uuid: s.device.uuid! };
}

describe("one agent per device", () => {
  test(`two agents started together on a fresh device: one device at the controller, the loser names the holder (${RUNS} runs)`, async () => {
    const results: RaceResult[] = [];
    for (let i = 0; i < RUNS; i += BATCH) {
      const batch = Array.from({ length: Math.min(BATCH, RUNS - i) }, (_, k) => race(i + k));
      results.push(...(await Promise.all(batch)));
    }
    for (const r of results) {
      expect(r.loserExit).not.toBe(0);
      expect(r.loserExit).not.toBeNull();
      expect(r.loserMessage).toContain(`another edge-agent (pid ${r.winnerPid}) already runs on this device`);
    }
    expect(new Set(results.map((r) => r.uuid)).size).toBe(RUNS);
    expect((await rig.ctl.devices()).length).toBe(RUNS);
    console.log(
      `lock race: ${RUNS} runs, ${RUNS} single registrations, ${results.filter((r) => r.loserExit !== 0).length} losers exited non-zero naming the winner`,
    );
  }, 600_000);

  test("a second agent next to a running one exits at once, leaving its socket and token alone; the first keeps signing with the TPM", async () => {
    const serial = "LOCK-SN-LATE";
    const sw = await rig.swtpm();
    const root = rig.root();
    const first = rig.agent(root, serial, { sw, logFile: join(root, "first.log") });
    const before = await first.waitFor((s) => s.device.onboarded && s.attestation?.tokenPresent === true, 60_000);
    const token = readFileSync(join(root, "run/eve.integrity_token"));
    const second = rig.agent(root, serial, { sw, logFile: join(root, "second.log") });
    const code = await second.proc.exited;
    expect(code).toBe(1);
    expect(readFileSync(second.logFile, "utf8")).toContain(`(pid ${first.proc.pid})`);
    // The first agent still answers on its socket, keeps its token and still signs with the TPM
    // (every request below is an envelope signed by the device key).
    const after = await first.waitFor((s) => s.device.onboarded);
    expect(after.device.uuid).toBe(before.device.uuid);
    expect(readFileSync(join(root, "run/eve.integrity_token")).equals(token)).toBe(true);
    const requests = async () => (await (await rig.ctl.admin(`/device/${before.device.uuid}/requests`)).text()).split(/(?<=\})(?=\{)/).length;
    const requestsBefore = await requests();
    await Bun.sleep(2500);
    const requestsAfter = await requests();
    expect(requestsAfter).toBeGreaterThan(requestsBefore);
    expect(first.proc.exitCode).toBeNull();
    await first.stop();
  }, 120_000);
});
