/**
 * The real Keylime (7.14.3, Python, from PyPI) as the test peer, as Adam is
 * for EVE: a cached virtual environment, configs written per run, the
 * verifier (pull, and a second one in push mode on request) and then the
 * registrar on free loopback ports, the tenant to enrol agents and read
 * verdicts, and everything it started stopped by PID, children included.
 *
 * docs/keylime.md#running-keylime is the recipe. Without Debian's python3
 * with python3-gpg and python3-venv this fails loudly: the Keylime scenarios
 * must never be skipped.
 */
import { spawnSync } from "node:child_process";
import { cpSync, existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from "node:fs";
import { homedir, tmpdir } from "node:os";
import { join } from "node:path";
import { acceptsConnections, freePort, isAlive, type LoggedProcess, type RunResult, run, spawnLogged, waitFor } from "./proc.ts";

export const KEYLIME_VERSION = "7.14.3";

/**
 * keylime's wheel declares no dependencies, so they are listed here, pinned to
 * what was tested, so a new release of one of them cannot change the peer.
 * Installed with --ignore-installed: the venv sees Debian's site-packages only
 * for python3-gpg, not for older copies of these.
 */
const PIP_PACKAGES = [
  `keylime==${KEYLIME_VERSION}`,
  "cryptography==50.0.2",
  "tornado==6.6.1",
  "SQLAlchemy==2.1.9",
  "alembic==1.20.1",
  "packaging==26.4",
  "psutil==7.2.2",
  "pyasn1==0.6.5",
  "pyasn1_modules==0.4.2",
  "Jinja2==3.1.6",
  "typing_extensions==4.16.0",
  "jsonschema==4.26.0",
  "PyYAML",
  "requests==2.34.2",
  "lark==1.3.1",
];

/** Debian's python3: python3-gpg installs the `gpg` module for it only. */
const SYSTEM_PYTHON = "/usr/bin/python3";
const READY = ".edge-agent-ready";

export class KeylimeHarnessError extends Error {
  override readonly name = "KeylimeHarnessError";
}

export interface KeylimeInstall {
  /** The venv; console scripts in bin/. */
  venv: string;
  /** Default configs written by keylime_upgrade_config from the sdist's templates. */
  defaults: string;
  /** True when an earlier run's venv was reused. */
  cached: boolean;
  ms: number;
}

function defaultVenvPath(): string {
  return process.env.EDGE_AGENT_KEYLIME_VENV ?? join(process.env.HOME || homedir(), ".cache", "edge-agent", `keylime-venv-${KEYLIME_VERSION}`);
}

function checkPython(): void {
  if (!existsSync(SYSTEM_PYTHON)) {
    throw new KeylimeHarnessError(
      `Keylime tests need Debian's ${SYSTEM_PYTHON} (apt-get install python3 python3-venv python3-gpg; scripts/setup.sh does it as root)`,
    );
  }
  const r = spawnSync(SYSTEM_PYTHON, ["-c", "import gpg, venv, ensurepip"], { encoding: "utf8" });
  if (r.status !== 0) {
    throw new KeylimeHarnessError(
      `Keylime tests need python3-gpg and python3-venv for ${SYSTEM_PYTHON} (apt-get install python3-gpg python3-venv; scripts/setup.sh does it as root): ${r.stderr.trim()}`,
    );
  }
}

/** An exclusive lock directory holding the owner's pid; a dead owner's lock is taken over. */
async function withLock<T>(path: string, f: () => Promise<T>): Promise<T> {
  await waitFor(
    () => {
      try {
        mkdirSync(path);
        writeFileSync(join(path, "pid"), String(process.pid));
        return true;
      } catch {
        const owner = Number(readFileIf(join(path, "pid")) || 0);
        if (owner > 0 && !isAlive(owner)) rmSync(path, { recursive: true, force: true });
        else if (owner === 0 && Date.now() - statSync(path).mtimeMs > 30_000) rmSync(path, { recursive: true, force: true });
        return false;
      }
    },
    15 * 60_000,
    { intervalMs: 500, what: `the Keylime install lock ${path}` },
  );
  try {
    return await f();
  } finally {
    rmSync(path, { recursive: true, force: true });
  }
}

function readFileIf(path: string): string | undefined {
  try {
    return readFileSync(path, "utf8");
  } catch {
    return undefined;
  }
}

async function step(cmd: string[], what: string, opts: { cwd?: string; timeoutMs?: number } = {}): Promise<RunResult> {
  const r = await run(cmd, { ...opts, timeoutMs: opts.timeoutMs ?? 15 * 60_000, env: { ...process.env, PIP_DISABLE_PIP_VERSION_CHECK: "1" } });
  if (r.code !== 0) throw new KeylimeHarnessError(`${what} failed (${r.code}): ${(r.stderr || r.stdout).trim().slice(-3000)}`);
  return r;
}

let memo: Promise<KeylimeInstall> | undefined;

/**
 * Keylime in a venv under ~/.cache/edge-agent (EDGE_AGENT_KEYLIME_VENV to
 * move it), made once and reused: a venv embeds its own path, so it is built
 * in place under a lock and marked ready at the end; a half-built one is
 * removed and built again.
 */
export function installKeylime(): Promise<KeylimeInstall> {
  memo ??= doInstall().catch((e) => {
    memo = undefined;
    throw e;
  });
  return memo;
}

async function doInstall(): Promise<KeylimeInstall> {
  const t0 = performance.now();
  checkPython();
  const venv = defaultVenvPath();
  const defaults = join(venv, "etc-defaults");
  const done = (cached: boolean): KeylimeInstall => ({ venv, defaults, cached, ms: Math.round(performance.now() - t0) });
  const ready = () => readFileIf(join(venv, READY)) === `${KEYLIME_VERSION}\n${PIP_PACKAGES.join(" ")}\n`;
  if (ready()) return done(true);
  mkdirSync(join(venv, ".."), { recursive: true });
  return withLock(`${venv}.lock`, async () => {
    if (ready()) return done(true);
    rmSync(venv, { recursive: true, force: true });
    await step([SYSTEM_PYTHON, "-m", "venv", "--system-site-packages", venv], "python3 -m venv");
    const pip = join(venv, "bin", "pip");
    await step([pip, "install", "--quiet", "--ignore-installed", ...PIP_PACKAGES], "pip install keylime");
    // The config templates ship only in the sdist.
    const dl = mkdtempSync(join(tmpdir(), "edge-agent-keylime-sdist-"));
    try {
      await step([pip, "download", "--quiet", "--no-deps", "--no-binary", ":all:", "-d", dl, `keylime==${KEYLIME_VERSION}`], "pip download keylime sdist");
      const tarball = readdirSync(dl).find((n) => n.endsWith(".tar.gz"));
      if (!tarball) throw new KeylimeHarnessError(`pip download left no sdist in ${dl}`);
      await step(["tar", "-xzf", join(dl, tarball), "-C", dl, `keylime-${KEYLIME_VERSION}/templates`], "untar the sdist's templates");
      cpSync(join(dl, `keylime-${KEYLIME_VERSION}`, "templates"), join(venv, "templates"), { recursive: true });
    } finally {
      rmSync(dl, { recursive: true, force: true });
    }
    mkdirSync(defaults, { recursive: true });
    await step(
      [join(venv, "bin", "keylime_upgrade_config"), "--defaults", "--templates", join(venv, "templates"), "--out", defaults],
      "keylime_upgrade_config --defaults",
    );
    for (const f of ["verifier.conf", "registrar.conf", "tenant.conf", "logging.conf", "ca.conf"]) {
      if (!existsSync(join(defaults, f))) throw new KeylimeHarnessError(`keylime_upgrade_config wrote no ${f}`);
    }
    writeFileSync(join(venv, READY), `${KEYLIME_VERSION}\n${PIP_PACKAGES.join(" ")}\n`);
    return done(false);
  });
}

// ---------------------------------------------------------------------------
// configs

/**
 * Sets `key = value` in `[section]` of a Keylime INI text, replacing the
 * existing line; every key the harness sets exists in the defaults, so a
 * missing one means the templates changed and is an error.
 */
export function setIni(text: string, section: string, key: string, value: string): string {
  const lines = text.split("\n");
  let cur = "";
  for (let i = 0; i < lines.length; i++) {
    const sec = /^\s*\[([^\]]+)\]\s*$/.exec(lines[i]!);
    if (sec) cur = sec[1]!;
    else if (cur === section && new RegExp(`^\\s*${key}\\s*=`).test(lines[i]!)) {
      lines[i] = `${key} = ${value}`;
      return lines.join("\n");
    }
  }
  throw new KeylimeHarnessError(`no option ${key} in [${section}] of the default config`);
}

