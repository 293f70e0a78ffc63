import { spawnSync } from "node:child_process";
import { chmodSync, mkdirSync, readFileSync, rmSync } from "node:fs";
import { join, resolve } from "node:path";
import { codec } from "../../../src/protocol/index.ts";
import type { StatusDocument } from "../../../src/status/index.ts";
import { type RunningController, startTestController } from "../../controller/index.ts";
import { type AgentProcess, startAgent } from "../../harness/agent.ts";
import { tempRoot, writeDeviceConfig } from "../../harness/device.ts";
import { parseEventLog, replayIntoTpm } from "../../harness/eventlog.ts";
import { makeOnboardingCert, type OnboardingCert } from "../../harness/pki.ts";
import { type Swtpm, startSwtpm } from "../../harness/swtpm.ts";

export const EVENT_LOG = resolve(import.meta.dir, "../../fixtures/harness/eventlog-ovmf.bin");
export type ServiceName = "keys" | "certs" | "identity";
export const API_VERSION: Record<ServiceName, string> = { keys: "2021-05-01", certs: "2020-09-01", identity: "2022-08-01" };

export interface TestUser {
  name: string;
  uid: number;
  gid: number;
}

function run(cmd: string[], allowFail = false): string {
  const r = spawnSync(cmd[0]!, cmd.slice(1), { encoding: "utf8" });
  if (r.status !== 0 && !allowFail) throw new Error(`${cmd.join(" ")} failed: ${r.stderr}`);
  return r.stdout;
}

/**
 * Real local users for the authorization tests: a group the sockets belong
 * to and users in it, created with groupadd/useradd and removed by
 * `remove()`. Names carry a random suffix so test files running side by
 * side never share one.
 */
export function createUsers(names: string[]): { group: { name: string; gid: number }; users: Record<string, TestUser>; remove(): void } {
  const tag = Math.random().toString(36).slice(2, 8);
  const group = `eak${tag}`;
  run(["groupadd", group]);
  const gid = Number(run(["getent", "group", group]).split(":")[2]);
  const users: Record<string, TestUser> = {};
  for (const n of names) {
    const name = `eak${tag}${n}`.slice(0, 31);
    run(["useradd", "-M", "-N", "-g", group, "-s", "/usr/sbin/nologin", name]);
    users[n] = { name, uid: Number(run(["id", "-u", name]).trim()), gid };
  }
  return {
    group: { name: group, gid },
    users,
    remove() {
      for (const u of Object.values(users)) run(["userdel", u.name], true);
      run(["groupdel", group], true);
    },
  };
}

/** One exchange with a service, kept for the OpenAPI check and route coverage. */
export interface Exchange {
  service: ServiceName;
  method: string;
  path: string;
  status: number;
  body: unknown;
  raw: string;
}

export const exchanges: Exchange[] = [];

/**
 * A caller of the services: the test process itself (uid 0) or a test user
 * through curl run with that user's uid and gid (setpriv), so the agent
 * sees the real peer credentials of another user.
 */
export class Caller {
  constructor(
    private readonly sockets: Record<ServiceName, string>,
    readonly user?: TestUser,
  ) {}

  async call<T = any>(service: ServiceName, method: string, path: string, body?: unknown): Promise<{ status: number; body: T; raw: string }> {
    const sep = path.includes("?") ? "&" : "?";
    const target = path.includes("api-version=") || path.startsWith("/openapi.json") ? path : `${path}${sep}api-version=${API_VERSION[service]}`;
    const sock = this.sockets[service];
    let status: number;
    let raw: string;
    if (!this.user) {
      const res = await fetch(`http://localhost${target}`, {
        method,
        unix: sock,
        ...(body !== undefined ? { body: JSON.stringify(body), headers: { "Content-Type": "application/json" } } : {}),
      });
      status = res.status;
      raw = await res.text();
    } else {
      const args = [
        "setpriv",
        `--reuid=${this.user.uid}`,
        `--regid=${this.user.gid}`,
        `--groups=${this.user.gid}`,
        "curl",
        "-sS",
        "--unix-socket",
        sock,
        "-X",
        method,
        "-w",
        "\n%{http_code}",
      ];
      if (body !== undefined) args.push("-H", "Content-Type: application/json", "--data-binary", "@-");
      args.push(`http://localhost${target}`);
      const p = Bun.spawn(args, { stdin: body !== undefined ? new TextEncoder().encode(JSON.stringify(body)) : "ignore", stdout: "pipe", stderr: "pipe" });
      const out = await new Response(p.stdout).text();
      await p.exited;
      const nl = out.lastIndexOf("\n");
      status = Number(out.slice(nl + 1));
      raw = out.slice(0, nl);
      if (!status) throw new Error(`curl as ${this.user.name} failed: ${await new Response(p.stderr).text()}`);
    }
    const parsed = raw ? JSON.parse(raw) : undefined;
    exchanges.push({ service, method, path: target, status, body: parsed, raw });
    return { status, body: parsed as T, raw };
  }
}

