/**
 * A private swtpm per test file: TCP data/control ports chosen free, state
 * copied from a once-manufactured template (EK cert included), stopped and
 * removed by stop() and, as a last resort, when the test process exits.
 *
 * swtpm serves one client connection at a time: while an ESAPI context is
 * open on it, tpm2-tools block. Close the agent's TPM before running tools.
 */
import { spawnSync } from "node:child_process";
import { cpSync, existsSync, mkdirSync, mkdtempSync, readFileSync, renameSync, rmSync, writeFileSync } from "node:fs";
import { createServer } from "node:net";
import { tmpdir } from "node:os";
import { join } from "node:path";

const TEMPLATE_DIR = join(tmpdir(), "edge-agent-swtpm-template-v1");
const STATE_FILE = "tpm2-00.permall";

export interface Swtpm {
  tcti: string;
  port: number;
  stateDir: string;
  /** Runs a tpm2-tools command against this TPM; throws with stderr unless allowFail. */
  tool(args: string[], opts?: { allowFail?: boolean; input?: Uint8Array }): ToolResult;
  /** Flushes transient objects and sessions that tpm2-tools left behind (no resource manager). */
  flushTools(): void;
  /** Stops the swtpm process, keeping its state, as a TPM that went away would. */
  pause(): Promise<void>;
  /** Starts it again on the same ports from the kept state (a power cycle: PCRs reset). */
  resume(): Promise<void>;
  stop(): Promise<void>;
}

export interface ToolResult {
  status: number;
  stdout: string;
  stderr: string;
}

/**
 * A private certificate authority for EK certificates (swtpm_localca): its
 * issuer certificate is what a verifier that checks EK chains (Keylime's
 * tenant) must trust, which the system-wide one under /var/lib cannot be
 * relied on for.
 */
export interface EkCa {
  dir: string;
  /** swtpm_setup config naming swtpm_localca with this CA. */
  setupConfig: string;
  /** PEM of the CA that signs the EK certificates (their direct issuer). */
  issuerCert: string;
}

const EK_CA_DIR = join(tmpdir(), "edge-agent-swtpm-ekca-v1");

/** The shared private EK CA, made once (swtpm_localca creates its keys on first use). */
export function privateEkCa(): EkCa {
  const ca = (dir: string): EkCa => ({ dir, setupConfig: join(dir, "swtpm_setup.conf"), issuerCert: join(dir, "issuercert.pem") });
  if (existsSync(join(EK_CA_DIR, "ready"))) return ca(EK_CA_DIR);
  const work = mkdtempSync(join(tmpdir(), "edge-agent-swtpm-ekca-"));
  const c = ca(work);
  // Paths inside the configs point at the final directory: the rename below makes them right.
  writeFileSync(
    join(work, "swtpm-localca.conf"),
    [
      `statedir = ${EK_CA_DIR}`,
      `signingkey = ${join(EK_CA_DIR, "signkey.pem")}`,
      `issuercert = ${join(EK_CA_DIR, "issuercert.pem")}`,
      `certserial = ${join(EK_CA_DIR, "certserial")}`,
      "",
    ].join("\n"),
  );
  writeFileSync(join(work, "swtpm-localca.options"), "--platform-manufacturer edge-agent\n--platform-version 1.0\n--platform-model swtpm\n");
  writeFileSync(
    c.setupConfig,
    [
      "create_certs_tool = /usr/bin/swtpm_localca",
      `create_certs_tool_config = ${join(EK_CA_DIR, "swtpm-localca.conf")}`,
      `create_certs_tool_options = ${join(EK_CA_DIR, "swtpm-localca.options")}`,
      "active_pcr_banks = sha256",
      "",
    ].join("\n"),
  );
  writeFileSync(join(work, "ready"), "");
  try {
    renameSync(work, EK_CA_DIR);
  } catch {
    rmSync(work, { recursive: true, force: true });
  }
  return ca(EK_CA_DIR);
}

function manufacture(into: string, ekCa: EkCa | undefined): void {
  const r = spawnSync(
    "swtpm_setup",
    [
      "--tpm2",
      "--tpmstate",
      into,
      "--create-ek-cert",
      "--create-platform-cert",
      "--lock-nvram",
      "--overwrite",
      ...(ekCa ? ["--config", ekCa.setupConfig] : []),
    ],
    { encoding: "utf8" },
  );
  if (r.status !== 0) throw new Error(`swtpm_setup failed: ${r.stderr || r.stdout}`);
  if (ekCa && !existsSync(ekCa.issuerCert)) throw new Error(`swtpm_localca made no ${ekCa.issuerCert}`);
}

function manufacturedTemplate(ekCa?: EkCa): string {
  const dir = ekCa ? `${TEMPLATE_DIR}-ekca` : TEMPLATE_DIR;
  if (existsSync(join(dir, STATE_FILE))) return dir;
  const work = mkdtempSync(join(tmpdir(), "edge-agent-swtpm-mfg-"));
  manufacture(work, ekCa);
  // Rename is atomic, so a concurrently manufacturing process cannot leave a half-written template.
  try {
    renameSync(work, dir);
  } catch {
    rmSync(work, { recursive: true, force: true });
  }
  return dir;
}

