import { existsSync, readdirSync, readFileSync } from "node:fs";
import { basename, dirname, join } from "node:path";
import { DEFAULT_CONFIG_FILE, defaultConfig } from "./defaults.ts";
import { ConfigError } from "./errors.ts";
import { validateKeylime } from "./keylime.ts";
import type { AgentConfig, Timers, TpmMode } from "./schema.ts";
import { validateServiceSections } from "./services.ts";

export { ConfigError };

type Table = Record<string, unknown>;

function isTable(v: unknown): v is Table {
  return typeof v === "object" && v !== null && !Array.isArray(v);
}

function merge(into: Table, from: Table): Table {
  for (const [k, v] of Object.entries(from)) {
    into[k] = isTable(v) && isTable(into[k]) ? merge({ ...(into[k] as Table) }, v) : v;
  }
  return into;
}

/** Like merge, but `[[principal]]` rows add up across files, as aziot's config.d files do. */
function mergeFile(into: Table, from: Table): Table {
  const rows = [...(Array.isArray(into.principal) ? into.principal : []), ...(Array.isArray(from.principal) ? from.principal : [])];
  const out = merge(into, from);
  if (rows.length > 0) out.principal = rows;
  return out;
}

function parseToml(path: string): Table {
  try {
    const parsed = Bun.TOML.parse(readFileSync(path, "utf8"));
    if (!isTable(parsed)) throw new Error("top level is not a table");
    return parsed;
  } catch (e) {
    throw new ConfigError(`${path}: ${(e as Error).message}`, { cause: e });
  }
}

const TPM_MODES: TpmMode[] = ["auto", "required", "off"];
const LEVELS = ["debug", "info", "warn", "error"];

/** Checks every field so a bad file fails at start with its name, not later. */
function validate(raw: Table): AgentConfig {
  const d = defaultConfig();
  const get = <T>(path: string, check: (v: unknown) => v is T, fallback: T): T => {
    let cur: unknown = raw;
    for (const part of path.split(".")) cur = isTable(cur) ? cur[part] : undefined;
    if (cur === undefined) return fallback;
    if (!check(cur)) throw new ConfigError(`${path}: invalid value ${JSON.stringify(cur)}`);
    return cur;
  };
  const str = (v: unknown): v is string => typeof v === "string" && v.length > 0;
  const posInt = (v: unknown): v is number => typeof v === "number" && Number.isInteger(v) && v > 0;
  const port = (v: unknown): v is number => typeof v === "number" && Number.isInteger(v) && v > 0 && v < 65536;

  const timers = {} as Timers;
  for (const k of Object.keys(d.timers) as (keyof Timers)[]) timers[k] = get(`timers.${k}`, posInt, d.timers[k]);

  const tcpHost = get("status.tcp.host", str, "");
  const tcpPort = get("status.tcp.port", port, 0);
  if ((tcpHost === "") !== (tcpPort === 0)) throw new ConfigError("status.tcp needs both host and port");
  if (tcpHost && !["127.0.0.1", "::1", "localhost"].includes(tcpHost)) {
    throw new ConfigError("status.tcp.host must be a loopback address; the status endpoint is not for the network");
  }
  const tcpFull = get("status.tcp.full", (v): v is boolean => typeof v === "boolean", false);
  if (tcpFull && !tcpHost) throw new ConfigError("status.tcp.full needs status.tcp.host and status.tcp.port");
  const sections = validateServiceSections(raw, d, (message) => {
    throw new ConfigError(message);
  });
  const tpmMode = get("tpm.mode", (v): v is TpmMode => TPM_MODES.includes(v as TpmMode), d.tpm.mode);
  if (sections.identity.pk && tpmMode === "required") {
    throw new ConfigError('identity.identity_pk: a device identity in a PKCS#11 token does not use the TPM; tpm.mode cannot be "required"');
  }
  const wire = get("wireDumpDir", str, "");
  const serial = get("serial", str, "");
  return {
    root: get("root", str, d.root),
    tpm: {
      mode: tpmMode,
      tcti: get("tpm.tcti", str, d.tpm.tcti),
      reconnectAttempts: get("tpm.reconnectAttempts", posInt, d.tpm.reconnectAttempts),
    },
    eventLogPath: get("eventLogPath", str, d.eventLogPath),
    eveReleasePath: get("eveReleasePath", str, d.eveReleasePath),
    status: { socket: get("status.socket", str, d.status.socket), ...(tcpHost ? { tcp: { host: tcpHost, port: tcpPort, full: tcpFull } } : {}) },
    log: { level: get("log.level", (v): v is AgentConfig["log"]["level"] => LEVELS.includes(v as string), d.log.level) },
    ...(wire ? { wireDumpDir: wire } : {}),
    ...(serial ? { serial } : {}),
    maxResponseBytes: get("maxResponseBytes", posInt, d.maxResponseBytes),
    wireDumpMaxBytes: get("wireDumpMaxBytes", posInt, d.wireDumpMaxBytes),
    timers,
    vault: { fscrypt: get("vault.fscrypt", (v): v is boolean => typeof v === "boolean", d.vault.fscrypt) },
    keylime: validateKeylime(raw.keylime),
    ...sections,
  };
}

