// `edge-agent check --json` and its TPM self-test (issue 10 point 9) on
// swtpm: one device per verdict, each checked against what tpm2-tools
// shows, and the TPM left as the check found it.
import { afterAll, beforeAll, describe, expect, test } from "bun:test";
import { mkdirSync, readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { EsysTpm, openWorkerTpm } from "../../../native/tss2/index.ts";
import { type CheckResult, tpmChecks } from "../../../src/check/index.ts";
import { loadConfig } from "../../../src/config/index.ts";
import { silentLogger } from "../../../src/shared/index.ts";
import { deviceLayout } from "../../../src/state/index.ts";
import { StatusBoard, startStatusServer } from "../../../src/status/index.ts";
import { openTpm, type TpmPort } from "../../../src/tpm/index.ts";
import { removeTempRoots, tempRoot } from "../../harness/device.ts";
import { parseEventLog, replayIntoTpm } from "../../harness/eventlog.ts";
import { run } from "../../harness/proc.ts";
import { type Swtpm, startSwtpm } from "../../harness/swtpm.ts";

const CLI = join(import.meta.dir, "../../../src/cli.ts");
const EVENT_LOG = join(import.meta.dir, "../../fixtures/harness/eventlog-ovmf.bin");
const CREDENTIAL = "0b3c9a1e-5d2f-4e6a-8b7c-9d0e1f2a3b4c";

const tpms: Swtpm[] = [];
afterAll(async () => {
  await Promise.all(tpms.map((t) => t.stop()));
  removeTempRoots();
});

interface Device {
  sw: Swtpm;
  root: string;
  socket: string;
  /** Runs `edge-agent check --json` on this device. */
  check(): Promise<{ code: number; results: CheckResult[]; byName: Map<string, CheckResult> }>;
}

async function device(opts: { measured?: boolean; keys?: boolean } = {}): Promise<Device> {
  const sw = await startSwtpm();
  tpms.push(sw);
  if (opts.measured) await replayIntoTpm(parseEventLog(new Uint8Array(readFileSync(EVENT_LOG))).events, sw.tcti);
  if (opts.keys) {
    const m = await openTpm({ tcti: sw.tcti, connect: (t) => EsysTpm.open(t) });
    try {
      await m.ensureKeys({ credential: CREDENTIAL });
    } finally {
      await m.close();
    }
  }
  const root = tempRoot("edge-agent-check-");
  mkdirSync(join(root, "config"), { recursive: true });
  const socket = join(root, "run", "edge-agent", "status.sock");
  writeFileSync(
    join(root, "agent.toml"),
    `root = ${JSON.stringify(root)}\n[tpm]\nmode = "required"\ntcti = ${JSON.stringify(sw.tcti)}\n[status]\nsocket = ${JSON.stringify(socket)}\n`,
  );
  return {
    sw,
    root,
    socket,
    async check() {
      const r = await run([process.execPath, CLI, "check", "--json", "--config", join(root, "agent.toml")], { timeoutMs: 90_000 });
      const results = JSON.parse(r.stdout) as CheckResult[];
      return { code: r.code, results, byName: new Map(results.map((c) => [c.name, c])) };
    },
  };
}

/** Transient objects and loaded sessions tpm2-tools sees: the check must leave none. */
function residue(sw: Swtpm): string {
  return (sw.tool(["tpm2_getcap", "handles-transient"]).stdout + sw.tool(["tpm2_getcap", "handles-loaded-session"]).stdout).trim();
}

const TPM_CHECKS = ["tpm pcr banks", "tpm boot measurements", "tpm quote", "tpm seal", "tpm ek certificate", "tpm keys"];

describe("edge-agent check --json", () => {
  let measured: Device;
  let fresh: Device;
  beforeAll(async () => {
    [measured, fresh] = await Promise.all([device({ measured: true, keys: true }), device()]);
  });

  test("prints every result as JSON with name, verdict, detail and, for warn and fail, a hint; exits 1 on a failure", async () => {
    const { code, results } = await fresh.check();
    expect(results.length).toBeGreaterThan(TPM_CHECKS.length);
    for (const r of results) {
      expect(Object.keys(r).sort()).toEqual(r.hint === undefined ? ["detail", "name", "verdict"] : ["detail", "hint", "name", "verdict"]);
      expect(["ok", "warn", "fail"]).toContain(r.verdict);
    }
    for (const name of TPM_CHECKS) {
      const r = results.find((x) => x.name === name)!;
      expect(r).toBeDefined();
      if (r.verdict !== "ok") expect(r.hint!.length).toBeGreaterThan(10);
    }
    // No config/server on this device: a failure, so exit 1.
    expect(results.find((r) => r.name === "config/server")!.verdict).toBe("fail");
    expect(code).toBe(1);
  });

  test("passes every TPM check on a measured TPM with the agent's keys, and leaves no object or session behind", async () => {
    const { byName } = await measured.check();
    for (const name of TPM_CHECKS) expect(`${name}: ${byName.get(name)!.verdict}`).toBe(`${name}: ok`);
    expect(byName.get("tpm pcr banks")!.detail).toContain("sha256 (PCRs 0-23)");
    expect(byName.get("tpm quote")!.detail).toContain("verified in software");
    expect(byName.get("tpm ek certificate")!.detail).toContain("RSA 2048 in NV 0x1c00002");
    expect(byName.get("tpm keys")!.detail).toContain("device 0x817fffff");
    expect(residue(measured.sw)).toBe("");
    // The self-test sealed nothing into the vault's NV indexes.
    expect(measured.sw.tool(["tpm2_getcap", "handles-nv-index"]).stdout).not.toContain("0x1800000");
  });

  test("fails the boot measurements on a TPM whose PCR 0 and 4 are all-zero, and warns about the keys the agent has not made yet", async () => {
    expect(fresh.sw.tool(["tpm2_pcrread", "sha256:0,4"]).stdout).toMatch(/0 : 0x0{64}\s+4 : 0x0{64}/);
    const { byName } = await fresh.check();
    expect(byName.get("tpm boot measurements")).toMatchObject({ verdict: "fail", detail: expect.stringContaining("PCR 0 and PCR 4 are all-zero") });
    expect(byName.get("tpm quote")).toMatchObject({ verdict: "warn", detail: "no quote key at 0x81000004" });
    expect(byName.get("tpm seal")).toMatchObject({ verdict: "warn", detail: "no SRK at 0x81000002" });
    expect(byName.get("tpm keys")).toMatchObject({ verdict: "warn", detail: expect.stringContaining("missing: ek (0x81000001)") });
    expect(byName.get("tpm pcr banks")!.verdict).toBe("ok");
    expect(residue(fresh.sw)).toBe("");
  });

  test("fails the PCR banks when no SHA-256 bank is allocated", async () => {
    const dev = await device();
    dev.sw.tool(["tpm2_pcrallocate", "sha1:all+sha256:none"]);
    // The allocation takes effect at the next TPM2_Startup: a power cycle.
    await dev.sw.pause();
    await dev.sw.resume();
    expect(dev.sw.tool(["tpm2_getcap", "pcrs"]).stdout).toMatch(/sha256: \[\s*\]/);
    const { byName } = await dev.check();
    expect(byName.get("tpm pcr banks")).toMatchObject({
      verdict: "fail",
      detail: expect.stringContaining("sha1 (PCRs 0-23)"),
      hint: expect.stringContaining("sha256"),
    });
  });

  test("warns when the TPM holds no EK certificate and when a key is not made from the agent's template, fails when the device key is not", async () => {
    const dev = await device({ keys: true });
    for (const index of ["0x1c00002", "0x1c00016"]) dev.sw.tool(["tpm2_nvundefine", "-C", "p", index]);
    // An RSA signing key where EVE's ECC quote key belongs.
    const ctx = join(dev.root, "k.ctx");
    dev.sw.tool(["tpm2_evictcontrol", "-C", "o", "-c", "0x81000004"]);
    dev.sw.tool(["tpm2_createprimary", "-C", "o", "-G", "rsa2048", "-c", ctx]);
    dev.sw.tool(["tpm2_evictcontrol", "-C", "o", "-c", ctx, "0x81000004"]);
    dev.sw.flushTools();
    let { byName } = await dev.check();
    expect(byName.get("tpm ek certificate")).toMatchObject({ verdict: "warn", detail: expect.stringContaining("none in the TCG EK certificate indexes") });
    expect(byName.get("tpm keys")).toMatchObject({ verdict: "warn", detail: "not made from the agent's templates: quote (0x81000004)" });
    expect(byName.get("tpm quote")!.verdict).toBe("fail");

    dev.sw.tool(["tpm2_evictcontrol", "-C", "o", "-c", "0x817fffff"]);
    dev.sw.tool(["tpm2_createprimary", "-C", "o", "-G", "rsa2048", "-c", ctx]);
    dev.sw.tool(["tpm2_evictcontrol", "-C", "o", "-c", ctx, "0x817fffff"]);
    dev.sw.flushTools();
    ({ byName } = await dev.check());
    expect(byName.get("tpm keys")).toMatchObject({
      verdict: "fail",
      detail: expect.stringContaining("not a device key"),
      hint: expect.stringContaining("refuses to replace it"),
    });
    expect(residue(dev.sw)).toBe("");
  });

  test("skips the TPM self-test while an agent runs on a TPM without resource manager, and still answers", async () => {
    const board = new StatusBoard("test", measured.root);
    const status = startStatusServer(board, { socket: measured.socket, log: silentLogger });
    try {
      const { byName } = await measured.check();
      expect(byName.get("tpm self-test")).toMatchObject({
        verdict: "warn",
        detail: expect.stringContaining("skipped: the running agent"),
        hint: expect.stringContaining("tpmrm0"),
      });
      for (const name of TPM_CHECKS) expect(byName.has(name)).toBe(false);
      expect(byName.get("agent")!.verdict).toBe("ok");
    } finally {
      status.stop();
    }
  });

  /** The self-test in process over a real connection to `dev`'s swtpm, with `wrap` standing between it and the TPM. */
  async function selfTest(dev: Device, wrap: (port: TpmPort) => TpmPort, timeoutMs?: number): Promise<Map<string, CheckResult>> {
    const cfg = loadConfig({ file: join(dev.root, "agent.toml"), env: {} });
    const results = await tpmChecks(cfg, deviceLayout(cfg.root), undefined, {
      connect: async (t) => wrap(await openWorkerTpm(t)),
      ...(timeoutMs ? { timeoutMs } : {}),
    });
    return new Map(results.map((r) => [r.name, r]));
  }

  function intercept(
    port: TpmPort,
    method: keyof TpmPort,
    around: (call: (...a: unknown[]) => Promise<unknown>, args: unknown[]) => Promise<unknown>,
  ): TpmPort {
    return new Proxy(port, {
      get(target, prop, receiver) {
        const v = Reflect.get(target, prop, receiver) as unknown;
        if (typeof v !== "function") return v;
        const call = (...a: unknown[]) => (v as (...a: unknown[]) => Promise<unknown>).apply(target, a);
        return prop === method ? (...args: unknown[]) => around(call, args) : call;
      },
    });
  }

  test("fails the quote when its signature does not verify with the quote key", async () => {
    const byName = await selfTest(measured, (port) =>
      intercept(port, "quote", async (call, args) => {
        const q = (await call(...args)) as { quoted: Uint8Array; signature: Uint8Array };
        const signature = new Uint8Array(q.signature);
        signature[signature.length - 1]! ^= 1;
        return { ...q, signature };
      }),
    );
    expect(byName.get("tpm quote")).toMatchObject({ verdict: "fail", detail: "the quote's signature does not verify with the quote key" });
    expect(byName.get("tpm seal")!.verdict).toBe("ok");
    expect(residue(measured.sw)).toBe("");
  });

  test("fails the seal when a PCR of the vault's policy moves between sealing and unsealing", async () => {
    const byName = await selfTest(measured, (port) =>
      intercept(port, "load", (call, args) => {
        measured.sw.tool(["tpm2_pcrextend", `14:sha256=${"a5".repeat(32)}`]);
        return call(...args);
      }),
    );
    expect(byName.get("tpm seal")).toMatchObject({
      verdict: "fail",
      detail: "PCR 14 changed between sealing and unsealing",
      hint: expect.stringContaining("vault would lock"),
    });
    expect(residue(measured.sw)).toBe("");
  });

  test("gives up on a TPM that stops answering within its time limit, failing that check and the ones after it", async () => {
    const byName = await selfTest(measured, (port) => intercept(port, "pcrRead", () => new Promise(() => {})), 2000);
    expect(byName.get("tpm pcr banks")!.verdict).toBe("ok");
    expect(byName.get("tpm boot measurements")).toMatchObject({ verdict: "fail", detail: expect.stringContaining("did not finish within 2000 ms") });
    for (const name of TPM_CHECKS.slice(2))
      expect(byName.get(name)).toMatchObject({ verdict: "fail", detail: expect.stringContaining("did not finish within 2000 ms") });
  });
});
