import { describe, expect, test } from "bun:test";
import { mkdtempSync, readdirSync, readFileSync, statSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import {
  readCheckpoint,
  readValidated,
  removeFile,
  StateError,
  writeCheckpoint,
  writeFileAtomic,
  writeFileAtomicIfChanged,
  writeFilesAtomic,
} from "./atomic.ts";

const dir = () => mkdtempSync(join(tmpdir(), "ea-state-"));

describe("writeFileAtomic", () => {
  test("replaces content and leaves no temp file when it succeeds", () => {
    const d = dir();
    const f = join(d, "sub", "x");
    writeFileAtomic(f, "one");
    writeFileAtomic(f, "two", 0o640);
    expect(readFileSync(f, "utf8")).toBe("two");
    expect(readdirSync(join(d, "sub"))).toEqual(["x"]);
    expect(statSync(f).mode & 0o777).toBe(0o640);
  });

  test("without durability still replaces the file whole and leaves no temp file", () => {
    const d = dir();
    const f = join(d, "q", "item.json");
    writeFileAtomic(f, "first", 0o600, { durable: false });
    writeFileAtomic(f, "second", 0o600, { durable: false });
    expect(readFileSync(f, "utf8")).toBe("second");
    expect(readdirSync(join(d, "q"))).toEqual(["item.json"]);
    expect(statSync(f).mode & 0o777).toBe(0o600);
  });

  test("keeps the old content when the write cannot complete", () => {
    const d = dir();
    const f = join(d, "x");
    writeFileAtomic(f, "old");
    writeFileSync(join(d, "blocker"), "");
    expect(() => writeFileAtomic(join(d, "blocker", "y"), "z")).toThrow(StateError);
    expect(readFileSync(f, "utf8")).toBe("old");
  });
});

describe("writeFileAtomicIfChanged", () => {
  test("leaves the very file in place when it already holds the bytes and mode", () => {
    const d = dir();
    const f = join(d, "x");
    expect(writeFileAtomicIfChanged(f, "same\n", 0o644)).toBe(true);
    const before = statSync(f);
    expect(writeFileAtomicIfChanged(f, new TextEncoder().encode("same\n"), 0o644)).toBe(false);
    expect(statSync(f).ino).toBe(before.ino);
    expect(readdirSync(d)).toEqual(["x"]);
  });

  test("replaces the file when its content, length or mode differs", () => {
    const d = dir();
    const f = join(d, "x");
    writeFileAtomic(f, "one", 0o644);
    expect(writeFileAtomicIfChanged(f, "two", 0o644)).toBe(true);
    expect(readFileSync(f, "utf8")).toBe("two");
    expect(writeFileAtomicIfChanged(f, "two!", 0o644)).toBe(true);
    expect(writeFileAtomicIfChanged(f, "two!", 0o600)).toBe(true);
    expect(statSync(f).mode & 0o777).toBe(0o600);
    expect(readFileSync(f, "utf8")).toBe("two!");
  });
});

describe("removeFile", () => {
  test("removes the file whether or not the removal is made durable, and ignores a missing one", () => {
    const d = dir();
    writeFileSync(join(d, "a"), "");
    writeFileSync(join(d, "b"), "");
    removeFile(join(d, "a"));
    removeFile(join(d, "b"), { durable: false });
    removeFile(join(d, "c"), { durable: false });
    expect(readdirSync(d)).toEqual([]);
  });
});

describe("writeFilesAtomic", () => {
  test("replaces every file of the step and leaves no temp file", () => {
    const d = dir();
    writeFilesAtomic([
      { path: join(d, "a"), data: "a1" },
      { path: join(d, "a.bak"), data: "a1" },
    ]);
    writeFilesAtomic([
      { path: join(d, "a"), data: "a2" },
      { path: join(d, "a.bak"), data: "a2" },
    ]);
    expect(readFileSync(join(d, "a"), "utf8")).toBe("a2");
    expect(readFileSync(join(d, "a.bak"), "utf8")).toBe("a2");
    expect(readdirSync(d).sort()).toEqual(["a", "a.bak"]);
  });

  test("replaces none of them and leaves no temp file when one cannot be written", () => {
    const d = dir();
    writeFileAtomic(join(d, "a"), "old");
    writeFileSync(join(d, "blocker"), "");
    expect(() =>
      writeFilesAtomic([
        { path: join(d, "a"), data: "new" },
        { path: join(d, "blocker", "b"), data: "new" },
      ]),
    ).toThrow(StateError);
    expect(readFileSync(join(d, "a"), "utf8")).toBe("old");
    expect(readdirSync(d).sort()).toEqual(["a", "blocker"]);
  });
});

describe("readValidated", () => {
  test("reports a corrupt file instead of returning it when validation fails", () => {
    const d = dir();
    const f = join(d, "uuid");
    writeFileSync(f, "garbage");
    let err: unknown;
    try {
      readValidated(f, () => {
        throw new Error("not a uuid");
      });
    } catch (e) {
      err = e;
    }
    expect(err).toBeInstanceOf(StateError);
    expect((err as StateError).kind).toBe("state.corrupt");
  });

  test("returns undefined when the file does not exist", () => {
    expect(readValidated(join(dir(), "none"), (d) => d)).toBeUndefined();
  });
});

describe("checkpoint", () => {
  const parse = (d: Uint8Array) => {
    const s = new TextDecoder().decode(d);
    if (!s.startsWith("ok:")) throw new Error("bad");
    return s;
  };

  test("falls back to .bak when the primary is corrupt", () => {
    const d = dir();
    const f = join(d, "lastconfig");
    writeCheckpoint(f, new TextEncoder().encode("ok:1"));
    writeFileSync(f, "torn");
    const r = readCheckpoint(f, parse)!;
    expect(r.value).toBe("ok:1");
    expect(r.from).toBe("backup");
    expect(r.primaryError?.kind).toBe("state.corrupt");
  });

  test("creates the backup only on the first write", () => {
    const d = dir();
    const f = join(d, "lastconfig");
    writeCheckpoint(f, new TextEncoder().encode("ok:1"));
    writeCheckpoint(f, new TextEncoder().encode("ok:2"));
    expect(readFileSync(f, "utf8")).toBe("ok:2");
    expect(readFileSync(`${f}.bak`, "utf8")).toBe("ok:1");
  });
});
