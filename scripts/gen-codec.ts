/**
 * Writes src/protocol/codec.generated.ts: a static codec for every message
 * of the generated descriptor (src/protocol/descriptor.generated.ts), so the
 * agent encodes and decodes without building protobufjs reflection types and
 * compiling their functions at every start. Decoders are the functions
 * protobufjs itself generates for each type at run time, written out once
 * here; encoding and verifying go through src/protocol/table-codec.ts over
 * the field table written with them (a boot sends many types, and each
 * generated function costs a compile on first call), with protobufjs's
 * semantics, so the wire bytes stay exactly protobufjs's.
 * codec-gen.test.ts fails whenever the committed file is not what this
 * makes from the current descriptor.
 *
 *   node_modules/.bin/bun run scripts/gen-codec.ts
 */
import { writeFileSync } from "node:fs";
import { join } from "node:path";
import protobuf from "protobufjs/light";
import { descriptorRoot } from "../src/protocol/root.ts";
import type { EncodeCheck } from "../src/protocol/table-codec.ts";

export const CODEC_FILE = join(import.meta.dir, "../src/protocol/codec.generated.ts");

// protobufjs's per-type code generators (what Type#setup runs on first use); not in its typings.
const gen = protobuf as unknown as Record<"decoder", (t: protobuf.Type) => { toString(): string }>;

function messageTypes(ns: protobuf.NamespaceBase, out: protobuf.Type[] = []): protobuf.Type[] {
  for (const nested of ns.nestedArray) {
    if (nested instanceof protobuf.Type) out.push(nested);
    if (nested instanceof protobuf.Namespace) messageTypes(nested, out);
  }
  return out;
}

/** The generated source with `types[i]` checked to name a message field, as the table passed in only holds those. */
function functionSource(kind: "decoder", type: protobuf.Type): string {
  const src = gen[kind](type).toString();
  for (const m of src.matchAll(/types\[(\d+)\]/g)) {
    const field = type.fieldsArray[Number(m[1])];
    if (!(field?.resolvedType instanceof protobuf.Type)) throw new Error(`${type.fullName} ${kind}: types[${m[1]}] is not a message field`);
  }
  if (/\bthis\b/.test(src)) throw new Error(`${type.fullName} ${kind}: generated code uses this`);
  return src;
}

/**
 * What table-codec.ts needs to encode `f` as protobufjs's generated encoder
 * does; throws on the field kinds it does not handle (none in EVE's schema).
 */
function encodeInfo(t: protobuf.Type, f: protobuf.Field): { tag: number; write: string | null; packed: boolean; check: EncodeCheck; def?: number } {
  f.resolve();
  const isEnum = f.resolvedType instanceof protobuf.Enum;
  const type = isEnum ? "int32" : f.type;
  const wire = (protobuf.types.basic as Record<string, number | undefined>)[type];
  const where = `${t.fullName}.${f.name}`;
  if (f.map || f.required || f.delimited) throw new Error(`${where}: map, required and group fields are not handled by table-codec.ts`);
  if (isEnum && (f.resolvedType as protobuf.Enum & { _features: { enum_type?: string } })._features.enum_type === "CLOSED") {
    throw new Error(`${where}: closed enums are not handled by table-codec.ts`);
  }
  if (wire === undefined) {
    if (!(f.resolvedType instanceof protobuf.Type)) throw new Error(`${where}: unresolved type ${f.type}`);
    return { tag: ((f.id << 3) | 2) >>> 0, write: null, packed: false, check: "presence" };
  }
  const packed = f.repeated && f.packed && (protobuf.types.packed as Record<string, number | undefined>)[type] !== undefined;
  const tag = ((f.id << 3) | (packed ? 2 : wire)) >>> 0;
  let check: EncodeCheck;
  if (f.hasPresence) check = "presence";
  else if (isEnum) check = "enum";
  else if (type === "bool" || type === "string" || type === "bytes") check = type;
  else if (type === "double" || type === "float") check = "float";
  else if ((protobuf.types.long as Record<string, number | undefined>)[type] !== undefined) check = "long";
  else check = "number";
  return { tag, write: type, packed, check, ...(check === "enum" ? { def: f.typeDefault as number } : {}) };
}

