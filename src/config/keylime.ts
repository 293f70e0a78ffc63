import { defaultKeylimeConfig } from "./defaults.ts";
import { ConfigError } from "./errors.ts";
import type { KeylimeConfig, KeylimeEncryptionAlg, KeylimeHashAlg, KeylimeMode, KeylimeSigningAlg } from "./schema.ts";

type Table = Record<string, unknown>;
const isTable = (v: unknown): v is Table => typeof v === "object" && v !== null && !Array.isArray(v);

const UUID_RE = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;
/** Keylime stores the agent's ip in a String(15) column: an IPv4 address or a short host name. */
const IP_MAX = 15;

function oneOf<T extends string>(values: readonly T[]) {
  return (v: unknown): v is T => values.includes(v as T);
}

function httpUrl(schemes: string[]) {
  return (v: unknown): v is string => {
    if (typeof v !== "string") return false;
    try {
      const u = new URL(v);
      return schemes.includes(u.protocol) && u.hostname !== "" && u.search === "" && u.hash === "";
    } catch {
      return false;
    }
  };
}

/**
 * The [keylime] table. Checked even while disabled, so a typo shows at the
 * first start and not on the day someone turns it on.
 */
export function validateKeylime(raw: unknown): KeylimeConfig {
  const d = defaultKeylimeConfig();
  if (raw === undefined) return d;
  if (!isTable(raw)) throw new ConfigError("keylime: must be a table");
  const get = <T>(key: string, check: (v: unknown) => v is T, fallback: T): T => {
    const v = raw[key];
    if (v === undefined) return fallback;
    if (!check(v)) throw new ConfigError(`keylime.${key}: invalid value ${JSON.stringify(v)}`);
    return v;
  };
  const opt = <T>(key: string, check: (v: unknown) => v is T): T | undefined => get<T | undefined>(key, check as (v: unknown) => v is T | undefined, undefined);
  const str = (v: unknown): v is string => typeof v === "string" && v.length > 0;
  const bool = (v: unknown): v is boolean => typeof v === "boolean";
  const port = (v: unknown): v is number => typeof v === "number" && Number.isInteger(v) && v > 0 && v < 65536;
  const posInt = (v: unknown): v is number => typeof v === "number" && Number.isInteger(v) && v > 0;
  const absPath = (v: unknown): v is string => typeof v === "string" && v.startsWith("/");

  const known = new Set(Object.keys(d).concat(["verifierUrl", "verifierCa", "trustedClientCa", "agentCert", "agentKey"]));
  for (const k of Object.keys(raw)) if (!known.has(k)) throw new ConfigError(`keylime.${k}: unknown setting`);

  const contactIp = get("contactIp", (v): v is string => str(v) && v.length <= IP_MAX && /^[A-Za-z0-9.:-]+$/.test(v), d.contactIp);
  const cfg: KeylimeConfig = {
    enabled: get("enabled", bool, d.enabled),
    registrarUrl: get("registrarUrl", httpUrl(["http:", "https:"]), d.registrarUrl),
    uuid: get("uuid", (v): v is string => v === "hash_ek" || (typeof v === "string" && UUID_RE.test(v)), d.uuid),
    mode: get("mode", oneOf<KeylimeMode>(["pull", "push"]), d.mode),
    contactIp,
    contactPort: get("contactPort", port, d.contactPort),
    listenIp: get("listenIp", str, contactIp),
    mtls: get("mtls", bool, d.mtls),
    tpmHashAlg: get("tpmHashAlg", oneOf<KeylimeHashAlg>(["sha256"]), d.tpmHashAlg),
    tpmSigningAlg: get("tpmSigningAlg", oneOf<KeylimeSigningAlg>(["rsassa", "ecdsa"]), d.tpmSigningAlg),
    tpmEncryptionAlg: get("tpmEncryptionAlg", oneOf<KeylimeEncryptionAlg>(["rsa", "ecc"]), d.tpmEncryptionAlg),
    payloadDir: get("payloadDir", absPath, d.payloadDir),
    allowPayloadScript: get("allowPayloadScript", bool, d.allowPayloadScript),
    payloadDirAnyFs: get("payloadDirAnyFs", bool, d.payloadDirAnyFs),
    imaLogPath: get("imaLogPath", absPath, d.imaLogPath),
    retryInitialMs: get("retryInitialMs", posInt, d.retryInitialMs),
    retryMaxMs: get("retryMaxMs", posInt, d.retryMaxMs),
  };
  const verifierUrl = opt("verifierUrl", httpUrl(["https:"]));
  const verifierCa = opt("verifierCa", absPath);
  const trustedClientCa = opt("trustedClientCa", absPath);
  const agentCert = opt("agentCert", absPath);
  const agentKey = opt("agentKey", absPath);
  if (verifierUrl) cfg.verifierUrl = verifierUrl;
  if (verifierCa) cfg.verifierCa = verifierCa;
  if (trustedClientCa) cfg.trustedClientCa = trustedClientCa;
  if ((agentCert === undefined) !== (agentKey === undefined))
    throw new ConfigError("keylime.agentCert and keylime.agentKey go together (or neither, to generate one)");
  if (agentCert && agentKey) Object.assign(cfg, { agentCert, agentKey });
  if (cfg.retryMaxMs < cfg.retryInitialMs) throw new ConfigError("keylime.retryMaxMs must not be below keylime.retryInitialMs");

  if (cfg.enabled && cfg.mode === "push" && (!cfg.verifierUrl || !cfg.verifierCa)) {
    throw new ConfigError('keylime.mode = "push" needs keylime.verifierUrl (https) and keylime.verifierCa');
  }
  if (cfg.enabled && cfg.mode === "pull" && cfg.mtls && !cfg.trustedClientCa) {
    throw new ConfigError("keylime.mtls = true needs keylime.trustedClientCa (the verifier's and tenant's CA, Keylime's cv_ca/cacert.crt)");
  }
  return cfg;
}
