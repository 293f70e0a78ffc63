import { Pkcs11Error } from "./errors.ts";

/**
 * RFC 7512 `pkcs11:` URIs. Text attributes are percent-decoded UTF-8, `id`
 * is raw bytes. Errors name the attribute and the fault, never the value:
 * the URI may carry a PIN.
 */

export type Pkcs11ObjectType = "public" | "private" | "cert" | "secret-key" | "data";

export interface Pkcs11Uri {
  /** Path: token */
  token?: string;
  manufacturer?: string;
  serial?: string;
  model?: string;
  /** Path: library (CK_INFO) */
  libraryManufacturer?: string;
  libraryDescription?: string;
  libraryVersion?: { major: number; minor: number };
  /** Path: slot */
  slotId?: number;
  slotDescription?: string;
  slotManufacturer?: string;
  /** Path: object */
  object?: string;
  id?: Uint8Array;
  type?: Pkcs11ObjectType;
  /** Query */
  pinValue?: string;
  pinSource?: string;
  moduleName?: string;
  modulePath?: string;
  /** Path attributes this parser does not know (vendor-specific), decoded. */
  vendor: Record<string, string>;
  /** Query attributes this parser does not know, decoded; these may repeat. */
  vendorQuery: Record<string, string[]>;
}

type TextKey = Exclude<keyof Pkcs11Uri, "libraryVersion" | "slotId" | "id" | "type" | "vendor" | "vendorQuery">;

const PATH_TEXT: Record<string, TextKey> = {
  token: "token",
  manufacturer: "manufacturer",
  serial: "serial",
  model: "model",
  "library-manufacturer": "libraryManufacturer",
  "library-description": "libraryDescription",
  object: "object",
  "slot-description": "slotDescription",
  "slot-manufacturer": "slotManufacturer",
};
const PATH_OTHER = new Set(["library-version", "slot-id", "id", "type"]);
const QUERY_TEXT: Record<string, TextKey> = {
  "pin-value": "pinValue",
  "pin-source": "pinSource",
  "module-name": "moduleName",
  "module-path": "modulePath",
};
const TYPES: readonly string[] = ["public", "private", "cert", "secret-key", "data"];

