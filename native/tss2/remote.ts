import { COMMAND_NAMES, type Command, type CommandInput, type CommandOutput, type TpmPort } from "./commands.ts";
import { TpmRcError } from "./rc.ts";
import type { CallRequest, Reply, Request } from "./worker.ts";

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
 * Opens the TPM inside a Bun Worker. Same commands and errors as EsysTpm, but
 * the event loop keeps running while the TPM works; close() also ends the
 * thread, which is the way out after the command queue timed out.
 */
export async function openWorkerTpm(tcti: string): Promise<TpmPort> {
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
  const send = (req: Request) =>
    new Promise<unknown>((resolve, reject) => {
      pending.set(req.id, { resolve, reject });
      worker.postMessage(req);
    });
  const call = <K extends Command>(method: K, input: CommandInput<K>) => send({ id: next++, method, input } as CallRequest) as Promise<CommandOutput<K>>;
  try {
    await send({ id: next++, method: "open", tcti });
  } catch (e) {
    worker.terminate();
    throw e;
  }
  let closed = false;
  const port: Record<string, unknown> = {
    async close() {
      if (closed) return;
      closed = true;
      try {
        await Promise.race([send({ id: next++, method: "close" }), Bun.sleep(5000)]);
      } finally {
        worker.terminate();
      }
    },
  };
  // One method per table entry, so the worker port has every command EsysTpm has.
  for (const k of COMMAND_NAMES) port[k] = (input: CommandInput<typeof k>) => call(k, input);
  return port as TpmPort;
}
