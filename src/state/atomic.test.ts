import { describe, expect, test } from "bun:test";
import { mkdtempSync, readdirSync, readFileSync, statSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { readCheckpoint, readValidated, StateError, writeCheckpoint, writeFileAtomic, writeFilesAtomic } from "./atomic.ts";

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

  test("keeps the old content when the write cannot complete", () => {
    const d = dir();
    const f = join(d, "x");
    writeFileAtomic(f, "old");
    writeFileSync(join(d, "blocker"), "");
    expect(() => writeFileAtomic(join(d, "blocker", "y"), "z")).toThrow(StateError);
    expect(readFileSync(f, "utf8")).toBe("old");
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