export interface SwtpmOptions {
  /** EK certificates issued by this private CA (privateEkCa()) instead of the system's swtpm-localca. */
  ekCa?: EkCa;
  /**
   * Manufacture this TPM's own state instead of copying the shared template:
   * its seeds, and so its EK, differ from every other swtpm's (another TPM).
   */
  unique?: boolean;
}

function portFree(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const s = createServer();
    s.once("error", () => resolve(false));
    s.listen(port, "127.0.0.1", () => s.close(() => resolve(true)));
  });
}

async function freePortPair(): Promise<number> {
  for (let i = 0; i < 50; i++) {
    const p = 20000 + Math.floor(Math.random() * 20000) * 2;
    if ((await portFree(p)) && (await portFree(p + 1))) return p;
  }
  throw new Error("no free TCP port pair for swtpm");
}

const running = new Set<number>();
process.once("exit", () => {
  for (const pid of running) {
    try {
      process.kill(pid, "SIGKILL");
    } catch {}
  }
});

function alive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
}

async function waitFor(cond: () => boolean | Promise<boolean>, ms: number): Promise<boolean> {
  const end = Date.now() + ms;
  while (Date.now() < end) {
    if (await cond()) return true;
    await Bun.sleep(20);
  }
  return cond();
}

export async function startSwtpm(opts: SwtpmOptions = {}): Promise<Swtpm> {
  const stateDir = mkdtempSync(join(tmpdir(), "edge-agent-swtpm-"));
  if (opts.unique) manufacture(stateDir, opts.ekCa);
  else cpSync(join(manufacturedTemplate(opts.ekCa), STATE_FILE), join(stateDir, STATE_FILE));
  const pidFile = join(stateDir, "swtpm.pid");
  let port = 0;
  let pid = 0;
  const launch = async (): Promise<number> => {
    rmSync(pidFile, { force: true });
    const r = spawnSync(
      "swtpm",
      [
        "socket",
        "--tpm2",
        "--server",
        `type=tcp,port=${port},bindaddr=127.0.0.1`,
        "--ctrl",
        `type=tcp,port=${port + 1},bindaddr=127.0.0.1`,
        "--tpmstate",
        `dir=${stateDir}`,
        "--flags",
        "not-need-init,startup-clear",
        "--pid",
        `file=${pidFile}`,
        "-d",
      ],
      { encoding: "utf8" },
    );
    if (r.status === 0 && (await waitFor(() => existsSync(pidFile) && readFileSync(pidFile, "utf8").trim() !== "", 2000))) {
      const p = Number(readFileSync(pidFile, "utf8").trim());
      running.add(p);
      return p;
    }
    return 0;
  };
  for (let attempt = 0; attempt < 5 && pid === 0; attempt++) {
    port = await freePortPair();
    pid = await launch();
  }
  if (pid === 0) {
    rmSync(stateDir, { recursive: true, force: true });
    throw new Error("swtpm did not start");
  }
  await waitFor(async () => !(await portFree(port)), 2000);
  const tcti = `swtpm:host=127.0.0.1,port=${port}`;
  const env = { ...process.env, TPM2TOOLS_TCTI: tcti, TSS2_LOG: "all+none" };

  const halt = async () => {
    if (pid === 0) return;
    spawnSync("swtpm_ioctl", ["--tcp", `127.0.0.1:${port + 1}`, "-s"], { timeout: 5000 });
    if (!(await waitFor(() => !alive(pid), 3000))) {
      try {
        process.kill(pid, "SIGKILL");
      } catch {}
      await waitFor(() => !alive(pid), 2000);
    }
    running.delete(pid);
    pid = 0;
  };

  const tool: Swtpm["tool"] = (args, opts = {}) => {
    const [cmd, ...rest] = args;
    const r = spawnSync(cmd!, rest, { env, encoding: "utf8", input: opts.input, timeout: 30_000 });
    const res = { status: r.status ?? -1, stdout: r.stdout ?? "", stderr: r.stderr ?? "" };
    if (res.status !== 0 && !opts.allowFail) throw new Error(`${args.join(" ")} failed (${res.status}): ${res.stderr}`);
    return res;
  };

  return {
    tcti,
    port,
    stateDir,
    tool,
    flushTools() {
      tool(["tpm2_flushcontext", "-t"], { allowFail: true });
      tool(["tpm2_flushcontext", "-s"], { allowFail: true });
    },
    async pause() {
      await halt();
    },
    async resume() {
      for (let attempt = 0; attempt < 20 && pid === 0; attempt++) {
        pid = await launch();
        if (pid === 0) await Bun.sleep(100);
      }
      if (pid === 0) throw new Error(`swtpm did not start again on port ${port}`);
      await waitFor(async () => !(await portFree(port)), 2000);
    },
    async stop() {
      await halt();
      rmSync(stateDir, { recursive: true, force: true });
    },
  };
}

/** Scratch directory for files handed to tpm2-tools / openssl. */
export function scratchDir(): string {
  const d = mkdtempSync(join(tmpdir(), "edge-agent-tpmtest-"));
  mkdirSync(d, { recursive: true });
  return d;
}
