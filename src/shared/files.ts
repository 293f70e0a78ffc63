import { readFileSync } from "node:fs";

/** A small text file's trimmed content, or undefined when absent, unreadable or blank. */
export function readTrimmed(path: string): string | undefined {
  try {
    const v = readFileSync(path, "utf8").trim();
    return v === "" ? undefined : v;
  } catch {
    return undefined;
  }
}
