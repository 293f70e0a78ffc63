import { afterAll, beforeAll, describe, expect, test } from "bun:test";
import { mkdtempSync, readFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join, resolve } from "node:path";
import { type AgentProcess, startAgent } from "../harness/agent.ts";
import { compileAgent } from "../harness/build.ts";
import { run } from "../harness/proc.ts";
import { EVENT_LOG, trusted, useTrustedBoot } from "./trusted-boot/fixture.ts";

const REPO = resolve(import.meta.dir, "../..");
const fx = useTrustedBoot("BIN-SN-1");
const out = join(mkdtempSync(join(tmpdir(), "edge-agent-bin-")), "edge-agent");
const agents: AgentProcess[] = [];

beforeAll(async () => {
  // package.json's own "build" (the TPM and PKCS#11 workers are extra entrypoints).
  await compileAgent(out);
});

afterAll(async () => {
  await Promise.all(agents.map((a) => a.stop(true)));
});

describe("the single executable", () => {
  test("runs the whole trusted boot on swtpm when built with bun build --compile", async () => {
    const v = await run([out, "version"]);
    expect(v.stdout.trim()).toBe(`edge-agent ${JSON.parse(readFileSync(join(REPO, "package.json"), "utf8")).version}`);
    const a = startAgent({
      root: fx.root,
      binary: out,
      toml: `serial = "BIN-SN-1"\neventLogPath = ${JSON.stringify(EVENT_LOG)}\n[tpm]\nmode = "required"\ntcti = ${JSON.stringify(fx.sw.tcti)}\n`,
    });
    agents.push(a);
    const s1 = await a.waitFor((s) => s.device.onboarded);
    await fx.ctl.putConfig(s1.device.uuid!, { id: { uuid: s1.device.uuid!, version: "1" } });
    const s = await a.waitFor(trusted);
    expect(s.tpm.backend).toBe("tpm");
    // `run` re-executed itself in place (same pid for a supervisor) with Bun's GC timer slowed for an idle agent.
    expect(s.agent.pid).toBe(a.proc.pid);
    expect(readFileSync(`/proc/${a.proc.pid}/environ`, "utf8").split("\0")).toContain("BUN_GC_TIMER_INTERVAL=30000");
    const status = await run([out, "status", "--socket", a.socket]);
    expect(status.code).toBe(0);
    expect(status.stdout).toContain("Complete");
  });
});
