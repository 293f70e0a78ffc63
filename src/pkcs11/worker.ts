/**
 * Worker entry: owns the loaded Cryptoki module so its blocking calls (key
 * generation takes 0.1-0.5 s in SoftHSM and seconds on a smart card; a USB
 * token signs in tens of milliseconds) run off the agent's event loop.
 * Requests name a Cryptoki method and carry its arguments; replies carry
 * its result or the Pkcs11Error's fields.
 */
import { Pkcs11Error, type Pkcs11ErrorKind } from "./errors.ts";
import { Cryptoki } from "./native.ts";
import type { Method } from "./port.ts";

declare const self: Worker;

export type Request = { id: number; method: "load"; path: string } | { id: number; method: "finalize" } | { id: number; method: Method; args: unknown[] };
export type WireError = { kind: Pkcs11ErrorKind; message: string; rv?: number; fn?: string };
export type Reply = { id: number; value: unknown } | { id: number; error: WireError };

let c: Cryptoki | undefined;

self.onmessage = (ev: MessageEvent<Request>) => {
  const req = ev.data;
  try {
    let value: unknown;
    if (req.method === "load") {
      c = Cryptoki.load(req.path);
    } else if (req.method === "finalize") {
      c?.finalize();
      c = undefined;
    } else {
      if (!c) throw new Pkcs11Error("pkcs11.closed", "PKCS#11 worker has no module loaded");
      try {
        value = (c[req.method] as (...a: unknown[]) => unknown)(...req.args);
      } finally {
        // The PIN was copied into this thread by postMessage: wipe that copy too.
        if (req.method === "login" && req.args[2] instanceof Uint8Array) req.args[2].fill(0);
      }
    }
    self.postMessage({ id: req.id, value } satisfies Reply);
  } catch (e) {
    const error: WireError =
      e instanceof Pkcs11Error
        ? { kind: e.kind, message: e.message, rv: e.rv, fn: e.fn }
        : { kind: "pkcs11.operation", message: String((e as Error)?.message ?? e) };
    self.postMessage({ id: req.id, error } satisfies Reply);
  }
};
