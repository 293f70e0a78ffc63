/**
 * Protobuf helpers the controller needs beyond the agent's typed codecs:
 * protojson-like rendering for the admin API, Go encoding/json-like input
 * for config PUTs, and edits of single top-level fields of stored bytes so
 * that fields our trimmed .proto files do not declare survive untouched.
 */
import protobuf from "protobufjs";
import { buildRoot } from "../../src/protocol/schema.ts";
import { toBase64 } from "../../src/shared/index.ts";

const root = buildRoot();

export function protoType(fullName: string): protobuf.Type {
  return root.lookupType(fullName);
}

const LONG_TYPES = new Set(["int64", "uint64", "sint64", "fixed64", "sfixed64"]);

/** protojson's json_name: the declared name with each "_x" turned into "X". */
function jsonName(name: string): string {
  return name.replace(/_([a-zA-Z0-9])/g, (_, ch: string) => ch.toUpperCase());
}

function timestampText(seconds: number, nanos: number): string {
  const base = new Date(seconds * 1000).toISOString().slice(0, 19);
  if (nanos === 0) return `${base}Z`;
  // protojson prints 3, 6 or 9 fraction digits, whichever is the shortest exact one.
  let frac = String(nanos).padStart(9, "0");
  if (frac.endsWith("000000")) frac = frac.slice(0, 3);
  else if (frac.endsWith("000")) frac = frac.slice(0, 6);
  return `${base}.${frac}Z`;
}

function num(v: unknown): number {
  return typeof v === "number" ? v : Number(String(v));
}

function isDefaultScalar(field: protobuf.Field, v: unknown): boolean {
  if (field.resolvedType instanceof protobuf.Enum) return num(v) === 0;
  if (field.type === "bytes") return (v as Uint8Array).length === 0;
  if (field.type === "string") return v === "";
  if (field.type === "bool") return v === false;
  return num(v) === 0;
}

function scalarJson(field: protobuf.Field, v: unknown): unknown {
  if (field.resolvedType instanceof protobuf.Enum) return field.resolvedType.valuesById[num(v)] ?? num(v);
  if (field.type === "bytes") return toBase64(v as Uint8Array);
  if (LONG_TYPES.has(field.type)) return String(v);
  if (field.type === "double" || field.type === "float") {
    const n = v as number;
    return Number.isFinite(n) ? n : String(n);
  }
  return v;
}

function valueJson(field: protobuf.Field, v: unknown): unknown {
  return field.resolvedType instanceof protobuf.Type ? messageJson(field.resolvedType, v as Record<string, unknown>) : scalarJson(field, v);
}

/** A decoded protobufjs message as protojson would print it (set fields only, lowerCamel names, enum names). */
export function messageJson(type: protobuf.Type, msg: Record<string, unknown>): unknown {
  if (type.fullName === ".google.protobuf.Timestamp") return timestampText(num(msg.seconds ?? 0), num(msg.nanos ?? 0));
  const out: Record<string, unknown> = {};
  for (const field of type.fieldsArray) {
    if (!Object.hasOwn(msg, field.name)) continue;
    const v = msg[field.name];
    if (v === undefined || v === null) continue;
    if (field instanceof protobuf.MapField) {
      const entries = Object.entries(v as Record<string, unknown>);
      if (entries.length) out[jsonName(field.name)] = Object.fromEntries(entries.map(([k, x]) => [k, valueJson(field, x)]));
    } else if (field.repeated) {
      const arr = v as unknown[];
      if (arr.length) out[jsonName(field.name)] = arr.map((x) => valueJson(field, x));
    } else if (field.resolvedType instanceof protobuf.Type) {
      out[jsonName(field.name)] = valueJson(field, v);
    } else if (field.partOf || field.hasPresence || !isDefaultScalar(field, v)) {
      out[jsonName(field.name)] = scalarJson(field, v);
    }
  }
  return out;
}

/** Decodes `bytes` as `typeName` and renders it protojson-style; throws on malformed input. */
export function protoJson(typeName: string, bytes: Uint8Array): unknown {
  const type = protoType(typeName);
  return messageJson(type, type.decode(bytes) as unknown as Record<string, unknown>);
}

