import { describe, expect, test } from "bun:test";
import { mkdtemp, rm } from "node:fs/promises";
import { createServer } from "node:net";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { CommandError, descendants, freePort, freePortPair, isAlive, killTree, runChecked, spawnLogged, WaitTimeoutError, waitFor } from "./proc.ts";

async function canBind(port: number): Promise<boolean> {
  return await new Promise((resolve) => {
    const srv = createServer();
    srv.once("error", () => resolve(false));
    srv.listen(port, "127.0.0.1", () => srv.close(() => resolve(true)));
  });
}

describe("freePort", () => {
  test("returns a loopback port that can be bound when asked", async () => {
    const p = await freePort();
    expect(p).toBeGreaterThan(0);
    expect(await canBind(p)).toBe(true);
  });

  test("returns two adjacent bindable ports when a pair is asked for", async () => {
    const p = await freePortPair();
    expect(await canBind(p)).toBe(true);
    expect(await canBind(p + 1)).toBe(true);
  });
});

describe("waitFor", () => {
  test("resolves with the first truthy value when the condition turns true", async () => {
    let n = 0;
    const v = await waitFor(() => (++n >= 3 ? `done after ${n}` : undefined), 2000, { intervalMs: 5 });
    expect(v).toBe("done after 3");
  });

  test("rejects naming the condition and the last error when it never holds", async () => {
    const p = waitFor(
      () => {
        throw new Error("still booting");
      },
      150,
      { intervalMs: 20, what: "the moon" },
    );
    await expect(p).rejects.toBeInstanceOf(WaitTimeoutError);
    await expect(p).rejects.toThrow(/the moon.*still booting/);
  });
});

describe("waitFor (abort)", () => {
  test("rejects with the abort reason at once when the signal fires", async () => {
    const ac = new AbortController();
    setTimeout(() => ac.abort(new Error("process died")), 30);
    const t0 = Date.now();
    await expect(waitFor(() => false, 10_000, { intervalMs: 10, signal: ac.signal })).rejects.toThrow("process died");
    expect(Date.now() - t0).toBeLessThan(2000);
  });
});

describe("spawnLogged", () => {
  test("writes stdout and stderr to the log and is gone when stopped", async () => {
    const dir = await mkdtemp(join(tmpdir(), "proc-test-"));
    try {
      const logPath = join(dir, "out.log");
      const p = spawnLogged(["sh", "-c", "echo to-stdout; echo to-stderr >&2; exec sleep 60"], { logPath });
      await waitFor(() => p.log().includes("to-stdout") && p.log().includes("to-stderr"), 5000, {
        what: "both streams in the log",
      });
      expect(isAlive(p.pid)).toBe(true);
      await p.stop();
      expect(isAlive(p.pid)).toBe(false);
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  });

  test("reports the exit code when the command ends by itself", async () => {
    const dir = await mkdtemp(join(tmpdir(), "proc-test-"));
    try {
      const p = spawnLogged(["sh", "-c", "exit 7"], { logPath: join(dir, "log") });
      expect(await p.exited).toBe(7);
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  });
});

describe("killTree", () => {
  test("kills grandchildren too when the parent is killed", async () => {
    const dir = await mkdtemp(join(tmpdir(), "proc-test-"));
    try {
      // The shell ignores TERM, so the SIGKILL escalation is exercised as well.
      const p = spawnLogged(["sh", "-c", "trap '' TERM; sleep 60 & sleep 61 & wait"], { logPath: join(dir, "log") });
      const kids = await waitFor(() => (descendants(p.pid).length >= 2 ? descendants(p.pid) : undefined), 5000, {
        what: "two sleep children",
      });
      await killTree(p.pid, 300);
      await p.exited;
      for (const k of [p.pid, ...kids]) expect(isAlive(k)).toBe(false);
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  });
});

describe("runChecked", () => {
  test("throws CommandError carrying stderr when the command fails", async () => {
    const p = runChecked(["sh", "-c", "echo broken >&2; exit 3"]);
    await expect(p).rejects.toBeInstanceOf(CommandError);
    await expect(p).rejects.toThrow(/exited 3: broken/);
  });

  test("passes stdin and returns stdout when the command succeeds", async () => {
    const r = await runChecked(["cat"], { stdin: "hello" });
    expect(r.stdout).toBe("hello");
  });
});
