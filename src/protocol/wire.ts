import type protobuf from "protobufjs/light";
import { ProtocolError } from "./errors.ts";
import type { MessageInit } from "./messages/base.ts";

/**
 * Largest body any codec decodes unless told otherwise. EVE's biggest
 * message is a config with many apps; 4 MiB is far above it and still small
 * enough that a hostile body cannot exhaust memory.
 */
export const MAX_MESSAGE_BYTES = 4 * 1024 * 1024;

export interface DecodeOptions {
  /** reject bodies longer than this before parsing (default MAX_MESSAGE_BYTES) */
  maxBytes?: number;
  /**
   * Reject bodies holding more fields than this, counted over every nested
   * message before anything is materialised. For bodies no signature
   * vouches for: 2 bytes make one empty repeated submessage, which decodes
   * to an object with every declared field filled in, so without a count a
   * 4 MiB body became over a GiB of objects (found by fuzzing /certs).
   */
  maxElements?: number;
}

/** One field of a message type, as the codec needs it. */
export interface WireField {
  readonly name: string;
  readonly id: number;
  /** protobuf scalar type name, or the name of the message or enum */
  readonly type: string;
  readonly repeated: boolean;
  readonly isEnum: boolean;
  /** oneof member or proto3 `optional`: absent stays absent when decoded */
  readonly explicitPresence: boolean;
  /** the field's message type; null for scalars and enums */
  readonly message: WireType | null;
}

/**
 * A message type: its fields and the encode, decode and verify functions
 * protobufjs generates for it (codec.generated.ts has them written out).
 */
export interface WireType {
  readonly name: string;
  readonly fields: readonly WireField[];
  readonly byId: Readonly<Record<number, WireField>>;
  verify(m: object): string | null;
  encode(m: object): { finish(): Uint8Array };
  decode(bytes: Uint8Array): object;
}

function readVarint(b: Uint8Array, p: number, end: number): [number, number] {
  let v = 0;
  let mul = 1;
  for (let i = 0; i < 10; i++) {
    if (p >= end) return [-1, end + 1];
    const byte = b[p++]!;
    v += (byte & 0x7f) * mul;
    if ((byte & 0x80) === 0) return [v, p];
    mul *= 128;
  }
  return [-1, end + 1];
}

/**
 * Counts the fields `bytes` holds as `type`, recursing into submessages,
 * and stops once `limit` is passed. Malformed bytes end the count early:
 * the decoder that runs next reports them.
 */
function tooManyElements(type: WireType, b: Uint8Array, limit: number): boolean {
  let count = 0;
  const walk = (t: WireType | null | undefined, start: number, end: number): boolean => {
    let p = start;
    while (p < end) {
      const [tag, afterTag] = readVarint(b, p, end);
      if (tag < 0) return false;
      if (++count > limit) return true;
      p = afterTag;
      const wire = tag % 8;
      if (wire === 0) {
        const [, next] = readVarint(b, p, end);
        p = next;
      } else if (wire === 1) p += 8;
      else if (wire === 5) p += 4;
      else if (wire === 2) {
        const [len, next] = readVarint(b, p, end);
        if (len < 0 || next + len > end) return false;
        const sub = t?.byId[Math.floor(tag / 8)]?.message;
        if (sub && walk(sub, next, next + len)) return true;
        p = next + len;
      } else return false; // groups: left to the decoder
      if (p > end) return false;
    }
    return false;
  };
  return walk(type, 0, b.length);
}

/** A typed encoder/decoder for one protobuf message. */
export interface MessageCodec<T> {
  /** fully-qualified protobuf name, e.g. org.lfedge.eve.auth.AuthContainer */
  readonly typeName: string;
  /** proto3 wire bytes; fields at their default value are omitted, present submessages are not */
  encode(msg: MessageInit<T>): Uint8Array;
  /** every declared scalar and repeated field is filled (defaults included); absent submessages stay undefined */
  decode(bytes: Uint8Array, opts?: DecodeOptions): T;
}

const LONG_TYPES = new Set(["int64", "uint64", "sint64", "fixed64", "sfixed64"]);

type Decoded = Record<string, unknown>;

function toSafeNumber(v: unknown, field: WireField): number {
  if (typeof v === "number") return v;
  // protobufjs hands back a Long; its decimal form keeps the signedness.
  const n = Number(String(v));
  if (!Number.isSafeInteger(n)) throw new RangeError(`${field.name}: ${String(v)} does not fit a JS number`);
  return n;
}

function scalarDefault(field: WireField): unknown {
  if (field.isEnum) return 0;
  switch (field.type) {
    case "string":
      return "";
    case "bool":
      return false;
    case "bytes":
      return new Uint8Array(0);
    default:
      return 0;
  }
}

function plainScalar(field: WireField, v: unknown): unknown {
  // Copy so callers never hold a view into (and keep alive) the whole body.
  if (field.type === "bytes") return new Uint8Array(v as Uint8Array);
  if (LONG_TYPES.has(field.type)) return toSafeNumber(v, field);
  return v;
}