export interface ServicesRig {
  ctl: RunningController;
  onboard: OnboardingCert;
  sw?: Swtpm;
  root: string;
  sockets: Record<ServiceName, string>;
  /** The agent started last. */
  agent: AgentProcess;
  /** Every agent started on this rig, for the log scan. */
  agents: AgentProcess[];
  /** Stops the agent (SIGTERM) and starts a new one on the same device root. */
  restart(): Promise<AgentProcess>;
  dispose(): Promise<void>;
}

export const trusted = (s: StatusDocument) => s.device.onboarded && s.attestation.state === "Complete" && s.vault.status === "ENABLED";

/**
 * A device on its own swtpm (the recorded OVMF boot replayed) or without a
 * TPM, talking to the test controller, with the agent running and its
 * services' sockets reachable by the test users (the device root is
 * traversable; `toml` sets the sockets' group). `toml` adds sections
 * ([services], [[principal]], [keys], ...).
 */
export async function servicesRig(opts: {
  toml: string;
  serial: string;
  tpm?: boolean;
  env?: Record<string, string>;
  beforeStart?: (root: string) => void;
}): Promise<ServicesRig> {
  const onboard = await makeOnboardingCert();
  const ctl = await startTestController();
  await ctl.addOnboard(onboard.certPem, ["*"]);
  ctl.controller.newDeviceConfig = codec.EdgeDevConfig.encode({ id: { version: "1" } });
  const useTpm = opts.tpm ?? true;
  const sw = useTpm ? await startSwtpm() : undefined;
  if (sw) await replayIntoTpm(parseEventLog(new Uint8Array(readFileSync(EVENT_LOG))).events, sw.tcti);
  const root = tempRoot("edge-agent-services-");
  chmodSync(root, 0o755);
  mkdirSync(join(root, "run", "edge-agent"), { recursive: true, mode: 0o755 });
  writeDeviceConfig(root, { server: ctl.server, rootCertPem: ctl.pki.trustPem, onboard: { certPem: onboard.certPem, keyPem: onboard.keyPem } });
  opts.beforeStart?.(root);
  const tpmToml = sw ? `[tpm]\nmode = "required"\ntcti = ${JSON.stringify(sw.tcti)}\n` : `[tpm]\nmode = "off"\n`;
  const start = () =>
    startAgent({
      root,
      toml: `serial = ${JSON.stringify(opts.serial)}\neventLogPath = ${JSON.stringify(EVENT_LOG)}\n${tpmToml}${opts.toml}\n`,
      ...(opts.env ? { env: opts.env } : {}),
    });
  const dir = join(root, "run", "edge-agent");
  const sockets = { keys: join(dir, "keys.sock"), certs: join(dir, "certs.sock"), identity: join(dir, "identity.sock") };
  const rig: ServicesRig = {
    ctl,
    onboard,
    ...(sw ? { sw } : {}),
    root,
    sockets,
    agent: start(),
    agents: [],
    async restart() {
      await rig.agent.stop();
      rig.agent = start();
      rig.agents.push(rig.agent);
      return rig.agent;
    },
    async dispose() {
      await rig.agent.stop();
      await sw?.stop();
      ctl.stop();
      await ctl.cleanup();
      await onboard.cleanup();
      if (!process.env.EDGE_AGENT_KEEP_TEST_DIRS) rmSync(root, { recursive: true, force: true });
    },
  };
  rig.agents.push(rig.agent);
  return rig;
}

/** Every line of the agent's log, parsed. */
export function logLines(agent: AgentProcess): Array<Record<string, unknown>> {
  return readFileSync(agent.logFile, "utf8")
    .split("\n")
    .filter((l) => l.startsWith("{"))
    .map((l) => JSON.parse(l) as Record<string, unknown>);
}

/** Waits until `pred` holds, polling. */
export async function until<T>(what: string, f: () => Promise<T | undefined> | T | undefined, timeoutMs = 60_000): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const v = await f();
    if (v !== undefined && v !== false) return v;
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await Bun.sleep(100);
  }
}