function writeConfig(
  install: KeylimeInstall,
  dir: string,
  name: string,
  section: string,
  values: Record<string, string | number | boolean>,
  extra: Record<string, Record<string, string>> = {},
): string {
  let text = readFileSync(join(install.defaults, name.replace(/-[a-z]+\.conf$/, ".conf")), "utf8");
  for (const [k, v] of Object.entries(values)) text = setIni(text, section, k, typeof v === "boolean" ? (v ? "True" : "False") : String(v));
  for (const [sec, kv] of Object.entries(extra)) for (const [k, v] of Object.entries(kv)) text = setIni(text, sec, k, v);
  const path = join(dir, name);
  writeFileSync(path, text);
  return path;
}

// ---------------------------------------------------------------------------
// run

export interface StartKeylimeOptions {
  /**
   * Folder with the EK certificate's direct issuer (the tenant's
   * tpm_cert_store; the tenant checks only that link).
   */
  tpmCertStore: string;
  /** Verifier and tenant talk to pull agents over mTLS (Keylime's default) or plain HTTP. Default true. */
  agentMtls?: boolean;
  /** Also start a verifier in push mode (API 3.0) on its own port and database. */
  push?: boolean;
  /** More [verifier] options of the push verifier (e.g. session_lifetime, extend_token_on_attestation). */
  pushVerifierOptions?: Record<string, string | number | boolean>;
  /** Seconds between the verifier's polls (pull) or asked of the agent (push). Default 2. */
  quoteInterval?: number;
  /** Keep the work dir after stop() (logs, configs, databases). */
  keepDir?: boolean;
}

