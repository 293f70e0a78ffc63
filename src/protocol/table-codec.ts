/**
 * Encoder and verifier driven by a type's field table, with the semantics of
 * the functions protobufjs generates per type (its encoder.js and
 * verifier.js): same field order, same default omission, same Writer calls,
 * same error strings; the decoder likewise follows decoder.js (same
 * wire-type checks, merging of repeated submessages, skipping of unknown
 * fields and errors), except that unknown fields are skipped without being
 * kept, as wire.ts drops them anyway. One set of functions serves every type, so a boot
 * compiles three functions instead of two or three per message type it
 * sends and receives: under
 * the compiled agent's JIT policy that compile, not the encoding, was most
 * of the codecs' CPU (about 0.7 ms per generated function on first call).
 */
import $protobuf from "protobufjs/minimal";

const Writer = $protobuf.Writer;
const Reader = $protobuf.Reader;
const util = $protobuf.util;

/** How a singular field's value is judged present for encoding (protobufjs's encoder conditions). */
export type EncodeCheck = "presence" | "enum" | "bool" | "string" | "bytes" | "float" | "long" | "number";

/** A field as the table codec reads it; codec.generated.ts writes these. */
export interface TableField {
  readonly name: string;
  readonly id: number;
  readonly type: string;
  readonly repeated: boolean;
  readonly isEnum: boolean;
  /** wire tag (id << 3 | wire type) */
  readonly tag: number;
  /** Writer method: the scalar type, int32 for enums, null for messages */
  readonly write: string | null;
  /** repeated scalars written as one packed run */
  readonly packed: boolean;
  readonly check: EncodeCheck;
  /** the enum's default, omitted when equal */
  readonly def?: number;
  /** wire type of one value: the scalar's, 2 for messages */
  readonly wire: number;
  /** Reader method for one value (stringVerify for strings, int32 for enums), null for messages */
  readonly read: string | null;
  /** a repeated scalar that may arrive packed whatever the schema says */
  readonly packable: boolean;
  /** name of the oneof the field belongs to */
  readonly oneof: string | null;
  readonly message: TableType | null;
}

export interface TableType {
  readonly fields: readonly TableField[];
  encode(m: object, w?: $protobuf.Writer, q?: number): $protobuf.Writer;
  verify(m: object, q?: number): string | null;
  decode(r: $protobuf.Reader | Uint8Array, l?: number, z?: number, q?: number, g?: object): object;
}

type Msg = Record<string, unknown>;
const own = (m: Msg, k: string) => Object.hasOwn(m, k);

function nonDefault(f: TableField, v: unknown): boolean {
  switch (f.check) {
    case "presence":
      return true;
    case "enum":
      return v !== f.def;
    case "bool":
      return v !== false;
    case "string":
      return v !== "";
    case "bytes":
      return Boolean((v as { length: number }).length);
    case "float":
      return !Object.is(v, 0);
    case "long":
      return typeof v === "object" ? Boolean((v as { low: number; high: number }).low || (v as { high: number }).high) : v !== 0;
    default:
      return v !== 0;
  }
}

/** The type's encode function; `fields` in declaration order (written sorted by id, as protobufjs does). */
export function tableEncoder(fields: readonly TableField[]): TableType["encode"] {
  const ordered = fields.slice().sort((a, b) => a.id - b.id);
  return function encode(msg, w, q) {
    const m = msg as Msg;
    const out = w ?? Writer.create();
    const depth = q ?? 0;
    if (depth > util.recursionLimit) throw Error("max depth exceeded");
    const writer = out as unknown as Record<string, (v: unknown) => $protobuf.Writer>;
    for (const f of ordered) {
      const v = m[f.name];
      if (f.repeated) {
        if (v == null || !(v as unknown[]).length) continue;
        const list = v as unknown[];
        if (f.packed) {
          (out.uint32(f.tag) as unknown as Record<string, (v: unknown) => $protobuf.Writer>)[`${f.write}s`]!(list);
        } else if (f.message) {
          for (let i = 0; i < list.length; ++i) f.message.encode(list[i] as object, out.uint32(f.tag).fork(), depth + 1).ldelim();
        } else {
          for (let i = 0; i < list.length; ++i) {
            out.uint32(f.tag);
            writer[f.write!]!(list[i]);
          }
        }
      } else if (v != null && own(m, f.name) && nonDefault(f, v)) {
        if (f.message) f.message.encode(v as object, out.uint32(f.tag).fork(), depth + 1).ldelim();
        else {
          out.uint32(f.tag);
          writer[f.write!]!(v);
        }
      }
    }
    const unknowns = m.$unknowns as Uint8Array[] | null | undefined;
    if (unknowns != null && own(m, "$unknowns")) for (let i = 0; i < unknowns.length; ++i) out.raw(unknowns[i]!);
    return out;
  };
}

