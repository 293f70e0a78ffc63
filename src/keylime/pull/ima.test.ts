import { afterAll, describe, expect, test } from "bun:test";
import { appendFileSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { ImaLog } from "./ima.ts";

const dir = mkdtempSync(join(tmpdir(), "edge-agent-kl-ima-"));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

/** Lines in the kernel's ascii_runtime_measurements form. */
const line = (i: number) => `10 ${i.toString(16).padStart(40, "0")} ima-ng sha256:${"ab".repeat(32)} /usr/bin/prog${i}\n`;
const lines = (from: number, to: number) => Array.from({ length: to - from }, (_, k) => line(from + k)).join("");

describe("the IMA measurement list from an entry on", () => {
  const path = join(dir, "ascii_runtime_measurements");
  writeFileSync(path, lines(0, 5));
  const log = new ImaLog(path);

  test("entry 0 is the whole list", () => {
    expect(log.read(0)).toEqual({ list: lines(0, 5), entry: 0 });
  });

  test("entry K gives entries K.. and the count itself gives an empty list", () => {
    expect(log.read(3)).toEqual({ list: lines(3, 5), entry: 3 });
    expect(log.read(5)).toEqual({ list: "", entry: 5 });
  });

  test("an entry past the end starts over at 0", () => {
    expect(log.read(9)).toEqual({ list: lines(0, 5), entry: 0 });
  });

  test("new entries appear after the ones already served", () => {
    appendFileSync(path, lines(5, 8));
    expect(log.read(5)).toEqual({ list: lines(5, 8), entry: 5 });
    expect(log.read(7)).toEqual({ list: lines(7, 8), entry: 7 });
  });

  test("a shorter list (a reboot) is read from its start again", () => {
    writeFileSync(path, lines(0, 2));
    expect(log.read(7)).toEqual({ list: lines(0, 2), entry: 0 });
    expect(log.read(1)).toEqual({ list: lines(1, 2), entry: 1 });
  });
});
