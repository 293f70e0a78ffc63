/**
 * Writes descriptor.generated.ts: the schema of proto/*.proto as the JSON
 * descriptor protobufjs makes of it (Root.toJSON), so the agent loads its
 * codecs with Root.fromJSON instead of parsing .proto text at every start.
 * descriptor.test.ts fails whenever the committed file is not what this
 * makes from the current proto/ files.
 *
 *   node_modules/.bin/bun run src/protocol/descriptor-gen.ts
 */
import { writeFileSync } from "node:fs";
import { join } from "node:path";
import { buildRoot } from "./schema.ts";

export const DESCRIPTOR_FILE = join(import.meta.dir, "descriptor.generated.ts");

/** The generated module's whole text, from the embedded .proto sources. */
export function descriptorSource(): string {
  const json = JSON.stringify(buildRoot().toJSON(), null, 2);
  return [
    "// Generated from proto/*.proto by src/protocol/descriptor-gen.ts; do not edit.",
    "// Run `node_modules/.bin/bun run src/protocol/descriptor-gen.ts` after changing a .proto file;",
    "// descriptor.test.ts fails while this file is stale.",
    'import type { INamespace } from "protobufjs/light";',
    "",
    `export const DESCRIPTOR: INamespace = ${json};`,
    "",
  ].join("\n");
}

if (import.meta.main) {
  writeFileSync(DESCRIPTOR_FILE, descriptorSource());
  process.stdout.write(`wrote ${DESCRIPTOR_FILE}\n`);
}
