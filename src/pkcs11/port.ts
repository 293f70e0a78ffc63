import { Pkcs11Error } from "./errors.ts";
import { Cryptoki } from "./native.ts";
import type { Reply, Request } from "./worker.ts";

/**
 * The module as the rest of the client sees it: every Cryptoki call as a
 * promise, so the calls run in a Worker (the default) or in this thread
 * (tests, one-shot CLI commands) without changing a caller.
 */
const METHODS = [
  "info",
  "slotList",
  "slotInfo",
  "tokenInfo",
  "mechanisms",
  "openSession",
  "closeSession",
  "closeAllSessions",
  "sessionInfo",
  "login",
  "logout",
  "findObjects",
  "getAttributes",
  "sign",
  "generateKeyPair",
  "destroyObject",
] as const;
export type Method = (typeof METHODS)[number];

export type CryptokiPort = {
  readonly path: string;
  /** Releases this user's hold; the last one finalises the module. */
  release(): Promise<void>;
  /** Users of the loaded module in this process, this one included. */
  users(): number;
} & { [K in Method]: (...args: Parameters<Cryptoki[K]>) => Promise<ReturnType<Cryptoki[K]>> };

type Call = (method: Method, args: unknown[]) => Promise<unknown>;

/**
 * One loaded module per path: C_Initialize may run once per process until
 * C_Finalize, and one user must not finalise the module under another.
 * `call` runs a method wherever the module lives; `finalize` unloads it.
 */
interface Loaded {
  users: number;
  call: Call;
  finalize: () => Promise<void>;
}
const loaded = new Map<string, Promise<Loaded>>();

function portOver(path: string, entry: Loaded): CryptokiPort {
  let released = false;
  const port: Record<string, unknown> = {
    path,
    users: () => entry.users,
    release: async () => {
      if (released) return;
      released = true;
      if (--entry.users === 0) {
        loaded.delete(path);
        await entry.finalize();
      }
    },
  };
  for (const m of METHODS)
    port[m] = (...args: unknown[]) => {
      if (released) return Promise.reject(new Pkcs11Error("pkcs11.closed", `PKCS#11 module ${path} was closed`));
      return entry.call(m, args);
    };
  return port as CryptokiPort;
}

async function acquire(path: string, mode: "worker" | "inline"): Promise<CryptokiPort> {
  let p = loaded.get(path);
  if (!p) {
    p = mode === "worker" ? loadInWorker(path) : Promise.resolve(loadInline(path));
    loaded.set(path, p);
    p.catch(() => loaded.delete(path));
  }
  const entry = await p;
  entry.users++;
  return portOver(path, entry);
}

/** The module in this thread: each call blocks the event loop for its length. */
export function inThreadPort(path: string): Promise<CryptokiPort> {
  return acquire(path, "inline");
}

/** The module in a Worker of its own, shared by every user of that path in this process. */
export function workerPort(path: string): Promise<CryptokiPort> {
  return acquire(path, "worker");
}

function loadInline(path: string): Loaded {
  const c = Cryptoki.load(path);
  return {
    users: 0,
    call: async (m, args) => (c[m] as (...a: unknown[]) => unknown)(...args),
    finalize: async () => c.finalize(),
  };
}

/**
 * Inside a `bun build --compile` executable the worker is an extra
 * entrypoint named by its path from the project root; from source it sits
 * next to this file.
 */
function workerEntry(): string {
  return import.meta.url.includes("$bunfs") ? "./src/pkcs11/worker.ts" : new URL("./worker.ts", import.meta.url).href;
}

async function loadInWorker(path: string): Promise<Loaded> {
  const worker = new Worker(workerEntry());
  // An idle module thread must not keep the process alive; one with a call in flight must.
  worker.unref();
  const pending = new Map<number, { resolve: (v: unknown) => void; reject: (e: unknown) => void }>();
  let next = 1;
  let failed: Pkcs11Error | undefined;
  worker.onmessage = (ev: MessageEvent<Reply>) => {
    const p = pending.get(ev.data.id);
    if (!p) return;
    pending.delete(ev.data.id);
    if (pending.size === 0) worker.unref();
    if ("error" in ev.data) {
      const e = ev.data.error;
      p.reject(new Pkcs11Error(e.kind, e.message, { rv: e.rv, fn: e.fn }));
    } else p.resolve(ev.data.value);
  };
  worker.onerror = (ev) => {
    failed = new Pkcs11Error("pkcs11.module", `PKCS#11 worker failed: ${ev.message}`);
    for (const p of pending.values()) p.reject(failed);
    pending.clear();
  };
  const send = (req: Request) =>
    new Promise<unknown>((resolve, reject) => {
      if (failed) return reject(failed);
      if (pending.size === 0) worker.ref();
      pending.set(req.id, { resolve, reject });
      worker.postMessage(req);
    });
  try {
    await send({ id: next++, method: "load", path });
  } catch (e) {
    worker.terminate();
    throw e;
  }
  return {
    users: 0,
    call: (method, args) => send({ id: next++, method, args }),
    finalize: async () => {
      try {
        await Promise.race([send({ id: next++, method: "finalize" }), Bun.sleep(5000)]);
      } finally {
        worker.terminate();
      }
    },
  };
}
