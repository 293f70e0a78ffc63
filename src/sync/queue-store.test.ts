import { afterEach, beforeEach, describe, expect, test } from "bun:test";
import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { utf8 } from "../shared/index.ts";
import { QueueStore } from "./queue-store.ts";
import { recordingLogger } from "./sync.testkit.ts";

let dir: string;
beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), "sync-store-"));
});
afterEach(() => rmSync(dir, { recursive: true, force: true }));

const item = (key: string, seq: number, text = key) => ({ key, action: "info", seq, payload: utf8.encode(text) });

describe("QueueStore", () => {
  test("returns stored items oldest first whatever their keys", () => {
    const store = new QueueStore(dir, recordingLogger());
    store.write(item("attest:b/c", 2));
    store.write(item("zzz", 0));
    store.write(item("a", 1));
    expect(new QueueStore(dir, recordingLogger()).loadAll().map((i) => i.key)).toEqual(["zzz", "a", "attest:b/c"]);
  });

  test("forgets a removed key", () => {
    const store = new QueueStore(dir, recordingLogger());
    store.write(item("k", 0));
    store.remove("k");
    store.remove("never-there");
    expect(store.loadAll()).toEqual([]);
  });

  function corrupt(mutate: (file: string) => void): { loaded: string[]; errors: number; files: string[] } {
    const store = new QueueStore(dir, recordingLogger());
    store.write(item("good", 0));
    store.write(item("bad", 1));
    const file = readdirSync(dir).find((f) => f.startsWith(Buffer.from("bad").toString("base64url")))!;
    mutate(join(dir, file));
    const log = recordingLogger();
    const loaded = new QueueStore(dir, log).loadAll().map((i) => i.key);
    return { loaded, errors: log.lines.filter((l) => l.level === "error").length, files: readdirSync(dir) };
  }

  const edit = (f: (r: Record<string, unknown>) => void) => (path: string) => {
    const r = JSON.parse(readFileSync(path, "utf8"));
    f(r);
    writeFileSync(path, JSON.stringify(r));
  };

  test.each([
    ["is not JSON", (p: string) => writeFileSync(p, "{not json")],
    ["is truncated", (p: string) => writeFileSync(p, readFileSync(p).subarray(0, 40))],
    ["has a payload that does not match its digest", edit((r) => (r.payload = Buffer.from("other").toString("base64")))],
    ["names another key than its file", edit((r) => (r.key = "good"))],
    ["has an action that is not a path segment", edit((r) => (r.action = "../certs"))],
    ["has an unknown version", edit((r) => (r.version = 99))],
    ["has a negative seq", edit((r) => (r.seq = -1))],
  ])("drops and deletes an entry that %s", (_what, mutate) => {
    const r = corrupt(mutate);
    expect(r.loaded).toEqual(["good"]);
    expect(r.errors).toBe(1);
    expect(r.files).toHaveLength(1);
  });

  test("removes temp files left by an interrupted write", () => {
    const store = new QueueStore(dir, recordingLogger());
    store.write(item("k", 0));
    const tmp = join(dir, ".a2V5.json.0011aabbccdd.tmp");
    writeFileSync(tmp, "partial");
    expect(store.loadAll().map((i) => i.key)).toEqual(["k"]);
    expect(existsSync(tmp)).toBe(false);
  });
});
