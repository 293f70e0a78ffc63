/**
 * The device image (images/) under QEMU: host tools, image build, boot, and
 * the framed result blocks images/init writes to the second serial port.
 *
 * The shell scripts in images/ hold the one implementation of the build and
 * the QEMU command line, so a test boots exactly what a person boots by hand.
 */
import { existsSync, readFileSync } from "node:fs";
import { resolve } from "node:path";
import { gunzipSync } from "node:zlib";
import type { StatusDocument } from "../../src/status/index.ts";
import { type LoggedProcess, run, spawnLogged } from "./proc.ts";

export const REPO = resolve(import.meta.dir, "../..");
export const IMAGES = resolve(REPO, "images");

/** Debian packages the host needs to build and boot the image. */
const HOST_PACKAGES: Record<string, string> = {
  "qemu-system-x86_64": "qemu-system-x86",
  "/usr/share/ovmf/OVMF.fd": "ovmf",
  cpio: "cpio",
  depmod: "kmod",
  "mkfs.ext4": "e2fsprogs",
  swtpm: "swtpm",
  swtpm_setup: "swtpm-tools",
  tpm2_eventlog: "tpm2-tools",
};

async function have(what: string): Promise<boolean> {
  if (what.startsWith("/")) return existsSync(what);
  return (await run(["sh", "-c", `command -v ${what} || test -x /usr/sbin/${what} || test -x /sbin/${what}`])).code === 0;
}

/**
 * Installs what is missing with apt-get when root (as scripts/setup.sh does
 * for the other tests); otherwise fails naming the packages.
 */
export async function ensureHostTools(): Promise<void> {
  const missing = new Set<string>();
  for (const [what, pkg] of Object.entries(HOST_PACKAGES)) if (!(await have(what))) missing.add(pkg);
  if (missing.size === 0) return;
  const pkgs = [...missing];
  if (process.getuid?.() !== 0) throw new Error(`QEMU test needs Debian packages: apt-get install ${pkgs.join(" ")}`);
  const env = { ...process.env, DEBIAN_FRONTEND: "noninteractive" };
  let r = await run(["apt-get", "install", "-y", "-q", "--no-install-recommends", ...pkgs], { env, timeoutMs: 300_000 });
  if (r.code !== 0) {
    await run(["apt-get", "update", "-q"], { env, timeoutMs: 120_000 });
    r = await run(["apt-get", "install", "-y", "-q", "--no-install-recommends", ...pkgs], { env, timeoutMs: 300_000 });
  }
  if (r.code !== 0) throw new Error(`apt-get install ${pkgs.join(" ")} failed: ${r.stderr.slice(-2000)}`);
}

export { compileAgent } from "./build.ts";

export interface BuiltImage {
  dir: string;
  /** The build script's own progress lines (cold vs warm is visible there). */
  log: string;
}

export async function buildImage(agent: string, out: string): Promise<BuiltImage> {
  const r = await run(["sh", `${IMAGES}/build-initramfs.sh`, "--agent", agent, "--out", out], { cwd: REPO, timeoutMs: 240_000 });
  if (r.code !== 0) throw new Error(`images/build-initramfs.sh failed (${r.code}):\n${r.stderr}${r.stdout}`);
  return { dir: out, log: r.stderr };
}

export interface ConfigArchive {
  out: string;
  server?: string;
  rootCert?: string;
  onboardCert?: string;
  onboardKey?: string;
  serial?: string;
  agentToml?: string;
}

/**
 * The guest gives up and reports this long after its agent starts. The same
 * on every boot: it is on the measured command line.
 */
export const GUEST_WAIT_S = 280;
/** QEMU is killed after this; above the guest's own deadline plus firmware and boot. */
export const VM_LIMIT_S = 340;

/**
 * The guest agent's timers for an emulated CPU: fast enough to finish in a
 * minute, loose enough that TCG slowness is not mistaken for a dead controller.
 */
export const GUEST_TOML = `
[log]
level = "debug"
[timers]
dialTimeoutMs = 15000
sendTimeoutMs = 60000
backoffInitialMs = 500
backoffMaxMs = 3000
fastPathMs = 5000
configIntervalMs = 2000
deviceInfoIntervalMs = 5000
attestRetryMs = 1000
deferredMinMs = 500
deferredMaxMs = 3000
uuidRecheckMs = 5000
certIntervalMs = 3600000
`;

/** images/make-disk.sh: the persistent ext4 disk with /config filled from the onboarding files. */
export async function makeDisk(c: ConfigArchive): Promise<string> {
  const opt = (flag: string, v?: string) => (v === undefined ? [] : [flag, v]);
  const args = [
    "sh",
    `${IMAGES}/make-disk.sh`,
    "--out",
    c.out,
    ...opt("--server", c.server),
    ...opt("--root-cert", c.rootCert),
    ...opt("--onboard-cert", c.onboardCert),
    ...opt("--onboard-key", c.onboardKey),
    ...opt("--serial", c.serial),
    ...opt("--agent-toml", c.agentToml),
  ];
  const r = await run(args, { timeoutMs: 30_000 });
  if (r.code !== 0) throw new Error(`images/make-disk.sh failed (${r.code}): ${r.stderr}`);
  return c.out;
}

