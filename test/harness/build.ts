/**
 * The agent's single executable, built with exactly package.json's "build"
 * script (its flags and entrypoints: the TPM and PKCS#11 workers), so tests
 * and the image never drift from what an image builder ships.
 */
import { readFileSync } from "node:fs";
import { join, resolve } from "node:path";
import { run } from "./proc.ts";

const REPO = resolve(import.meta.dir, "../..");

/** package.json's "build" with this Bun and `out` as the output file. */
export function buildCommand(out: string): string[] {
  const script = (JSON.parse(readFileSync(join(REPO, "package.json"), "utf8")) as { scripts: { build: string } }).scripts.build;
  const words = script.split(/\s+/).filter((w) => w !== "");
  if (!words[0]?.endsWith("/bun") || words[1] !== "build") throw new Error(`package.json "build" is not a bun build: ${script}`);
  const at = words.indexOf("--outfile");
  if (at < 0) throw new Error(`package.json "build" names no --outfile: ${script}`);
  words[at + 1] = out;
  return [process.execPath, ...words.slice(1)];
}

export async function compileAgent(out: string, timeoutMs = 180_000): Promise<void> {
  const r = await run(buildCommand(out), { cwd: REPO, timeoutMs });
  if (r.code !== 0) throw new Error(`bun build --compile failed (${r.code}): ${r.stderr.slice(-2000)}`);
}
