// Input generators shared by the targets: schema-driven protobuf messages
// (structure-aware) and byte mutations of real exchanges (mutation-based).

import { readFileSync } from "node:fs";
import { join } from "node:path";
import protobuf from "protobufjs/light";
import { descriptorRoot } from "../../src/protocol/root.ts";
import { fc } from "./lib.ts";

const root = descriptorRoot();

export function protoType(name: string): protobuf.Type {
  return root.lookupType(name);
}

const INT32_EDGES = [0, 1, -1, 0x7fffffff, -0x80000000, 127, 128, 255, 256];
const LONG_EDGES = [0, 1, -1, Number.MAX_SAFE_INTEGER, Number.MIN_SAFE_INTEGER, 2 ** 53 + 2, -(2 ** 63), 2 ** 63, 2 ** 32, 2 ** 31];

function scalarArb(field: protobuf.Field): fc.Arbitrary<unknown> {
  if (field.resolvedType instanceof protobuf.Enum) {
    const values = Object.values(field.resolvedType.values);
    // Declared values mostly, undeclared ones too: proto3 enums are open.
    return fc.oneof(
      { weight: 4, arbitrary: fc.constantFrom(...values) },
      { weight: 1, arbitrary: fc.oneof(fc.integer({ min: -5, max: 300 }), fc.constantFrom(...INT32_EDGES)) },
    );
  }
  switch (field.type) {
    case "string":
      return fc.oneof(
        fc.string({ maxLength: 40 }),
        fc.string({ unit: "binary", maxLength: 40 }),
        fc.uuid().map((u) => (u.length ? u : "")),
        fc.constantFrom("", "\0", "x".repeat(300)),
      );
    case "bool":
      return fc.boolean();
    case "bytes":
      return fc.oneof(fc.uint8Array({ maxLength: 80 }), fc.constantFrom(new Uint8Array(0), new Uint8Array(16), new Uint8Array(32), new Uint8Array(64)));
    case "double":
    case "float":
      return fc.double();
    case "int64":
    case "sint64":
    case "sfixed64":
    case "uint64":
    case "fixed64":
      return fc.oneof(fc.integer(), fc.constantFrom(...LONG_EDGES), fc.maxSafeInteger());
    case "uint32":
    case "fixed32":
      return fc.oneof(fc.nat(), fc.constantFrom(0, 1, 0xffffffff));
    default:
      return fc.oneof(fc.integer(), fc.constantFrom(...INT32_EDGES));
  }
}

const memo = new Map<string, fc.Arbitrary<Record<string, unknown>>>();

/**
 * A plain object valid for `type`: every field independently present or
 * absent, repeated fields 0-3 long, nesting cut at `depth` so recursive
 * messages stay small. Overrides pin fields (a respType, say).
 */
export function messageArb(type: protobuf.Type, depth = 3, overrides: Record<string, fc.Arbitrary<unknown>> = {}): fc.Arbitrary<Record<string, unknown>> {
  const key = `${type.fullName}@${depth}`;
  if (Object.keys(overrides).length === 0 && memo.has(key)) return memo.get(key)!;
  const model: Record<string, fc.Arbitrary<unknown>> = {};
  for (const field of type.fieldsArray) {
    let value: fc.Arbitrary<unknown> | undefined = overrides[field.name];
    if (!value) {
      if (field.resolvedType instanceof protobuf.Type) {
        if (depth <= 0) continue;
        value = messageArb(field.resolvedType, depth - 1);
      } else {
        value = scalarArb(field);
      }
      if (field.repeated) value = fc.array(value, { maxLength: 3 });
    }
    model[field.name] = value;
  }
  const required = Object.keys(overrides);
  const arb = fc.record(model, { requiredKeys: required }) as fc.Arbitrary<Record<string, unknown>>;
  if (required.length === 0) memo.set(key, arb);
  return arb;
}

/** Wire bytes of a generated message; protobufjs's encoder is the oracle for "valid". */
export function encodeWith(type: protobuf.Type, msg: Record<string, unknown>): Uint8Array {
  return new Uint8Array(type.encode(msg).finish());
}

export function encodedArb(typeName: string, overrides: Record<string, fc.Arbitrary<unknown>> = {}): fc.Arbitrary<Uint8Array> {
  const type = protoType(typeName);
  return messageArb(type, 3, overrides).map((m) => encodeWith(type, m));
}

// ---------------------------------------------------------------- mutations

type Op =
  | { op: "flip"; at: number; bit: number }
  | { op: "set"; at: number; value: number }
  | { op: "truncate"; at: number }
  | { op: "insert"; at: number; bytes: Uint8Array }
  | { op: "delete"; at: number; len: number }
  | { op: "splice"; at: number; other: number; from: number; len: number }
  | { op: "repeat"; at: number; len: number; times: number }
  | { op: "lie"; at: number; varint: number };

/** Varints that lie about a length: 0, just past the end, huge, and the 10-byte maximum. */
const LIES = [
  [0x00],
  [0x01],
  [0x7f],
  [0x80, 0x01],
  [0xff, 0xff, 0x03],
  [0xff, 0xff, 0xff, 0xff, 0x0f],
  [0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0x01],
  [0x80, 0x80, 0x80, 0x80, 0x80, 0x80, 0x80, 0x80, 0x80, 0x80, 0x80],
];