export interface KeylimeService {
  port: number;
  pid: number;
  log(): string;
}

export interface TenantOptions {
  /** Run against the push verifier with --push-model. */
  push?: boolean;
  timeoutMs?: number;
  /** Per-call config overrides, e.g. KEYLIME_TENANT_TPM_CERT_STORE. */
  env?: Record<string, string>;
}

export interface TenantResult extends RunResult {
  /** Every JSON object the tenant printed, in order (it prints its answers as JSON lines amid its log). */
  json: Record<string, unknown>[];
}

export interface RegistrarAgent {
  aik_tpm?: string;
  ek_tpm?: string;
  ekcert?: string;
  mtls_cert?: string;
  ip?: string;
  port?: number;
  /** Set by the harness: the registrar answers with the record (200) only once the agent is activated. */
  active: boolean;
  regcount?: number;
  [k: string]: unknown;
}

export interface Keylime {
  install: KeylimeInstall;
  dir: string;
  /** KEYLIME_DIR: cv_ca/ holds the CA, the servers' and the tenant's client certificates. */
  keylimeDir: string;
  verifier: KeylimeService;
  pushVerifier?: KeylimeService;
  /** port: plain HTTP where agents register; tlsPort: tenant and verifier. */
  registrar: KeylimeService & { tlsPort: number };
  /** What an agent's [keylime] registrarUrl is set to. */
  registrarUrl: string;
  /** https URL of the push verifier (agent's verifierUrl). */
  pushVerifierUrl?: string;
  /** cv_ca/cacert.crt: signs the servers' certificates and the verifier's and tenant's client certificates. */
  caCert: string;
  clientCert: string;
  clientKey: string;
  agentMtls: boolean;
  /** Wall time from startKeylime's call until the registrar answered. */
  startMs: number;
  tenant(args: string[], opts?: TenantOptions): Promise<TenantResult>;
  /** The verifier's view of an agent (`-c cvstatus`), the first JSON object the tenant printed for it. */
  cvstatus(uuid: string, opts?: TenantOptions): Promise<Record<string, unknown> | undefined>;
  /**
   * The registrar's record of an agent through its TLS API (GET
   * /v2.x/agents/{uuid}): the record with active true, { active: false }
   * while registered but not activated, undefined when unknown.
   */
  registrarAgent(uuid: string): Promise<RegistrarAgent | undefined>;
  /** UUIDs the registrar holds (GET /v2.x/agents/). */
  registrarAgents(): Promise<string[]>;
  stop(): Promise<void>;
}

const API = "v2.6";

async function startService(
  name: string,
  install: KeylimeInstall,
  dir: string,
  env: Record<string, string>,
  ports: number[],
  started: LoggedProcess[],
): Promise<LoggedProcess> {
  const p = spawnLogged([join(install.venv, "bin", `keylime_${name.replace(/-.*/, "")}`)], { cwd: dir, env, logPath: join(dir, `${name}.log`) });
  started.push(p);
  let exited: number | undefined;
  void p.exited.then((c) => (exited = c));
  // A first start generates the CA (RSA keys) with the machine's cores shared: be patient.
  await waitFor(
    async () => {
      if (exited !== undefined) throw new KeylimeHarnessError(`keylime_${name} exited ${exited}:\n${p.log().slice(-4000)}`);
      for (const port of ports) if (!(await acceptsConnections(port))) return false;
      return true;
    },
    180_000,
    { intervalMs: 200, what: `keylime_${name} on port(s) ${ports.join(",")}` },
  ).catch((e) => {
    throw new KeylimeHarnessError(`${(e as Error).message}\n${p.log().slice(-4000)}`);
  });
  return p;
}

