import { TpmRcError } from "./rc.ts";
import type { EsysTpm } from "./esys.ts";
import type { Reply, Request } from "./worker.ts";

/** EsysTpm's surface, every call crossing to the worker thread. */
export type WorkerTpm = { [K in keyof EsysTpm]: EsysTpm[K] };

const METHODS = [
  "close", "getRandom", "getCapability", "pcrRead", "fromTpmPublic", "closeTr", "setAuth", "flushContext",
  "createPrimary", "create", "load", "unseal", "evictControl", "readPublic", "sign", "quote", "ecdhZGen",
  "nvDefineSpace", "nvUndefineSpace", "nvReadPublic", "nvRead", "nvWrite", "startAuthSession",
  "sessionSetAttributes", "policyPcr", "policyGetDigest",
] as const satisfies readonly (keyof EsysTpm)[];

/**
 * Inside a `bun build --compile` executable modules live in /$bunfs and the
 * worker is an extra entrypoint named by its path from the project root
 * (package.json "build" passes native/tss2/worker.ts); from source it sits
 * next to this file.
 */
function workerEntry(): string {
  return import.meta.url.includes("$bunfs") ? "./native/tss2/worker.ts" : new URL("./worker.ts", import.meta.url).href;
}

/**
 * Opens the TPM inside a Bun Worker. Same methods and errors as EsysTpm, but
 * the event loop keeps running while the TPM works; close() also ends the
 * thread, which is the way out after the command queue timed out.
 */
export async function openWorkerTpm(tcti: string): Promise<WorkerTpm> {
  const worker = new Worker(workerEntry());
  const pending = new Map<number, { resolve: (v: unknown) => void; reject: (e: unknown) => void }>();
  let next = 1;
  worker.onmessage = (ev: MessageEvent<Reply>) => {
    const p = pending.get(ev.data.id);
    if (!p) return;
    pending.delete(ev.data.id);
    if ("error" in ev.data) {
      const e = ev.data.error;
      p.reject("rc" in e ? new TpmRcError(e.command, e.rc, e.text) : new Error(e.message));
    } else p.resolve(ev.data.value);
  };
  worker.onerror = (ev) => {
    for (const p of pending.values()) p.reject(new Error(`TPM worker failed: ${ev.message}`));
    pending.clear();
  };
  const call = (method: string, args: unknown[]) =>
    new Promise<unknown>((resolve, reject) => {
      const id = next++;
      pending.set(id, { resolve, reject });
      worker.postMessage({ id, method, args } satisfies Request);
    });
  try {
    await call("open", [tcti]);
  } catch (e) {
    worker.terminate();
    throw e;
  }
  const api: Record<string, unknown> = {};
  for (const m of METHODS) api[m] = (...args: unknown[]) => call(m, args);
  let closed = false;
  api.close = async () => {
    if (closed) return;
    closed = true;
    try {
      await Promise.race([call("close", []), Bun.sleep(5000)]);
    } finally {
      worker.terminate();
    }
  };
  return api as WorkerTpm;
}
