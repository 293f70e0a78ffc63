import { describe, expect, test } from "bun:test";
import { readdirSync, readFileSync } from "node:fs";
import { join } from "node:path";
import protobuf from "protobufjs";
import { fromHex, toHex } from "../shared/index.ts";
import { codec } from "./codec.ts";
import { GOLDEN_CASES } from "./golden.cases.ts";
import { buildRoot } from "./schema.ts";

const FIXTURES = join(import.meta.dir, "../../test/fixtures/protocol");

function fixtureBytes(stem: string): Uint8Array {
  return fromHex(readFileSync(join(FIXTURES, `${stem}.hex`), "utf8").trim());
}

function fixtureMessage(stem: string): string | undefined {
  const txt = readFileSync(join(FIXTURES, `${stem}.txtpb`), "utf8");
  return /^# proto-message: (\S+)$/m.exec(txt)?.[1];
}

describe("codec golden bytes (protoc fixtures)", () => {
  for (const c of GOLDEN_CASES) {
    const mc = codec[c.codec];
    describe(c.fixture, () => {
      test("fixture was encoded as the message this codec handles", () => {
        expect(fixtureMessage(c.fixture)).toBe(mc.typeName);
      });
      test("encode produces the protoc bytes when given the expected value", () => {
        expect(toHex(mc.encode(c.value as never))).toBe(toHex(fixtureBytes(c.fixture)));
      });
      test("decode yields the expected value when given the protoc bytes", () => {
        expect(mc.decode(fixtureBytes(c.fixture))).toStrictEqual(c.value as never);
      });
      test("re-encoding reproduces the protoc bytes when given the decoded value", () => {
        const bytes = fixtureBytes(c.fixture);
        expect(toHex(mc.encode(mc.decode(bytes) as never))).toBe(toHex(bytes));
      });
    });
  }

  test("every fixture file has a golden case when the directory is listed", () => {
    const stems = readdirSync(FIXTURES)
      .filter((f) => f.endsWith(".txtpb"))
      .map((f) => f.slice(0, -".txtpb".length))
      .sort();
    expect(stems).toEqual(GOLDEN_CASES.map((c) => c.fixture).sort());
  });

  test("every declared field is set in some fixture when the cases are walked", () => {
    const root = buildRoot();
    const seen = new Set<string>();
    const walk = (type: protobuf.Type, value: Record<string, unknown>) => {
      for (const field of type.fieldsArray) {
        const v = value[field.name];
        const items = field.repeated ? (v as unknown[]) : v === undefined ? [] : [v];
        const isSet = (x: unknown) => (x instanceof Uint8Array ? x.length > 0 : x !== 0 && x !== "" && x !== false);
        if (items.some((x) => field.resolvedType instanceof protobuf.Type || isSet(x))) seen.add(`${type.fullName}.${field.name}`);
        if (field.resolvedType instanceof protobuf.Type) {
          for (const x of items) walk(field.resolvedType, x as Record<string, unknown>);
        }
      }
    };
    for (const c of GOLDEN_CASES) walk(root.lookupType(codec[c.codec].typeName), c.value as Record<string, unknown>);
    const all: string[] = [];
    const collect = (ns: protobuf.NamespaceBase) => {
      for (const nested of ns.nestedArray) {
        if (nested instanceof protobuf.Type) all.push(...nested.fieldsArray.map((f) => `${nested.fullName}.${f.name}`));
        if (nested instanceof protobuf.Namespace) collect(nested);
      }
    };
    collect(root);
    expect(all.filter((f) => !seen.has(f))).toEqual([]);
  });
});