/** Every JSON object the tenant printed on a line of its own or after a log prefix. */
function jsonObjects(text: string): Record<string, unknown>[] {
  const out: Record<string, unknown>[] = [];
  for (const line of text.split("\n")) {
    const at = line.indexOf("{");
    if (at < 0) continue;
    try {
      const v = JSON.parse(line.slice(at));
      if (v && typeof v === "object" && !Array.isArray(v)) out.push(v as Record<string, unknown>);
    } catch {
      // a log line with a brace in it
    }
  }
  return out;
}

/**
 * Starts Keylime's verifier (which creates cv_ca on its first start), the
 * push verifier when asked, then the registrar, on free loopback ports, with
 * configs written into a private directory. stop() ends every process it
 * started and their children.
 */
export async function startKeylime(opts: StartKeylimeOptions): Promise<Keylime> {
  const t0 = performance.now();
  const install = await installKeylime();
  const dir = mkdtempSync(join(tmpdir(), "edge-agent-keylime-"));
  const keylimeDir = join(dir, "var");
  mkdirSync(keylimeDir);
  const agentMtls = opts.agentMtls ?? true;
  const quoteInterval = opts.quoteInterval ?? 2;
  const [verifierPort, pushPort, regPort, regTlsPort] = [await freePort(), opts.push ? await freePort() : 0, await freePort(), await freePort()];
  const sqlite = (n: string) => `sqlite:///${join(keylimeDir, `${n}.sqlite`)}`;
  const verifierValues = {
    ip: "127.0.0.1",
    registrar_ip: "127.0.0.1",
    registrar_port: regTlsPort,
    enable_agent_mtls: agentMtls,
    quote_interval: quoteInterval,
    num_workers: 1,
    max_retries: 3,
    retry_interval: 1,
  };
  const noRevocations = { revocations: { enabled_revocation_notifications: "[]" } };
  const verifierConf = writeConfig(
    install,
    dir,
    "verifier.conf",
    "verifier",
    { ...verifierValues, port: verifierPort, tls_dir: "generate", database_url: sqlite("verifier") },
    noRevocations,
  );
  const pushConf = opts.push
    ? writeConfig(
        install,
        dir,
        "verifier-push.conf",
        "verifier",
        { ...verifierValues, port: pushPort, tls_dir: "default", database_url: sqlite("verifier-push"), mode: "push", ...opts.pushVerifierOptions },
        noRevocations,
      )
    : undefined;
  const registrarConf = writeConfig(install, dir, "registrar.conf", "registrar", {
    ip: "127.0.0.1",
    port: regPort,
    tls_port: regTlsPort,
    tls_dir: "default",
    database_url: sqlite("registrar"),
  });
  const tenantValues = {
    verifier_ip: "127.0.0.1",
    verifier_port: verifierPort,
    registrar_ip: "127.0.0.1",
    registrar_port: regTlsPort,
    enable_agent_mtls: agentMtls,
    tpm_cert_store: opts.tpmCertStore,
    require_ek_cert: true,
    accept_tpm_signing_algs: "['ecschnorr', 'rsassa', 'ecdsa']",
    max_retries: 3,
    retry_interval: 1,
  };
  const tenantConf = writeConfig(install, dir, "tenant.conf", "tenant", tenantValues);
  const tenantPushConf = opts.push ? writeConfig(install, dir, "tenant-push.conf", "tenant", { ...tenantValues, verifier_port: pushPort }) : undefined;
  const loggingConf = join(dir, "logging.conf");
  cpSync(join(install.defaults, "logging.conf"), loggingConf);
  const caConf = join(dir, "ca.conf");
  cpSync(join(install.defaults, "ca.conf"), caConf);

  const baseEnv: Record<string, string> = {
    PATH: `${join(install.venv, "bin")}:${process.env.PATH ?? "/usr/bin:/bin"}`,
    HOME: dir,
    KEYLIME_DIR: keylimeDir,
    KEYLIME_LOGGING_CONFIG: loggingConf,
    KEYLIME_CA_CONFIG: caConf,
    PYTHONUNBUFFERED: "1",
  };
  const started: LoggedProcess[] = [];
  const stopAll = async () => {
    // Reverse order; each stop() ends the process and its children by PID (the multiprocessing manager ignores SIGTERM).
    for (const p of [...started].reverse()) await p.stop(3000).catch(() => undefined);
  };
  try {
    const verifier = await startService("verifier", install, dir, { ...baseEnv, KEYLIME_VERIFIER_CONFIG: verifierConf }, [verifierPort], started);
    if (!existsSync(join(keylimeDir, "cv_ca", "cacert.crt"))) throw new KeylimeHarnessError(`the verifier made no cv_ca in ${keylimeDir}`);
    const push = pushConf
      ? await startService("verifier-push", install, dir, { ...baseEnv, KEYLIME_VERIFIER_CONFIG: pushConf }, [pushPort], started)
      : undefined;
    const registrar = await startService("registrar", install, dir, { ...baseEnv, KEYLIME_REGISTRAR_CONFIG: registrarConf }, [regPort, regTlsPort], started);
    const registrarUrl = `http://127.0.0.1:${regPort}`;
    await waitFor(async () => (await fetch(`${registrarUrl}/version`)).ok, 30_000, { what: "the registrar's /version" });
    const cvCa = join(keylimeDir, "cv_ca");
    const caCert = join(cvCa, "cacert.crt");
    const clientCert = join(cvCa, "client-cert.crt");
    const clientKey = join(cvCa, "client-private.pem");
    for (const f of [clientCert, clientKey]) if (!existsSync(f)) throw new KeylimeHarnessError(`no ${f}: cv_ca is not what Keylime 7.14.3 makes`);
    const tls = { ca: readFileSync(caCert, "utf8"), cert: readFileSync(clientCert, "utf8"), key: readFileSync(clientKey, "utf8") };

    const registrarGet = async (path: string): Promise<{ status: number; body: { code?: number; results?: unknown } }> => {
      // Bun's fetch takes client certificates through its tls option.
      const res = await fetch(`https://127.0.0.1:${regTlsPort}/${API}/${path}`, { tls: { ...tls, checkServerIdentity: () => undefined } } as RequestInit);
      return { status: res.status, body: (await res.json().catch(() => ({}))) as { code?: number; results?: unknown } };
    };

    const tenant: Keylime["tenant"] = async (args, o = {}) => {
      if (o.push && !tenantPushConf) throw new KeylimeHarnessError("tenant({ push: true }) needs startKeylime({ push: true })");
      const r = await run([join(install.venv, "bin", "keylime_tenant"), ...(o.push ? ["--push-model"] : []), ...args], {
        cwd: dir,
        env: { ...baseEnv, KEYLIME_TENANT_CONFIG: o.push ? tenantPushConf! : tenantConf, ...o.env },
        timeoutMs: o.timeoutMs ?? 120_000,
      });
      return { ...r, json: jsonObjects(`${r.stdout}\n${r.stderr}`) };
    };

    return {
      install,
      dir,
      keylimeDir,
      verifier: { port: verifierPort, pid: verifier.pid, log: verifier.log },
      ...(push ? { pushVerifier: { port: pushPort, pid: push.pid, log: push.log }, pushVerifierUrl: `https://127.0.0.1:${pushPort}` } : {}),
      registrar: { port: regPort, tlsPort: regTlsPort, pid: registrar.pid, log: registrar.log },
      registrarUrl,
      caCert,
      clientCert,
      clientKey,
      agentMtls,
      startMs: Math.round(performance.now() - t0),
      tenant,
      async cvstatus(uuid, o = {}) {
        const r = await tenant(["-c", "cvstatus", "-u", uuid], o);
        return (r.json.find((j) => uuid in j)?.[uuid] as Record<string, unknown> | undefined) ?? undefined;
      },
      async registrarAgent(uuid) {
        const r = await registrarGet(`agents/${uuid}`);
        // The registrar shows a record only once activated; before that it answers 404 "has not been activated".
        if (r.status === 404 && /not been activated/.test(String((r.body as { status?: unknown }).status))) return { active: false };
        if (r.status === 404) return undefined;
        if (r.status !== 200) throw new KeylimeHarnessError(`registrar GET agents/${uuid} answered ${r.status}: ${JSON.stringify(r.body)}`);
        return { ...(r.body.results as RegistrarAgent), active: true };
      },
      async registrarAgents() {
        const r = await registrarGet("agents/");
        if (r.status !== 200) throw new KeylimeHarnessError(`registrar GET agents/ answered ${r.status}: ${JSON.stringify(r.body)}`);
        return ((r.body.results as { uuids?: string[] }).uuids ?? []).slice();
      },
      async stop() {
        await stopAll();
        if (!opts.keepDir) rmSync(dir, { recursive: true, force: true });
      },
    };
  } catch (e) {
    await stopAll();
    if (!opts.keepDir) rmSync(dir, { recursive: true, force: true });
    throw e;
  }
}
