import type { CertIssuance, CertsConfig, IdentityConfig, KeysConfig, Principal, RenewPoint, ServicesConfig } from "./schema.ts";

type Table = Record<string, unknown>;
const isTable = (v: unknown): v is Table => typeof v === "object" && v !== null && !Array.isArray(v);

/** Key and certificate ids: what a file name, a PKCS#11 label and a URI path segment can all carry. */
export const ID_PATTERN = /^[A-Za-z0-9][A-Za-z0-9._@-]{0,63}$/;
/** Principal patterns: ids with `*` (any characters) and `?` (one character). */
const ID_GLOB = /^[A-Za-z0-9._@*?-]{1,64}$/;
const ID_TYPES = ["device"];
const SUBJECT_ATTRS = ["CN", "O", "OU", "C", "ST", "L"];

/** Strips a `key://` or `cert://` scheme; ids are the same with or without it. */
export function bareId(id: string, scheme: "key" | "cert"): string {
  return id.startsWith(`${scheme}://`) ? id.slice(scheme.length + 3) : id;
}

export function parseRenewPoint(text: string): RenewPoint | undefined {
  const pct = /^(\d{1,2}(?:\.\d+)?)%$/.exec(text);
  if (pct) {
    const percent = Number(pct[1]);
    return percent > 0 && percent < 100 ? { percent } : undefined;
  }
  const seconds = parseDuration(text);
  return seconds === undefined ? undefined : { seconds };
}

/** `90s`, `15m`, `12h`, `30d` as seconds. */
export function parseDuration(text: string): number | undefined {
  const m = /^(\d{1,9})([smhd])$/.exec(text);
  if (!m) return undefined;
  const n = Number(m[1]) * { s: 1, m: 60, h: 3600, d: 86400 }[m[2] as "s" | "m" | "h" | "d"];
  return n > 0 ? n : undefined;
}