/** RFC 7512 §2.3: unreserved, and the reserved characters each component leaves unescaped. */
const PATH_CHARS = /^[A-Za-z0-9\-._~:[\]@!$'()*+,=&%]*$/;
const QUERY_CHARS = /^[A-Za-z0-9\-._~:[\]@!$'()*+,;=/?|%]*$/;
const NAME = /^[A-Za-z0-9_-]+$/;

function bad(why: string): Pkcs11Error {
  return new Pkcs11Error("pkcs11.uri", `malformed pkcs11 URI: ${why}`);
}

function pctDecode(v: string, name: string): Uint8Array {
  const out: number[] = [];
  for (let i = 0; i < v.length; i++) {
    const c = v.charCodeAt(i);
    if (c === 0x25 /* % */) {
      const hex = v.slice(i + 1, i + 3);
      if (!/^[0-9A-Fa-f]{2}$/.test(hex)) throw bad(`bad percent-encoding in "${name}"`);
      out.push(parseInt(hex, 16));
      i += 2;
    } else out.push(c);
  }
  return new Uint8Array(out);
}

const UTF8 = new TextDecoder("utf-8", { fatal: true });
function text(v: string, name: string): string {
  try {
    return UTF8.decode(pctDecode(v, name));
  } catch (e) {
    if (e instanceof Pkcs11Error) throw e;
    throw bad(`"${name}" is not UTF-8`);
  }
}

function attributes(part: string, sep: string, chars: RegExp, where: string): Array<[string, string]> {
  if (part === "") return [];
  return part.split(sep).map((a) => {
    const eq = a.indexOf("=");
    if (eq <= 0) throw bad(`${where} attribute without a name=value form`);
    const name = a.slice(0, eq);
    const value = a.slice(eq + 1);
    if (!NAME.test(name)) throw bad(`${where} attribute name with characters outside [A-Za-z0-9_-]`);
    if (!chars.test(value)) throw bad(`"${name}" has a character that must be percent-encoded`);
    return [name, value];
  });
}

export function parsePkcs11Uri(input: string): Pkcs11Uri {
  if (!/^pkcs11:/i.test(input)) throw bad('it does not start with "pkcs11:"');
  const rest = input.slice("pkcs11:".length);
  if (rest.includes("#")) throw bad("a fragment is not allowed");
  const q = rest.indexOf("?");
  const path = q < 0 ? rest : rest.slice(0, q);
  const query = q < 0 ? "" : rest.slice(q + 1);
  const uri: Pkcs11Uri = { vendor: {}, vendorQuery: {} };
  const seen = new Set<string>();
  for (const [name, value] of attributes(path, ";", PATH_CHARS, "path")) {
    if (seen.has(name)) throw bad(`path attribute "${name}" appears more than once`);
    seen.add(name);
    const key = PATH_TEXT[name];
    if (key) (uri as unknown as Record<string, string>)[key] = text(value, name);
    else if (name === "id") uri.id = pctDecode(value, name);
    else if (name === "type") {
      const t = text(value, name);
      if (!TYPES.includes(t)) throw bad(`"type" must be one of ${TYPES.join(", ")}`);
      uri.type = t as Pkcs11ObjectType;
    } else if (name === "slot-id") {
      const t = text(value, name);
      if (!/^[0-9]+$/.test(t) || !Number.isSafeInteger(Number(t))) throw bad('"slot-id" must be a decimal number');
      uri.slotId = Number(t);
    } else if (name === "library-version") {
      const m = /^([0-9]{1,3})(?:\.([0-9]{1,3}))?$/.exec(text(value, name));
      if (!m || Number(m[1]) > 255 || Number(m[2] ?? 0) > 255) throw bad('"library-version" must be M or M.N (each 0..255)');
      uri.libraryVersion = { major: Number(m[1]), minor: Number(m[2] ?? 0) };
    } else if (!PATH_OTHER.has(name)) uri.vendor[name] = text(value, name);
  }
  const seenQ = new Set<string>();
  for (const [name, value] of attributes(query, "&", QUERY_CHARS, "query")) {
    const key = QUERY_TEXT[name];
    if (key) {
      if (seenQ.has(name)) throw bad(`query attribute "${name}" appears more than once`);
      seenQ.add(name);
      (uri as unknown as Record<string, string>)[key] = text(value, name);
    } else (uri.vendorQuery[name] ??= []).push(text(value, name));
  }
  if (uri.pinValue !== undefined && uri.pinSource !== undefined) throw bad('"pin-value" and "pin-source" together');
  return uri;
}

const UNRESERVED = /[A-Za-z0-9\-._~]/;
function pctEncode(bytes: Uint8Array, keep: RegExp): string {
  let s = "";
  for (const b of bytes) {
    const ch = String.fromCharCode(b);
    s += b < 0x80 && keep.test(ch) ? ch : `%${b.toString(16).padStart(2, "0").toUpperCase()}`;
  }
  return s;
}
const enc = (v: string) => pctEncode(new TextEncoder().encode(v), UNRESERVED);

/**
 * The URI as text, attributes in RFC 7512's order. The PIN is left out
 * unless `withPin` (the result is for logs and errors by default).
 */
export function formatPkcs11Uri(uri: Pkcs11Uri, opts: { withPin?: boolean } = {}): string {
  const path: string[] = [];
  const add = (name: string, v: string | undefined) => v !== undefined && path.push(`${name}=${enc(v)}`);
  add("library-description", uri.libraryDescription);
  add("library-manufacturer", uri.libraryManufacturer);
  if (uri.libraryVersion) path.push(`library-version=${uri.libraryVersion.major}.${uri.libraryVersion.minor}`);
  add("slot-description", uri.slotDescription);
  add("slot-manufacturer", uri.slotManufacturer);
  if (uri.slotId !== undefined) path.push(`slot-id=${uri.slotId}`);
  add("manufacturer", uri.manufacturer);
  add("model", uri.model);
  add("serial", uri.serial);
  add("token", uri.token);
  add("object", uri.object);
  if (uri.id) path.push(`id=${pctEncode(uri.id, /(?!)/)}`);
  add("type", uri.type);
  for (const [k, v] of Object.entries(uri.vendor)) add(k, v);
  const query: string[] = [];
  const addQ = (name: string, v: string | undefined) =>
    v !== undefined && query.push(`${name}=${pctEncode(new TextEncoder().encode(v), /[A-Za-z0-9\-._~:/]/)}`);
  if (opts.withPin) addQ("pin-value", uri.pinValue);
  else if (uri.pinValue !== undefined) query.push("pin-value=[redacted]");
  addQ("pin-source", uri.pinSource);
  addQ("module-name", uri.moduleName);
  addQ("module-path", uri.modulePath);
  for (const [k, vs] of Object.entries(uri.vendorQuery)) for (const v of vs) addQ(k, v);
  return `pkcs11:${path.join(";")}${query.length ? `?${query.join("&")}` : ""}`;
}

/** A URI for logs: parsed and re-formatted without its PIN, or a fixed placeholder when it does not parse. */
export function describePkcs11Uri(input: string): string {
  try {
    return formatPkcs11Uri(parsePkcs11Uri(input));
  } catch {
    return "pkcs11:<malformed>";
  }
}