export interface LoadOptions {
  /** Main config file; missing means defaults (unless explicitly given). */
  file?: string;
  env?: Record<string, string | undefined>;
  /** Command-line overrides, highest precedence. */
  overrides?: Table;
}

/**
 * Defaults <- agent.toml <- agent.d/*.toml (sorted) <- EDGE_AGENT_* env <- flags.
 * Only this module reads the environment.
 */
export function loadConfig(opts: LoadOptions = {}): AgentConfig {
  const env = opts.env ?? process.env;
  const file = opts.file ?? env.EDGE_AGENT_CONFIG ?? DEFAULT_CONFIG_FILE;
  const explicit = opts.file !== undefined || env.EDGE_AGENT_CONFIG !== undefined;
  let raw: Table = {};
  if (existsSync(file)) raw = mergeFile(raw, parseToml(file));
  else if (explicit) throw new ConfigError(`config file ${file} does not exist`);
  const dropDir = join(dirname(file), `${basename(file, ".toml")}.d`);
  if (existsSync(dropDir)) {
    for (const f of readdirSync(dropDir)
      .filter((n) => n.endsWith(".toml"))
      .sort())
      raw = mergeFile(raw, parseToml(join(dropDir, f)));
  }
  const envTable: Table = {};
  if (env.EDGE_AGENT_ROOT) envTable.root = env.EDGE_AGENT_ROOT;
  if (env.EDGE_AGENT_TPM) envTable.tpm = { mode: env.EDGE_AGENT_TPM };
  if (env.EDGE_AGENT_TCTI) envTable.tpm = { ...(envTable.tpm as Table), tcti: env.EDGE_AGENT_TCTI };
  if (env.EDGE_AGENT_LOG_LEVEL) envTable.log = { level: env.EDGE_AGENT_LOG_LEVEL };
  if (env.EDGE_AGENT_WIRE_DUMP) envTable.wireDumpDir = env.EDGE_AGENT_WIRE_DUMP;
  if (env.EDGE_AGENT_STATUS_SOCKET) envTable.status = { socket: env.EDGE_AGENT_STATUS_SOCKET };
  raw = merge(raw, envTable);
  if (opts.overrides) raw = merge(raw, opts.overrides);
  const cfg = validate(raw);
  loadedWith.set(cfg, opts);
  return cfg;
}

const loadedWith = new WeakMap<AgentConfig, LoadOptions>();

/**
 * Reads the configuration again from where `cfg` came from (same files,
 * environment and flags), for a reload on SIGHUP. Throws ConfigError when
 * the files no longer validate; the caller keeps what it has then.
 */
export function reloadConfig(cfg: AgentConfig): AgentConfig {
  return loadConfig(loadedWith.get(cfg) ?? {});
}