const opArb: fc.Arbitrary<Op> = fc.oneof(
  fc.record({ op: fc.constant("flip" as const), at: fc.nat(), bit: fc.integer({ min: 0, max: 7 }) }),
  fc.record({
    op: fc.constant("set" as const),
    at: fc.nat(),
    value: fc.oneof(fc.constantFrom(0, 0xff, 0x7f, 0x80, 0x0a, 0x12, 0x1a, 0x22), fc.integer({ min: 0, max: 255 })),
  }),
  fc.record({ op: fc.constant("truncate" as const), at: fc.nat() }),
  fc.record({ op: fc.constant("insert" as const), at: fc.nat(), bytes: fc.uint8Array({ minLength: 1, maxLength: 12 }) }),
  fc.record({ op: fc.constant("delete" as const), at: fc.nat(), len: fc.integer({ min: 1, max: 16 }) }),
  fc.record({ op: fc.constant("splice" as const), at: fc.nat(), other: fc.nat(), from: fc.nat(), len: fc.integer({ min: 1, max: 256 }) }),
  fc.record({ op: fc.constant("repeat" as const), at: fc.nat(), len: fc.integer({ min: 1, max: 64 }), times: fc.integer({ min: 2, max: 40 }) }),
  fc.record({ op: fc.constant("lie" as const), at: fc.nat(), varint: fc.integer({ min: 0, max: LIES.length - 1 }) }),
);

function apply(b: Uint8Array, o: Op, pool: readonly Uint8Array[]): Uint8Array {
  const n = b.length;
  const at = n === 0 ? 0 : o.at % (n + 1);
  switch (o.op) {
    case "flip": {
      if (n === 0) return b;
      const c = b.slice();
      c[o.at % n]! ^= 1 << o.bit;
      return c;
    }
    case "set": {
      if (n === 0) return b;
      const c = b.slice();
      c[o.at % n] = o.value;
      return c;
    }
    case "truncate":
      return b.slice(0, at);
    case "insert":
      return concat(b.subarray(0, at), o.bytes, b.subarray(at));
    case "delete":
      return concat(b.subarray(0, at), b.subarray(Math.min(n, at + o.len)));
    case "splice": {
      const other = pool[o.other % pool.length]!;
      const from = other.length === 0 ? 0 : o.from % other.length;
      return concat(b.subarray(0, at), other.subarray(from, from + o.len), b.subarray(at));
    }
    case "repeat": {
      const chunk = b.subarray(at, Math.min(n, at + o.len));
      return concat(b.subarray(0, at), ...Array.from({ length: o.times }, () => chunk), b.subarray(at));
    }
    case "lie": {
      // Overwrites the byte at `at` (often a length prefix in protobuf and TPM2B) with a lying varint.
      if (n === 0) return Uint8Array.from(LIES[o.varint]!);
      const i = o.at % n;
      return concat(b.subarray(0, i), Uint8Array.from(LIES[o.varint]!), b.subarray(i + 1));
    }
  }
}

function concat(...parts: Uint8Array[]): Uint8Array {
  const out = new Uint8Array(parts.reduce((s, p) => s + p.length, 0));
  let o = 0;
  for (const p of parts) {
    out.set(p, o);
    o += p.length;
  }
  return out;
}

/** 1 to 6 mutations of one seed: the same bytes an attacker on the wire or on disk starts from. */
export function mutatedArb(seeds: readonly Uint8Array[]): fc.Arbitrary<Uint8Array> {
  if (seeds.length === 0) throw new Error("mutatedArb needs at least one seed");
  return fc
    .tuple(fc.nat({ max: seeds.length - 1 }), fc.array(opArb, { minLength: 1, maxLength: 6 }))
    .map(([i, ops]) => ops.reduce((b, o) => apply(b, o, seeds), seeds[i]!));
}

/** 1 to 6 mutations of one input made for this case, splicing from `pool`: a fresh structured input taken apart like a replayed one. */
export function mutationsOf(base: Uint8Array, pool: readonly Uint8Array[]): fc.Arbitrary<Uint8Array> {
  const others = [base, ...pool];
  return fc.array(opArb, { minLength: 1, maxLength: 6 }).map((ops) => ops.reduce((b, o) => apply(b, o, others), base));
}

/** Seeds as they are, mutated, or arbitrary bytes: the three corners of a decoder's input space. */
export function bytesArb(seeds: readonly Uint8Array[], structured?: fc.Arbitrary<Uint8Array>): fc.Arbitrary<Uint8Array> {
  const parts: fc.WeightedArbitrary<Uint8Array>[] = [
    { weight: 1, arbitrary: fc.constantFrom(...seeds) },
    { weight: 6, arbitrary: mutatedArb(seeds) },
    { weight: 1, arbitrary: fc.uint8Array({ maxLength: 512 }) },
  ];
  if (structured) {
    parts.push({ weight: 4, arbitrary: structured });
    parts.push({ weight: 3, arbitrary: structured.chain((s) => mutatedArb([s, ...seeds.slice(0, 3)])) });
  }
  return fc.oneof(...parts);
}

// ---------------------------------------------------------------- fixtures

export const FIXTURES = join(import.meta.dir, "..", "fixtures");

export function fixtureHex(name: string): Uint8Array {
  return new Uint8Array(Buffer.from(readFileSync(join(FIXTURES, "protocol", `${name}.hex`), "utf8").trim(), "hex"));
}

export function fixtureBytes(...path: string[]): Uint8Array {
  return new Uint8Array(readFileSync(join(FIXTURES, ...path)));
}