export interface BootOptions {
  image: string;
  /** swtpm state dir (manufactured on first use). */
  tpmDir: string;
  config?: string;
  /** Persistent disk (makeDisk), kept between boots. */
  disk?: string;
  append?: string;
  firmware?: "ovmf" | "seabios";
  console: string;
  results: string;
  /** Whole-VM limit in seconds, enforced by `timeout -k 5` around QEMU. */
  timeoutS: number;
  /** run-qemu.sh's own output (accelerator, exit status). */
  logPath: string;
}

export function bootImage(o: BootOptions): LoggedProcess {
  const args = [
    "sh",
    `${IMAGES}/run-qemu.sh`,
    "--image",
    o.image,
    "--tpm",
    o.tpmDir,
    "--console",
    o.console,
    "--results",
    o.results,
    "--timeout",
    String(o.timeoutS),
    "--firmware",
    o.firmware ?? "ovmf",
  ];
  if (o.config) args.push("--config", o.config);
  if (o.disk) args.push("--disk", o.disk);
  if (o.append) args.push("--append", o.append);
  return spawnLogged(args, { cwd: REPO, logPath: o.logPath, env: { ...process.env } });
}

export interface GuestReport {
  /** EDGE-AGENT-RESULT word: the wait target reached, "timeout", "agent-exited-N", "no-tpm", ... */
  result?: string;
  /** The guest's `edge-agent status --json`. */
  status?: StatusDocument;
  agentLog?: string;
  /** Seconds since the guest kernel started: agent started, wait target reached. */
  times?: { agentStart?: number; reached?: number; report?: number };
  /** How often init restarted the agent because it exited. */
  restarts?: number;
  /** When the wait target was reached: the agent's VmRSS and the guest's MemTotal - MemAvailable, KiB. */
  mem?: { agentRssKb?: number; usedKb?: number };
  /** The persistent disk's device, when the guest had one. */
  disk?: string;
  /** The DONE marker was seen: every block arrived whole. */
  complete: boolean;
}

function block(text: string, name: string): string | undefined {
  const m = text.match(new RegExp(`EDGE-AGENT-${name}-BEGIN\\r?\\n([A-Za-z0-9+/=\\r\\n]*?)EDGE-AGENT-${name}-END`));
  return m ? m[1]!.replace(/\s+/g, "") : undefined;
}

/** Reads the second serial port's file; firmware noise before the first marker is skipped. */
export function readGuestReport(path: string): GuestReport {
  const text = existsSync(path) ? readFileSync(path, "latin1") : "";
  const report: GuestReport = { complete: /EDGE-AGENT-DONE/.test(text) };
  report.result = text.match(/EDGE-AGENT-RESULT (\S+)/)?.[1];
  const times = text.match(/EDGE-AGENT-TIMES (.*)/)?.[1];
  if (times) {
    const num = (k: string) => {
      const v = Number(times.match(new RegExp(`${k}=(\\S+)`))?.[1]);
      return Number.isFinite(v) ? v : undefined;
    };
    report.times = { agentStart: num("agent-start"), reached: num("reached"), report: num("report") };
  }
  const restarts = text.match(/EDGE-AGENT-RESTARTS (\d+)/)?.[1];
  if (restarts !== undefined) report.restarts = Number(restarts);
  const mem = text.match(/EDGE-AGENT-MEM (.*)/)?.[1];
  if (mem && mem.trim() !== "none") {
    const kb = (k: string) => {
      const v = Number(mem.match(new RegExp(`${k}=(\\d+)`))?.[1]);
      return Number.isFinite(v) ? v : undefined;
    };
    report.mem = { agentRssKb: kb("agent-rss-kb"), usedKb: kb("used-kb") };
  }
  const disk = text.match(/EDGE-AGENT-DISK (\S+)/)?.[1];
  if (disk && disk !== "none") report.disk = disk;
  const status = block(text, "STATUS");
  if (status) {
    try {
      report.status = JSON.parse(Buffer.from(status, "base64").toString("utf8"));
    } catch {}
  }
  const log = block(text, "LOG");
  if (log) {
    try {
      report.agentLog = gunzipSync(Buffer.from(log, "base64")).toString("utf8");
    } catch {}
  }
  return report;
}

/** Last `lines` lines of a text file, with firmware screen-control sequences removed. */
export function tail(path: string, lines = 60): string {
  if (!existsSync(path)) return `(${path} does not exist)`;
  // eslint-disable-next-line no-control-regex
  const text = readFileSync(path, "latin1").replace(/\x1b\[[0-9;=?]*[A-Za-z]/g, "");
  return text.split("\n").slice(-lines).join("\n");
}
