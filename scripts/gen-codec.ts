/**
 * Writes src/protocol/codec.generated.ts: a static codec for every message
 * of the generated descriptor (src/protocol/descriptor.generated.ts), so the
 * agent encodes and decodes without building protobufjs reflection types and
 * compiling their functions at every start: each type is a field table that
 * src/protocol/table-codec.ts encodes, decodes and verifies with the
 * semantics of the functions protobufjs would generate for it, so the wire
 * bytes stay exactly protobufjs's. (It used to write those functions out per
 * type; a boot touches some 40 types, and under the compiled agent's JIT
 * policy compiling them on first call was most of the codecs' CPU.)
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

function messageTypes(ns: protobuf.NamespaceBase, out: protobuf.Type[] = []): protobuf.Type[] {
  for (const nested of ns.nestedArray) {
    if (nested instanceof protobuf.Type) out.push(nested);
    if (nested instanceof protobuf.Namespace) messageTypes(nested, out);
  }
  return out;
}

/**
 * What table-codec.ts needs to encode `f` as protobufjs's generated encoder
 * does; throws on the field kinds it does not handle (none in EVE's schema).
 */
function encodeInfo(
  t: protobuf.Type,
  f: protobuf.Field,
): { tag: number; write: string | null; packed: boolean; check: EncodeCheck; def?: number; wire: number; read: string | null; packable: boolean } {
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
    return { tag: ((f.id << 3) | 2) >>> 0, write: null, packed: false, check: "presence", wire: 2, read: null, packable: false };
  }
  const packable = f.repeated && (protobuf.types.packed as Record<string, number | undefined>)[type] !== undefined;
  const packed = packable && f.packed;
  const utf8 = (f as protobuf.Field & { _features: { utf8_validation?: string } })._features.utf8_validation;
  const read = type === "string" && utf8 === "VERIFY" ? "stringVerify" : type;
  const tag = ((f.id << 3) | (packed ? 2 : wire)) >>> 0;
  let check: EncodeCheck;
  if (f.hasPresence) check = "presence";
  else if (isEnum) check = "enum";
  else if (type === "bool" || type === "string" || type === "bytes") check = type;
  else if (type === "double" || type === "float") check = "float";
  else if ((protobuf.types.long as Record<string, number | undefined>)[type] !== undefined) check = "long";
  else check = "number";
  return { tag, write: type, packed, check, ...(check === "enum" ? { def: f.typeDefault as number } : {}), wire, read, packable };
}

/** The generated module's whole text. */
export function codecSource(): string {
  const root = descriptorRoot();
  const types = messageTypes(root);
  const index = new Map(types.map((t, i) => [t, i]));
  const lines = [
    "// Generated from descriptor.generated.ts by scripts/gen-codec.ts; do not edit.",
    "// Run `node_modules/.bin/bun run scripts/gen-codec.ts` after regenerating the descriptor;",
    "// codec-gen.test.ts fails while this file is stale.",
    "// @ts-nocheck",
    'import { tableDecoder, tableEncoder, tableVerifier } from "./table-codec.ts";',
    'import type { WireType } from "./wire.ts";',
    "",
  ];
  lines.push(
    "/**",
    " * A type whose field table is read, and whose codec functions are made,",
    " * on first use; `table` names its message types by index into ALL. A",
    " * string, parsed on first use, and a class with getters, because",
    " * building every type's table and accessors at start cost more than the",
    " * few types a boot uses.",
    " */",
    "class Lazy {",
    "  constructor(name, table) {",
    "    this.name = name;",
    "    this.table = table;",
    "    this.made = null;",
    "  }",
    "  init() {",
    "    if (this.made === null) {",
    "      const fields = JSON.parse(this.table);",
    "      const byId = {};",
    "      for (const f of fields) {",
    "        if (f.message !== null) f.message = ALL[f.message];",
    "        byId[f.id] = f;",
    "      }",
    "      this.made = { fields, byId, encode: tableEncoder(fields), decode: tableDecoder(fields), verify: tableVerifier(fields) };",
    "    }",
    "    return this.made;",
    "  }",
    "  get fields() {",
    "    return this.init().fields;",
    "  }",
    "  get byId() {",
    "    return this.init().byId;",
    "  }",
    "  get encode() {",
    "    return this.init().encode;",
    "  }",
    "  get decode() {",
    "    return this.init().decode;",
    "  }",
    "  get verify() {",
    "    return this.init().verify;",
    "  }",
    "}",
    "",
  );
  types.forEach((t, i) => {
    lines.push(`const T${i} = new Lazy(${JSON.stringify(t.fullName.slice(1))}, \`[`);
    t.fieldsArray.forEach((f, j) => {
      const e = encodeInfo(t, f);
      const field = {
        name: f.name,
        id: f.id,
        type: f.type,
        repeated: f.repeated,
        isEnum: f.resolvedType instanceof protobuf.Enum,
        explicitPresence: Boolean(f.partOf || f.hasPresence),
        ...e,
        oneof: f.partOf?.name ?? null,
        message: f.resolvedType instanceof protobuf.Type ? index.get(f.resolvedType) : null,
      };
      const json = JSON.stringify(field);
      if (/[`\\]|\$\{/.test(json)) throw new Error(`${t.fullName}.${f.name}: its table entry does not fit a template literal`);
      lines.push(`  ${json}${j < t.fieldsArray.length - 1 ? "," : ""}`);
    });
    lines.push("]`);");
    lines.push("");
  });
  lines.push(`const ALL = [${types.map((_, i) => `T${i}`).join(", ")}];`, "");
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
