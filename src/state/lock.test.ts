import { describe, expect, test } from "bun:test";
import { mkdtempSync, readFileSync, rmSync, symlinkSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { acquireInstanceLock, InstanceLockError } from "./lock.ts";

const REPO = join(import.meta.dir, "../..");

function tmp(): string {
  return mkdtempSync(join(tmpdir(), "lock-"));
}

/** Runs a second Bun process that tries the same lock and reports what happened. */
async function tryFromOtherProcess(path: string): Promise<{ code: number; out: string }> {
  const script = `import { acquireInstanceLock } from ${JSON.stringify(join(REPO, "src/state/lock.ts"))};
try { acquireInstanceLock(${JSON.stringify(path)}); console.log("locked"); } catch (e) { console.log(e.kind + " " + e.holderPid + " " + e.message); process.exit(3); }`;
  const p = Bun.spawn([process.execPath, "-e", script], { stdout: "pipe", stderr: "pipe" });
  const out = await new Response(p.stdout).text();
  return { code: await p.exited, out: out.trim() };
}

describe("acquireInstanceLock", () => {
  test("a second process is refused with the holder's pid while the lock is held, and gets it after release", async () => {
    const dir = tmp();
    const path = join(dir, "run", "agent.lock");
    const lock = acquireInstanceLock(path);
    expect(readFileSync(path, "utf8").trim()).toBe(String(process.pid));
    const refused = await tryFromOtherProcess(path);
    expect(refused.code).toBe(3);
    expect(refused.out).toContain(`lock.held ${process.pid}`);
    expect(refused.out).toContain(`pid ${process.pid}`);
    lock.release();
    const taken = await tryFromOtherProcess(path);
    expect(taken).toEqual({ code: 0, out: "locked" });
    rmSync(dir, { recursive: true });
  });

  test("a lock file left by a killed holder is taken over", async () => {
    const dir = tmp();
    const path = join(dir, "agent.lock");
    const holder = Bun.spawn(
      [
        process.execPath,
        "-e",
        `import { acquireInstanceLock } from ${JSON.stringify(join(REPO, "src/state/lock.ts"))}; acquireInstanceLock(${JSON.stringify(path)}); console.log("held"); await Bun.sleep(60000);`,
      ],
      { stdout: "pipe" },
    );
    const reader = holder.stdout.getReader();
    await reader.read();
    expect(() => acquireInstanceLock(path)).toThrow(InstanceLockError);
    holder.kill("SIGKILL");
    await holder.exited;
    const lock = acquireInstanceLock(path);
    expect(readFileSync(path, "utf8").trim()).toBe(String(process.pid));
    lock.release();
    rmSync(dir, { recursive: true });
  });

  test("a symlink planted at the lock path is refused, and its target is left alone", () => {
    const dir = tmp();
    const victim = join(dir, "victim");
    writeFileSync(victim, "precious");
    const path = join(dir, "agent.lock");
    symlinkSync(victim, path);
    let err: unknown;
    try {
      acquireInstanceLock(path);
    } catch (e) {
      err = e;
    }
    expect(err).toBeInstanceOf(InstanceLockError);
    expect((err as InstanceLockError).kind).toBe("lock.io");
    expect(readFileSync(victim, "utf8")).toBe("precious");
    rmSync(dir, { recursive: true });
  });
});