/** The new sections' checks; `fail` throws the config error with the field's path. */
export function validateServiceSections(
  raw: Table,
  defaults: { services: ServicesConfig },
  fail: (message: string) => never,
): { services: ServicesConfig; keys: KeysConfig; certs: CertsConfig; identity: IdentityConfig; principals: Principal[] } {
  const table = (path: string): Table => {
    let cur: unknown = raw;
    for (const part of path.split(".")) cur = isTable(cur) ? cur[part] : undefined;
    if (cur === undefined) return {};
    if (!isTable(cur)) fail(`${path}: must be a table`);
    return cur as Table;
  };
  const str = (t: Table, k: string, path: string): string | undefined => {
    const v = t[k];
    if (v === undefined) return undefined;
    if (typeof v !== "string" || v === "") fail(`${path}.${k}: invalid value ${JSON.stringify(v)}`);
    return v as string;
  };
  const posInt = (t: Table, k: string, path: string, fallback: number): number => {
    const v = t[k];
    if (v === undefined) return fallback;
    if (typeof v !== "number" || !Number.isInteger(v) || v <= 0) fail(`${path}.${k}: invalid value ${JSON.stringify(v)}`);
    return v as number;
  };
  const id = (v: unknown, path: string): string => {
    if (typeof v !== "string" || !ID_PATTERN.test(v)) fail(`${path}: ${JSON.stringify(v)} is not a valid id (letters, digits, . _ @ -, up to 64)`);
    return v as string;
  };

  const s = table("services");
  const d = defaults.services;
  const mode = s.socketMode ?? d.socketMode;
  if (typeof mode !== "number" || !Number.isInteger(mode) || mode < 0 || mode > 0o777) fail(`services.socketMode: invalid value ${JSON.stringify(mode)}`);
  const group = s.socketGroup;
  if (group !== undefined && !(typeof group === "string" && group !== "") && !(typeof group === "number" && Number.isInteger(group) && group >= 0)) {
    fail(`services.socketGroup: invalid value ${JSON.stringify(group)}`);
  }
  const enabled = s.enabled ?? d.enabled;
  if (typeof enabled !== "boolean") fail(`services.enabled: invalid value ${JSON.stringify(enabled)}`);
  const socketDir = str(s, "socketDir", "services");
  const services: ServicesConfig = {
    enabled: enabled as boolean,
    ...(socketDir ? { socketDir } : {}),
    socketMode: mode as number,
    ...(group !== undefined ? { socketGroup: group as string | number } : {}),
    maxRequests: posInt(s, "maxRequests", "services", d.maxRequests),
    maxBodyBytes: posInt(s, "maxBodyBytes", "services", d.maxBodyBytes),
    readTimeoutMs: posInt(s, "readTimeoutMs", "services", d.readTimeoutMs),
    maxConnections: posInt(s, "maxConnections", "services", d.maxConnections),
  };

  const k = table("keys");
  const keys: KeysConfig = { preloaded: {} };
  for (const [name, value] of Object.entries(k)) {
    if (name === "pkcs11_lib_path") keys.pkcs11LibPath = str(k, name, "keys")!;
    else if (name === "pkcs11_base_slot") {
      keys.pkcs11BaseSlot = str(k, name, "keys")!;
      if (!keys.pkcs11BaseSlot.startsWith("pkcs11:")) fail("keys.pkcs11_base_slot: must be a pkcs11: URI");
    } else if (name.startsWith("preloaded_key:")) {
      const keyId = id(name.slice("preloaded_key:".length), `keys.${name}`);
      if (typeof value !== "string" || !(value.startsWith("pkcs11:") || value.startsWith("file:///"))) {
        fail(`keys."${name}": must be a pkcs11: URI or a file:/// URI`);
      }
      keys.preloaded[keyId] = value as string;
    } else fail(`keys.${name}: unknown setting`);
  }
  const usesPkcs11 = keys.pkcs11BaseSlot !== undefined || Object.values(keys.preloaded).some((u) => u.startsWith("pkcs11:"));
  if (usesPkcs11 && !keys.pkcs11LibPath) fail("keys.pkcs11_lib_path: needed for pkcs11: keys and pkcs11_base_slot");

  const c = table("certs");
  const certs: CertsConfig = { preloaded: {}, issuance: {} };
  for (const [name, value] of Object.entries(c)) {
    if (name.startsWith("preloaded_cert:")) {
      const certId = id(name.slice("preloaded_cert:".length), `certs.${name}`);
      if (typeof value !== "string" || !(value.startsWith("/") || value.startsWith("file:///")))
        fail(`certs."${name}": must be an absolute path or a file:/// URI`);
      certs.preloaded[certId] = (value as string).startsWith("file://") ? decodeURIComponent((value as string).slice(7)) : (value as string);
    } else if (name === "issuance") {
      for (const [certId, entry] of Object.entries(table("certs.issuance"))) {
        id(certId, `certs.issuance.${certId}`);
        if (!isTable(entry)) fail(`certs.issuance.${certId}: must be a table`);
        certs.issuance[certId] = issuance(certId, entry as Table, fail);
      }
    } else fail(`certs.${name}: unknown setting`);
  }

  const i = table("identity");
  const identity: IdentityConfig = {};
  const pk = str(i, "identity_pk", "identity");
  const cert = str(i, "identity_cert", "identity");
  if (pk) {
    if (!pk.startsWith("key://")) fail("identity.identity_pk: must be key://NAME");
    identity.pk = id(bareId(pk, "key"), "identity.identity_pk");
    // Own entries only: "key://toString" found Object.prototype's method and threw a TypeError.
    if (!Object.hasOwn(keys.preloaded, identity.pk) || !keys.preloaded[identity.pk]!.startsWith("pkcs11:"))
      fail(`identity.identity_pk: key ${identity.pk} must be a preloaded PKCS#11 key (keys."preloaded_key:${identity.pk}" = 'pkcs11:...')`);
  }
  if (cert) {
    if (!cert.startsWith("cert://")) fail("identity.identity_cert: must be cert://NAME");
    identity.cert = id(bareId(cert, "cert"), "identity.identity_cert");
    if (!Object.hasOwn(certs.preloaded, identity.cert))
      fail(`identity.identity_cert: certificate ${identity.cert} must be preloaded (certs."preloaded_cert:${identity.cert}")`);
  }
  for (const n of Object.keys(i)) if (n !== "identity_pk" && n !== "identity_cert") fail(`identity.${n}: unknown setting`);
  if (identity.cert && !identity.pk) fail("identity.identity_cert: needs identity.identity_pk");

  const rows = raw.principal ?? [];
  if (!Array.isArray(rows)) fail("principal: must be an array of tables ([[principal]])");
  const principals: Principal[] = [];
  const seen = new Set<number>();
  (rows as unknown[]).forEach((row, n) => {
    const at = `principal[${n}]`;
    if (!isTable(row)) fail(`${at}: must be a table`);
    const r = row as Table;
    const uid = r.uid;
    if (typeof uid !== "number" || !Number.isInteger(uid) || uid < 0 || uid > 0xfffffffe) fail(`${at}.uid: invalid value ${JSON.stringify(uid)}`);
    if (seen.has(uid as number)) fail(`${at}.uid: uid ${uid} has two [[principal]] rows; put its grants in one`);
    seen.add(uid as number);
    const list = (key: string, check: (v: string) => boolean, what: string): string[] => {
      const v = r[key] ?? [];
      if (!Array.isArray(v) || v.some((x) => typeof x !== "string" || !check(x))) fail(`${at}.${key}: must be a list of ${what}`);
      return v as string[];
    };
    const name = r.name;
    if (name !== undefined && (typeof name !== "string" || name === "")) fail(`${at}.name: invalid value ${JSON.stringify(name)}`);
    for (const extra of Object.keys(r)) if (!["uid", "name", "idtype", "keys", "certs"].includes(extra)) fail(`${at}.${extra}: unknown setting`);
    principals.push({
      uid: uid as number,
      ...(name ? { name: name as string } : {}),
      idtype: list("idtype", (x) => ID_TYPES.includes(x), `identity types (${ID_TYPES.join(", ")})`),
      keys: list("keys", (x) => ID_GLOB.test(bareId(x, "key")), "key ids or patterns").map((x) => bareId(x, "key")),
      certs: list("certs", (x) => ID_GLOB.test(bareId(x, "cert")), "certificate ids or patterns").map((x) => bareId(x, "cert")),
    });
  });
  return { services, keys, certs, identity, principals };
}

