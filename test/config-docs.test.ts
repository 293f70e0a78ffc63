import { describe, expect, test } from "bun:test";
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { defaultConfig } from "../src/config/index.ts";

/** docs/configuration.md rows: `key` -> the default column as written. */
function documented(): Map<string, string> {
  const text = readFileSync(join(import.meta.dir, "../docs/configuration.md"), "utf8");
  const rows = new Map<string, string>();
  for (const m of text.matchAll(/^\| `([A-Za-z0-9_.]+)` \| ([^|]+) \|/gm)) rows.set(m[1]!, m[2]!.trim());
  return rows;
}

function leaves(obj: Record<string, unknown>, prefix = ""): Array<[string, unknown]> {
  return Object.entries(obj).flatMap(([k, v]) =>
    v !== null && typeof v === "object" && !Array.isArray(v)
      ? leaves(v as Record<string, unknown>, `${prefix}${k}.`)
      : [[`${prefix}${k}`, v] as [string, unknown]],
  );
}

describe("docs/configuration.md", () => {
  test("documents every setting with the default the code uses", () => {
    const docs = documented();
    const missing: string[] = [];
    const wrong: string[] = [];
    for (const [key, value] of leaves(defaultConfig() as unknown as Record<string, unknown>)) {
      const row = docs.get(key);
      if (row === undefined) missing.push(key);
      else if (row !== `\`${JSON.stringify(value)}\``) wrong.push(`${key}: docs say ${row}, code has ${JSON.stringify(value)}`);
    }
    expect(missing).toEqual([]);
    expect(wrong).toEqual([]);
  });

  test("every EDGE_AGENT_ variable the loader reads is documented", () => {
    const loader = readFileSync(join(import.meta.dir, "../src/config/load.ts"), "utf8");
    const docs = readFileSync(join(import.meta.dir, "../docs/configuration.md"), "utf8");
    const vars = new Set([...loader.matchAll(/env\.(EDGE_AGENT_[A-Z_]+)/g)].map((m) => m[1]!));
    expect(vars.size).toBeGreaterThan(3);
    expect([...vars].filter((v) => !docs.includes(`\`${v}\``))).toEqual([]);
  });
});