function plainValue(field: WireField, v: unknown): unknown {
  return field.message ? toPlain(field.message, v as Decoded) : plainScalar(field, v);
}

/** Turns a protobufjs message instance into the plain shape our interfaces describe. */
function toPlain(type: WireType, m: Decoded): Decoded {
  const out: Decoded = {};
  for (const field of type.fields) {
    const own = Object.hasOwn(m, field.name);
    const v = own ? m[field.name] : undefined;
    if (field.repeated) {
      out[field.name] = Array.isArray(v) ? v.map((x) => plainValue(field, x)) : [];
    } else if (field.message || field.explicitPresence) {
      if (v !== undefined && v !== null) out[field.name] = plainValue(field, v);
    } else {
      out[field.name] = v === undefined || v === null ? scalarDefault(field) : plainScalar(field, v);
    }
  }
  return out;
}

function shortName(fullName: string): string {
  return fullName.slice(fullName.lastIndexOf(".") + 1);
}

const reflected = new WeakMap<protobuf.Type, WireType>();

/** A reflection type seen as a WireType (for schemas built at run time: tests, the bench's probes). */
function fromReflection(t: protobuf.Type): WireType {
  const known = reflected.get(t);
  if (known) return known;
  const fields: WireField[] = [];
  const byId: Record<number, WireField> = {};
  const w: WireType = {
    name: t.fullName.slice(1),
    fields,
    byId,
    verify: (m) => t.verify(m as Decoded),
    encode: (m) => t.encode(m as Decoded),
    decode: (b) => t.decode(b),
  };
  reflected.set(t, w);
  for (const f of t.fieldsArray) {
    const r = f.resolve().resolvedType;
    // Duck-typed so that this module does not load protobufjs's reflection for the generated codecs.
    const isType = r !== null && "fieldsArray" in r;
    const field: WireField = {
      name: f.name,
      id: f.id,
      type: f.type,
      repeated: f.repeated,
      isEnum: r !== null && !isType,
      explicitPresence: Boolean(f.partOf || f.hasPresence),
      message: isType ? fromReflection(r as protobuf.Type) : null,
    };
    fields.push(field);
    byId[f.id] = field;
  }
  return w;
}

/**
 * A codec for `typeName` in the schema `root()` returns. The type is looked
 * up on first use, so a command that never touches the protocol never loads
 * the schema.
 */
export function messageCodec<T>(root: () => protobuf.Root, typeName: string): MessageCodec<T> {
  return wireCodec<T>(() => fromReflection(root().lookupType(typeName)), typeName);
}

/** A codec for `typeName` from a table of WireTypes (codec.generated.ts). */
export function staticCodec<T>(types: Readonly<Record<string, WireType>>, typeName: string): MessageCodec<T> {
  return wireCodec<T>(() => {
    const t = types[typeName];
    if (!t) throw new Error(`no such type: ${typeName}`);
    return t;
  }, typeName);
}

function wireCodec<T>(lookup: () => WireType, typeName: string): MessageCodec<T> {
  let resolved: WireType | undefined;
  const typeOf = () => (resolved ??= lookup());
  const name = shortName(typeName);
  return {
    typeName,
    encode(msg: MessageInit<T>): Uint8Array {
      const type = typeOf();
      const problem = type.verify(msg as Decoded);
      if (problem) throw new ProtocolError("protocol.encode", `cannot encode ${name}: ${problem}`);
      try {
        // The writer may return a pooled Buffer; hand out an owned plain Uint8Array.
        return new Uint8Array(type.encode(msg as Decoded).finish());
      } catch (e) {
        throw new ProtocolError("protocol.encode", `cannot encode ${name}: ${(e as Error).message}`, { cause: e });
      }
    },
    decode(bytes: Uint8Array, opts?: DecodeOptions): T {
      if (!(bytes instanceof Uint8Array)) throw new ProtocolError("protocol.decode", `${name}: input is not bytes`);
      const max = opts?.maxBytes ?? MAX_MESSAGE_BYTES;
      if (bytes.byteLength > max) {
        throw new ProtocolError("protocol.too-large", `${name}: ${bytes.byteLength} bytes exceeds the ${max}-byte limit`);
      }
      const type = typeOf();
      if (opts?.maxElements !== undefined && tooManyElements(type, bytes, opts.maxElements)) {
        throw new ProtocolError("protocol.too-large", `${name}: holds more than ${opts.maxElements} fields`);
      }
      // A plain view (not a Buffer) keeps protobufjs on its Uint8Array reader.
      const view = new Uint8Array(bytes.buffer, bytes.byteOffset, bytes.byteLength);
      try {
        return toPlain(type, type.decode(view) as Decoded) as T;
      } catch (e) {
        throw new ProtocolError("protocol.decode", `malformed ${name}: ${(e as Error).message}`, { cause: e });
      }
    },
  };
}
