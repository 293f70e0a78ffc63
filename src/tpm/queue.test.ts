import { describe, expect, test } from "bun:test";
import type { TpmPort } from "./port.ts";
import { TpmQueue } from "./queue.ts";
import { RC } from "./structures/constants.ts";

function rcError(code: number) {
  return { kind: "tpm.rc", rc: code, layer: 0, code, warning: true, index: {}, command: "Esys_GetRandom", message: "busy" };
}

function fakePort(random: () => Promise<Uint8Array>): TpmPort {
  return { getRandom: async () => ({ randomBytes: await random() }), close: async () => {} } as unknown as TpmPort;
}

describe("TpmQueue", () => {
  test("retries a command when the TPM answers RETRY, then succeeds", async () => {
    let calls = 0;
    const q = new TpmQueue(
      fakePort(async () => {
        if (++calls < 3) throw rcError(RC.RETRY);
        return new Uint8Array([1]);
      }),
      { retryDelayMs: 1 },
    );
    expect((await q.run("r", (t) => t.getRandom({ bytesRequested: 1 }))).randomBytes).toEqual(new Uint8Array([1]));
    expect(calls).toBe(3);
  });

  test("gives up after the attempt limit when the TPM stays busy", async () => {
    let calls = 0;
    const q = new TpmQueue(
      fakePort(async () => {
        calls++;
        throw rcError(RC.YIELDED);
      }),
      { retryDelayMs: 1, attempts: 3 },
    );
    await expect(q.run("r", (t) => t.getRandom({ bytesRequested: 1 }))).rejects.toMatchObject({ code: RC.YIELDED });
    expect(calls).toBe(3);
  });

  test("does not retry when the error is not a transient warning", async () => {
    let calls = 0;
    const q = new TpmQueue(
      fakePort(async () => {
        calls++;
        throw rcError(RC.POLICY_FAIL);
      }),
      { retryDelayMs: 1 },
    );
    await expect(q.run("r", (t) => t.getRandom({ bytesRequested: 1 }))).rejects.toMatchObject({ code: RC.POLICY_FAIL });
    expect(calls).toBe(1);
  });

  test("runs operations one at a time when callers overlap", async () => {
    let active = 0;
    let maxActive = 0;
    const q = new TpmQueue(
      fakePort(async () => {
        active++;
        maxActive = Math.max(maxActive, active);
        await Bun.sleep(5);
        active--;
        return new Uint8Array(0);
      }),
    );
    await Promise.all(
      Array.from({ length: 5 }, () =>
        q.run("r", async (t) => {
          await t.getRandom({ bytesRequested: 1 });
          await t.getRandom({ bytesRequested: 1 });
        }),
      ),
    );
    expect(maxActive).toBe(1);
  });

  test("times out and refuses further work when an operation hangs", async () => {
    let closed = false;
    const port = {
      getRandom: () => new Promise(() => {}),
      close: async () => {
        closed = true;
      },
    } as unknown as TpmPort;
    const q = new TpmQueue(port, { timeoutMs: 20 });
    await expect(q.run("hang", (t) => t.getRandom({ bytesRequested: 1 }))).rejects.toMatchObject({ kind: "tpm.timeout" });
    await expect(q.run("next", async () => 1)).rejects.toMatchObject({ kind: "tpm.timeout" });
    expect(closed).toBe(true);
  });

  test("keeps serving after an operation failed", async () => {
    const q = new TpmQueue(fakePort(async () => new Uint8Array([2])));
    await expect(
      q.run("fail", async () => {
        throw new Error("boom");
      }),
    ).rejects.toThrow("boom");
    expect((await q.run("ok", (t) => t.getRandom({ bytesRequested: 1 }))).randomBytes).toEqual(new Uint8Array([2]));
  });

  test("reports each operation's label, result and duration, and each retried command, to the metrics hooks", async () => {
    const ops: [string, string][] = [];
    const retries: string[] = [];
    let calls = 0;
    const q = new TpmQueue(
      fakePort(async () => {
        if (++calls === 1) throw rcError(RC.RETRY);
        return new Uint8Array([3]);
      }),
      {
        retryDelayMs: 1,
        timeoutMs: 200,
        onOperation: (op, result, ms) => {
          expect(ms).toBeGreaterThanOrEqual(0);
          ops.push([op, result]);
        },
        onRetry: (c) => retries.push(c),
      },
    );
    await q.run("GetRandom", (t) => t.getRandom({ bytesRequested: 1 }));
    await expect(
      q.run("Broken", async () => {
        throw new Error("boom");
      }),
    ).rejects.toThrow("boom");
    await expect(q.run("Hang", () => new Promise(() => {}))).rejects.toMatchObject({ kind: "tpm.timeout" });
    expect(ops).toEqual([
      ["GetRandom", "ok"],
      ["Broken", "error"],
      ["Hang", "timeout"],
    ]);
    expect(retries).toEqual(["getRandom"]);
  });
});
