import { describe, expect, test } from "bun:test";
import { readdirSync, readFileSync } from "node:fs";
import { join, relative } from "node:path";
import { type CodecName, codec } from "./codec.ts";
import { DESCRIPTOR_FILE, descriptorSource } from "./descriptor-gen.ts";
import { descriptorRoot } from "./root.ts";
import { buildRoot, PROTO_SOURCES } from "./schema.ts";

const PROTO_DIR = join(import.meta.dir, "../../proto");

function protoFilesOnDisk(dir = PROTO_DIR): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((e) =>
    e.isDirectory() ? protoFilesOnDisk(join(dir, e.name)) : e.name.endsWith(".proto") ? [relative(PROTO_DIR, join(dir, e.name))] : [],
  );
}

describe("generated descriptor", () => {
  test("is what descriptor-gen.ts makes from proto/ now (else run it and commit the file)", () => {
    expect(readFileSync(DESCRIPTOR_FILE, "utf8")).toBe(descriptorSource());
  });

  test("is generated from every .proto file under proto/ when the directory is listed", () => {
    expect(protoFilesOnDisk().sort()).toEqual(Object.keys(PROTO_SOURCES).sort());
    for (const [file, text] of Object.entries(PROTO_SOURCES)) expect({ file, text }).toEqual({ file, text: readFileSync(join(PROTO_DIR, file), "utf8") });
  });

  test("loads into the same schema as the parsed .proto text when both are serialised", () => {
    expect(descriptorRoot().toJSON()).toEqual(buildRoot().toJSON());
  });

  test("resolves every codec's message when each decodes an empty body", () => {
    for (const name of Object.keys(codec) as CodecName[]) {
      expect({ name, decoded: typeof codec[name].decode(new Uint8Array(0)) }).toEqual({ name, decoded: "object" });
    }
  });
});