function invalid(f: TableField, expected: string): string {
  return `${f.name}: ${expected}${f.repeated && expected !== "array" ? "[]" : ""} expected`;
}

function checkValue(f: TableField, v: unknown, q: number): string | null {
  if (f.message) {
    const e = f.message.verify(v as object, q + 1);
    return e ? `${f.name}.${e}` : null;
  }
  if (f.isEnum) return typeof v !== "number" || (v | 0) !== v ? invalid(f, "enum value") : null;
  switch (f.type) {
    case "int32":
    case "uint32":
    case "sint32":
    case "fixed32":
    case "sfixed32":
      return util.isInteger(v) ? null : invalid(f, "integer");
    case "int64":
    case "uint64":
    case "sint64":
    case "fixed64":
    case "sfixed64": {
      const l = v as { low?: unknown; high?: unknown } | null;
      return util.isInteger(v) || (l && util.isInteger(l.low) && util.isInteger(l.high)) ? null : invalid(f, "integer|Long");
    }
    case "float":
    case "double":
      return typeof v === "number" ? null : invalid(f, "number");
    case "bool":
      return typeof v === "boolean" ? null : invalid(f, "boolean");
    case "string":
      return util.isString(v) ? null : invalid(f, "string");
    case "bytes":
      return (v && typeof (v as { length?: unknown }).length === "number") || util.isString(v) ? null : invalid(f, "buffer");
    default:
      return null;
  }
}

/** The type's verify function: protobufjs's checks, in declaration order, with its messages. */
export function tableVerifier(fields: readonly TableField[]): TableType["verify"] {
  return function verify(msg, q) {
    if (typeof msg !== "object" || msg === null) return "object expected";
    const depth = q ?? 0;
    if (depth > util.recursionLimit) return "max depth exceeded";
    const m = msg as Msg;
    let seen: Record<string, 1> | undefined;
    for (const f of fields) {
      const v = m[f.name];
      if (v == null || !own(m, f.name)) continue;
      if (f.repeated) {
        if (!Array.isArray(v)) return invalid(f, "array");
        for (let i = 0; i < v.length; ++i) {
          const e = checkValue(f, v[i], depth);
          if (e) return e;
        }
      } else {
        if (f.oneof) {
          seen ??= {};
          if (seen[f.oneof] === 1) return `${f.oneof}: multiple values`;
          seen[f.oneof] = 1;
        }
        const e = checkValue(f, v, depth);
        if (e) return e;
      }
    }
    return null;
  };
}

/** The type's decode function: protobufjs's generated decoder for `fields`, unknown fields skipped. */
export function tableDecoder(fields: readonly TableField[]): TableType["decode"] {
  const byId: Record<number, TableField> = {};
  for (const f of fields) byId[f.id] = f;
  const hasFields = fields.length > 0;
  return function decode(input, len, end, q, into) {
    const r = input instanceof Reader ? input : Reader.create(input);
    const depth = q ?? 0;
    if (depth > Reader.recursionLimit) throw Error("max depth exceeded");
    let l = len;
    let z = end;
    let c: number;
    if (l === undefined) c = r.len;
    else {
      c = r.pos + l;
      if (c > r.len) throw RangeError("index out of range");
      l = r.len;
      r.len = c;
    }
    const m = (into ?? {}) as Msg;
    const reader = r as unknown as Record<string, (a?: unknown) => unknown>;
    while (r.pos < c) {
      const t = r.tag();
      if (t === z) {
        z = undefined;
        break;
      }
      const u = t & 7;
      const id = t >>> 3;
      const f = byId[id];
      if (f) {
        const n = f.name;
        if (f.repeated) {
          if (f.packable && u === 2) {
            if (!(m[n] && (m[n] as unknown[]).length)) m[n] = [];
            reader[`${f.read}s`]!(m[n]);
            continue;
          }
          if (u === f.wire) {
            if (!(m[n] && (m[n] as unknown[]).length)) m[n] = [];
            (m[n] as unknown[]).push(f.message ? f.message.decode(r, (r as unknown as { size(): number }).size(), undefined, depth + 1) : reader[f.read!]!());
            continue;
          }
        } else if (u === f.wire) {
          if (f.message) m[n] = f.message.decode(r, (r as unknown as { size(): number }).size(), undefined, depth + 1, m[n] as object | undefined);
          else {
            const v = reader[f.read!]!();
            if (f.check === "presence" || nonDefault(f, v)) m[n] = v;
            else delete m[n];
          }
          if (f.oneof) m[f.oneof] = n;
          continue;
        }
      }
      r.skipType(u, depth, hasFields ? id : t);
    }
    if (l !== undefined) {
      if (r.pos !== c) throw RangeError("index out of range");
      r.len = l;
    }
    if (z !== undefined) throw Error("missing end group");
    return m;
  };
}
