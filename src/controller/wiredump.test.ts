import { afterAll, describe, expect, test } from "bun:test";
import { chmodSync, chownSync, existsSync, lstatSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, symlinkSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { createLogger } from "../shared/index.ts";
import type { HttpRequest, HttpResponse } from "./transport.ts";
import { prepareWireDumpDir, WireDump, WireDumpError, type WireDumpState } from "./wiredump.ts";

const base = mkdtempSync(join(tmpdir(), "ea-wiredump-"));
afterAll(() => rmSync(base, { recursive: true, force: true }));
let n = 0;
const fresh = (name = "d") => join(base, `${++n}-${name}`);

const req = (body = 100): HttpRequest => ({
  method: "POST",
  url: new URL("https://controller.example/api/v2/edgedevice/id/u/config"),
  headers: { "X-Request-Id": "r" },
  body: new Uint8Array(body).fill(0x41),
});
const res = (body = 100): HttpResponse => ({ status: 200, headers: { "content-type": "application/x-proto-binary" }, body: new Uint8Array(body).fill(0x42) });

function open(dir: string, maxBytes = 64 * 1024 * 1024) {
  const lines: { level: string; msg: string; error?: string }[] = [];
  const states: WireDumpState[] = [];
  const dump = new WireDump(dir, { maxBytes, log: createLogger({ write: (l) => lines.push(JSON.parse(l)) }), onState: (s) => states.push(s) });
  return { dump, lines, states };
}

function refusal(dir: string): string {
  try {
    prepareWireDumpDir(dir);
  } catch (e) {
    return e instanceof WireDumpError ? `${e.kind}: ${e.message}` : `not a WireDumpError: ${String(e)}`;
  }
  return "accepted";
}

const mode = (p: string) => lstatSync(p).mode & 0o777;

describe("wire dump directory", () => {
  test("is created 0700 with its missing parents when it does not exist", () => {
    const dir = join(fresh("parent"), "a", "wire");
    const old = process.umask(0);
    try {
      expect(refusal(dir)).toBe("accepted");
    } finally {
      process.umask(old);
    }
    expect(mode(dir)).toBe(0o700);
    expect(lstatSync(dir).uid).toBe(process.geteuid!());
  });

  test("is refused when an existing directory is 0755", () => {
    const dir = fresh("open");
    mkdirSync(dir);
    chmodSync(dir, 0o755);
    expect(refusal(dir)).toMatch(/^wiredump\.unsafe-dir: .* has mode 0755, open to group or others/);
    // Refused, not tightened: what was dumped there may already have been read.
    expect(mode(dir)).toBe(0o755);
  });

  test("is refused when group members could enter it (0710)", () => {
    const dir = fresh("group");
    mkdirSync(dir);
    chmodSync(dir, 0o710);
    expect(refusal(dir)).toMatch(/has mode 0710/);
  });

  test("is refused when another user owns it, even at 0700", () => {
    const dir = fresh("nobody");
    mkdirSync(dir, { mode: 0o700 });
    chownSync(dir, 65534, 65534);
    expect(refusal(dir)).toMatch(new RegExp(`^wiredump\\.unsafe-dir: .* is owned by uid 65534, not by the agent \\(uid ${process.geteuid!()}\\)`));
  });

  test("is refused when the name is a symlink, even to a private directory of the agent's", () => {
    const target = fresh("target");
    mkdirSync(target, { mode: 0o700 });
    const link = fresh("link");
    symlinkSync(target, link);
    expect(refusal(link)).toMatch(/^wiredump\.unsafe-dir: .* is a symbolic link/);
  });

  test("is refused when the name is a regular file", () => {
    const file = fresh("file");
    writeFileSync(file, "x");
    expect(refusal(file)).toMatch(/exists and is not a directory/);
  });
});

describe("WireDump", () => {
  test("writes each exchange as three 0600 files when the directory is private", () => {
    const dir = fresh();
    const { dump, states } = open(dir);
    const old = process.umask(0);
    try {
      dump.record(dump.begin(), "certs", req(), res());
    } finally {
      process.umask(old);
    }
    const files = readdirSync(dir).sort();
    expect(files).toEqual(["0001-certs.json", "0001-certs.req", "0001-certs.res"]);
    for (const f of files) expect(mode(join(dir, f))).toBe(0o600);
    expect(readFileSync(join(dir, "0001-certs.req")).length).toBe(100);
    expect(JSON.parse(readFileSync(join(dir, "0001-certs.json"), "utf8")).status).toBe(200);
    expect(states.at(-1)).toMatchObject({ dir, exchanges: 1 });
    expect(states.at(-1)!.error).toBeUndefined();
  });

  test("is disabled, logs once and reports the refusal when the directory is 0755", () => {
    const dir = fresh("open");
    mkdirSync(dir);
    chmodSync(dir, 0o755);
    const { dump, lines, states } = open(dir);
    expect(dump.refused?.kind).toBe("wiredump.unsafe-dir");
    for (let i = 0; i < 3; i++) dump.record(dump.begin(), "config", req(), res());
    expect(readdirSync(dir)).toEqual([]);
    expect(lines.filter((l) => l.level === "error")).toHaveLength(1);
    expect(lines[0]!.msg).toBe("wire dump disabled");
    expect(states).toHaveLength(4);
    for (const s of states) expect(s.error).toMatch(/^wiredump\.unsafe-dir: .*mode 0755/);
  });

  test("writes nothing into the target when the directory is a symlink", () => {
    const target = fresh("target");
    mkdirSync(target, { mode: 0o700 });
    const link = fresh("link");
    symlinkSync(target, link);
    const { dump } = open(link);
    dump.record(dump.begin(), "certs", req(), res());
    expect(dump.refused?.message).toMatch(/symbolic link/);
    expect(readdirSync(target)).toEqual([]);
  });

  test("writes nothing when another user owns the directory", () => {
    const dir = fresh("nobody");
    mkdirSync(dir, { mode: 0o700 });
    chownSync(dir, 65534, 65534);
    const { dump } = open(dir);
    dump.record(dump.begin(), "certs", req(), res());
    expect(dump.refused?.message).toMatch(/owned by uid 65534/);
    expect(readdirSync(dir)).toEqual([]);
  });

  test("neither follows nor replaces a symlink planted at a file name, and goes on with the next exchange", () => {
    const dir = fresh();
    const { dump, lines, states } = open(dir);
    const victim = join(fresh("victim"), "secret-target");
    mkdirSync(join(victim, ".."), { recursive: true });
    writeFileSync(victim, "original");
    symlinkSync(victim, join(dir, "0001-attest.res"));
    dump.record(dump.begin(), "attest", req(), res(5000));
    expect(readFileSync(victim, "utf8")).toBe("original");
    expect(lstatSync(join(dir, "0001-attest.res")).isSymbolicLink()).toBe(true);
    // The half-written exchange is removed, the planted link left for the operator to see.
    expect(readdirSync(dir).sort()).toEqual(["0001-attest.res"]);
    expect(states.at(-1)!.error).toMatch(/^wiredump\.write: .*EEXIST/);
    expect(lines.filter((l) => l.msg === "wire dump write failed")).toHaveLength(1);

    dump.record(dump.begin(), "config", req(), res());
    expect(readdirSync(dir).filter((f) => f.startsWith("0002-"))).toHaveLength(3);
    expect(states.at(-1)!.error).toBeUndefined();
  });

  test("also refuses a planted dangling symlink, so no file appears at its target", () => {
    const dir = fresh();
    const { dump } = open(dir);
    const target = join(fresh("nowhere"), "created-through-link");
    mkdirSync(join(target, ".."), { recursive: true });
    symlinkSync(target, join(dir, "0001-certs.req"));
    dump.record(dump.begin(), "certs", req(), res());
    expect(existsSync(target)).toBe(false);
  });

  test("removes the oldest exchanges when the cap is reached", () => {
    const dir = fresh();
    const one = 1000 + 1000 + 400; // bodies plus roughly the metadata JSON
    const cap = 3 * one;
    const { dump, states } = open(dir, cap);
    for (let i = 0; i < 10; i++) dump.record(dump.begin(), `config`, req(1000), res(1000));
    const files = readdirSync(dir).sort();
    const seqs = [...new Set(files.map((f) => Number(f.slice(0, 4))))];
    // Only the newest survive, each whole, and the directory is within the cap.
    expect(seqs[seqs.length - 1]).toBe(10);
    expect(seqs).toEqual(Array.from({ length: seqs.length }, (_, i) => 11 - seqs.length + i));
    expect(seqs.length).toBeGreaterThanOrEqual(2);
    expect(seqs.length).toBeLessThan(10);
    expect(files).toHaveLength(3 * seqs.length);
    const onDisk = files.reduce((s, f) => s + lstatSync(join(dir, f)).size, 0);
    expect(onDisk).toBeLessThanOrEqual(cap);
    expect(states.at(-1)).toMatchObject({ exchanges: seqs.length, bytes: onDisk, maxBytes: cap });
  });

  test("keeps the newest exchange whole even when it alone exceeds the cap", () => {
    const dir = fresh();
    const { dump } = open(dir, 1000);
    dump.record(dump.begin(), "certs", req(10), res(10));
    dump.record(dump.begin(), "config", req(2000), res(2000));
    expect(readdirSync(dir).sort()).toEqual(["0002-config.json", "0002-config.req", "0002-config.res"]);
  });

  test("continues numbering after a previous run and counts its files toward the cap", () => {
    const dir = fresh();
    const first = open(dir).dump;
    for (let i = 0; i < 4; i++) first.record(first.begin(), "info", req(1000), res(1000));
    const { dump, states } = open(dir, 2 * 2400);
    // Over the cap at start: the oldest went at once.
    expect(readdirSync(dir).some((f) => f.startsWith("0001-"))).toBe(false);
    expect(states[0]!.exchanges).toBeLessThan(4);
    expect(dump.begin()).toBe(5);
  });

  test("keeps the action out of the path when it carries separators", () => {
    const dir = fresh();
    const { dump } = open(dir);
    dump.record(dump.begin(), "../../escape", req(), res());
    expect(readdirSync(dir).sort()).toEqual(["0001-.._.._escape.json", "0001-.._.._escape.req", "0001-.._.._escape.res"]);
  });
});