function matchKeys(type: protobuf.Type, obj: unknown): Record<string, unknown> {
  if (typeof obj !== "object" || obj === null || Array.isArray(obj)) throw new Error(`${type.name} must be a JSON object`);
  const out: Record<string, unknown> = {};
  for (const [key, value] of Object.entries(obj)) {
    // encoding/json matches the proto field name case-insensitively and drops unknown keys.
    const field = type.fieldsArray.find((f) => f.name.toLowerCase() === key.toLowerCase());
    if (!field || value === null) continue;
    if (field.partOf) throw new Error(`oneof field ${field.name} cannot be set from JSON`);
    const sub = field.resolvedType instanceof protobuf.Type ? field.resolvedType : undefined;
    if (sub && field.repeated) {
      if (!Array.isArray(value)) throw new Error(`${field.name} must be an array`);
      out[field.name] = value.map((x) => matchKeys(sub, x));
    } else if (sub) {
      out[field.name] = matchKeys(sub, value);
    } else {
      if (field.resolvedType instanceof protobuf.Enum && typeof value !== "number") throw new Error(`enum ${field.name} must be a number`);
      out[field.name] = value;
    }
  }
  return out;
}

/**
 * Encodes JSON the way Adam's Go encoding/json path reads a config body
 * (proto field names matched case-insensitively, enums as numbers, bytes as
 * base64). Only fields our .proto declares can be set this way.
 */
export function encodeFromGoJson(typeName: string, json: unknown): Uint8Array {
  const type = protoType(typeName);
  const plain = matchKeys(type, json);
  const problem = type.verify(type.fromObject(plain));
  if (problem) throw new Error(problem);
  return new Uint8Array(type.encode(type.fromObject(plain)).finish());
}

/** Go encoding/json of a codec-decoded message: omitempty fields, enums as numbers, bytes as base64. */
export function goJson(value: unknown): unknown {
  if (value instanceof Uint8Array) return value.length ? toBase64(value) : undefined;
  if (Array.isArray(value)) return value.length ? value.map(goJson) : undefined;
  if (value && typeof value === "object") {
    const out: Record<string, unknown> = {};
    for (const [k, v] of Object.entries(value)) {
      const j = goJson(v);
      if (j !== undefined && j !== "" && j !== 0 && j !== false) out[k] = j;
    }
    return out;
  }
  return value;
}

interface RawField {
  field: number;
  raw: Uint8Array;
}

function topLevelFields(bytes: Uint8Array): RawField[] {
  const r = protobuf.Reader.create(bytes);
  const out: RawField[] = [];
  while (r.pos < r.len) {
    const start = r.pos;
    const tag = r.uint32();
    r.skipType(tag & 7);
    out.push({ field: tag >>> 3, raw: bytes.subarray(start, r.pos) });
  }
  return out;
}

/** The payload of a length-delimited top-level field (last occurrence wins, as for a scalar). */
export function readLenField(bytes: Uint8Array, field: number): Uint8Array | undefined {
  let found: Uint8Array | undefined;
  for (const f of topLevelFields(bytes)) {
    if (f.field !== field) continue;
    const r = protobuf.Reader.create(f.raw);
    if ((r.uint32() & 7) === 2) found = r.bytes();
  }
  return found;
}

/**
 * Replaces every occurrence of a length-delimited top-level field with one
 * carrying `payload` (or drops it when undefined). `first` puts it before
 * the other fields (where Go would write field 1); otherwise it goes last.
 */
export function replaceLenField(bytes: Uint8Array, field: number, payload: Uint8Array | undefined, first = false): Uint8Array {
  const rest = topLevelFields(bytes).filter((f) => f.field !== field);
  const w = protobuf.Writer.create();
  const emitNew = () => {
    if (payload !== undefined) w.uint32((field << 3) | 2).bytes(payload);
  };
  if (first) emitNew();
  for (const f of rest) w.raw(f.raw);
  if (!first) emitNew();
  return new Uint8Array(w.finish());
}

/** A message with length-delimited fields given as raw payloads, in the order given. */
export function encodeLenFields(fields: [number, Uint8Array][]): Uint8Array {
  const w = protobuf.Writer.create();
  for (const [field, payload] of fields) w.uint32((field << 3) | 2).bytes(payload);
  return new Uint8Array(w.finish());
}