/** The generated module's whole text. */
export function codecSource(): string {
  const root = descriptorRoot();
  const types = messageTypes(root);
  const index = new Map(types.map((t, i) => [t, i]));
  const ref = (t: unknown) => (t instanceof protobuf.Type ? `T${index.get(t)}` : "null");
  const lines = [
    "// Generated from descriptor.generated.ts by scripts/gen-codec.ts; do not edit.",
    "// Run `node_modules/.bin/bun run scripts/gen-codec.ts` after regenerating the descriptor;",
    "// codec-gen.test.ts fails while this file is stale.",
    "// @ts-nocheck",
    'import $protobuf from "protobufjs/minimal";',
    'import { tableEncoder, tableVerifier } from "./table-codec.ts";',
    'import type { WireType } from "./wire.ts";',
    "",
    "const Reader = $protobuf.Reader;",
    "const util = $protobuf.util;",
    "",
  ];
  lines.push(
    "/**",
    " * A type whose fields and functions are made on first use: a start that",
    " * touches a few messages compiles only theirs.",
    " */",
    "function lazy(name, setup) {",
    "  const t = { name };",
    "  const init = () => {",
    "    const made = setup();",
    '    for (const k of ["fields", "byId", "encode", "decode", "verify"]) Object.defineProperty(t, k, { value: made[k], enumerable: true });',
    "    return t;",
    "  };",
    '  for (const k of ["fields", "byId", "encode", "decode", "verify"]) Object.defineProperty(t, k, { get: () => init()[k], configurable: true, enumerable: true });',
    "  return t;",
    "}",
    "",
  );
  types.forEach((t, i) => {
    const scope = `[${t.fieldsArray.map((f) => ref(f.resolvedType)).join(", ")}]`;
    lines.push(`const T${i} = lazy(${JSON.stringify(t.fullName.slice(1))}, () => {`);
    lines.push("  const fields = [");
    for (const f of t.fieldsArray) {
      const presence = Boolean(f.partOf || f.hasPresence);
      const e = encodeInfo(t, f);
      lines.push(
        `    { name: ${JSON.stringify(f.name)}, id: ${f.id}, type: ${JSON.stringify(f.type)}, repeated: ${f.repeated}, isEnum: ${f.resolvedType instanceof protobuf.Enum}, explicitPresence: ${presence}, tag: ${e.tag}, write: ${JSON.stringify(e.write)}, packed: ${e.packed}, check: ${JSON.stringify(e.check)},${e.def === undefined ? "" : ` def: ${e.def},`} oneof: ${JSON.stringify(f.partOf?.name ?? null)}, message: ${ref(f.resolvedType)} },`,
      );
    }
    lines.push("  ];");
    lines.push("  const byId = {};");
    lines.push("  for (const f of fields) byId[f.id] = f;");
    lines.push("  return {");
    lines.push("    fields,");
    lines.push("    byId,");
    lines.push("    encode: tableEncoder(fields),");
    lines.push(`    decode: (function (Reader, types, util, C) { return ${functionSource("decoder", t)}; })(Reader, ${scope}, util, function () {}),`);
    lines.push("    verify: tableVerifier(fields),");
    lines.push("  };");
    lines.push("});");
    lines.push("");
  });
  lines.push("/** Every message type of the schema, by its fully-qualified protobuf name. */");
  lines.push("export const TYPES: Readonly<Record<string, WireType>> = {");
  types.forEach((t, i) => lines.push(`  ${JSON.stringify(t.fullName.slice(1))}: T${i},`));
  lines.push("};", "");
  return lines.join("\n");
}

if (import.meta.main) {
  writeFileSync(CODEC_FILE, codecSource());
  process.stdout.write(`wrote ${CODEC_FILE}\n`);
}