function issuance(certId: string, t: Table, fail: (m: string) => never): CertIssuance {
  const at = `certs.issuance.${certId}`;
  for (const k of Object.keys(t)) {
    if (!["method", "key", "issuer_cert", "issuer_pk", "common_name", "subject", "expiry_days", "expiry", "auto_renew", "ca"].includes(k))
      fail(`${at}.${k}: unknown setting`);
  }
  const method = t.method ?? "local_ca";
  if (method !== "self_signed" && method !== "local_ca") fail(`${at}.method: must be "self_signed" or "local_ca"`);
  const idOf = (k: string, fallback: string): string => {
    const v = t[k] ?? fallback;
    if (typeof v !== "string") fail(`${at}.${k}: must be a string`);
    const bare = bareId(v as string, k === "issuer_cert" ? "cert" : "key");
    if (!ID_PATTERN.test(bare)) fail(`${at}.${k}: ${JSON.stringify(v)} is not a valid id`);
    return bare;
  };
  const key = idOf("key", certId);
  const issuerCert = method === "self_signed" ? certId : idOf("issuer_cert", "device-id");
  const issuerKey = method === "self_signed" ? key : idOf("issuer_pk", issuerCert);
  const subject: Record<string, string> = {};
  if (t.subject !== undefined) {
    if (!isTable(t.subject)) fail(`${at}.subject: must be a table of attributes`);
    for (const [a, v] of Object.entries(t.subject as Table)) {
      if (!SUBJECT_ATTRS.includes(a) || typeof v !== "string" || v === "") fail(`${at}.subject.${a}: unsupported attribute or empty value`);
      subject[a] = v as string;
    }
  }
  if (t.common_name !== undefined) {
    if (typeof t.common_name !== "string" || t.common_name === "") fail(`${at}.common_name: invalid value`);
    subject.CN = t.common_name as string;
  }
  subject.CN ??= certId;
  let lifetimeSeconds = 30 * 86400;
  if (t.expiry_days !== undefined) {
    if (typeof t.expiry_days !== "number" || !Number.isInteger(t.expiry_days) || t.expiry_days <= 0) fail(`${at}.expiry_days: invalid value`);
    lifetimeSeconds = (t.expiry_days as number) * 86400;
  }
  if (t.expiry !== undefined) {
    const s = typeof t.expiry === "string" ? parseDuration(t.expiry) : undefined;
    if (s === undefined) fail(`${at}.expiry: must be a duration such as "90s", "12h" or "30d"`);
    lifetimeSeconds = s!;
  }
  let autoRenew: CertIssuance["autoRenew"];
  if (t.auto_renew !== undefined) {
    if (!isTable(t.auto_renew)) fail(`${at}.auto_renew: must be a table`);
    const a = t.auto_renew as Table;
    const point = (k: string, fallback: string): RenewPoint => {
      const v = a[k] ?? fallback;
      const p = typeof v === "string" ? parseRenewPoint(v) : undefined;
      if (!p) fail(`${at}.auto_renew.${k}: must be a percentage ("80%") or a duration ("1h")`);
      return p!;
    };
    const rotate = a.rotate_key ?? false;
    if (typeof rotate !== "boolean") fail(`${at}.auto_renew.rotate_key: must be true or false`);
    for (const k of Object.keys(a)) if (!["threshold", "retry", "rotate_key"].includes(k)) fail(`${at}.auto_renew.${k}: unknown setting`);
    autoRenew = { threshold: point("threshold", "80%"), retry: point("retry", "4%"), rotateKey: rotate as boolean };
  }
  const ca = t.ca ?? false;
  if (typeof ca !== "boolean") fail(`${at}.ca: must be true or false`);
  return {
    method: method as CertIssuance["method"],
    key,
    issuerCert,
    issuerKey,
    subject,
    lifetimeSeconds,
    ca: ca as boolean,
    ...(autoRenew ? { autoRenew } : {}),
  };
}
