import { ANSWER, OP, readOutput, SLOT, Slot, writeCall } from "./channel.ts";
import { COMMAND_NAMES, type Command, type CommandInput, type CommandOutput, type TpmPort } from "./commands.ts";
import { TpmRcError } from "./rc.ts";
import type { Start } from "./worker.ts";

/**
 * Inside a `bun build --compile` executable modules live in /$bunfs and the
 * worker is an extra entrypoint named by its path from the project root
 * (package.json "build" passes native/tss2/worker.ts); from source it sits
 * next to this file.
 */
function workerEntry(): string {
  return import.meta.url.includes("$bunfs") ? "./native/tss2/worker.ts" : new URL("./worker.ts", import.meta.url).href;
}

const CLOSE_GRACE_MS = 5000;

/**
 * Opens the TPM inside a Bun Worker. Same commands and errors as EsysTpm, but
 * the event loop keeps running while the TPM works: a call is written to the
 * shared slot (channel.ts) and its answer awaited with Atomics.waitAsync.
 * close() also ends the thread, which is the way out after the command queue
 * timed out.
 */
export async function openWorkerTpm(tcti: string): Promise<TpmPort> {
  const slot = new Slot();
  const worker = new Worker(workerEntry());
  let failed: Error | undefined;
  let seq = 1;
  const fail = (e: Error) => {
    failed ??= e;
    // Wakes a call waiting for an answer that will not come.
    Atomics.notify(slot.header, SLOT.answer);
  };
  worker.onerror = (ev) => fail(new Error(`TPM worker failed: ${ev.message}`));
  worker.addEventListener("close", () => fail(new Error("TPM worker failed: its thread ended")));

  /** Waits for the answer to request `n`, then reads it: the output, or the error the Worker sent. */
  const answered = async <T>(n: number, read: () => T): Promise<T> => {
    for (;;) {
      if (failed) throw failed;
      const seen = Atomics.load(slot.header, SLOT.answer);
      if (seen === n) break;
      const w = Atomics.waitAsync(slot.header, SLOT.answer, seen);
      if (w.async) await w.value;
    }
    slot.at = 0;
    const kind = slot.header[SLOT.kind];
    if (kind === ANSWER.rc) {
      const rc = slot.readU32();
      const command = slot.readText();
      throw new TpmRcError(command, rc, slot.readText());
    }
    if (kind === ANSWER.error) throw new Error(slot.readText());
    return read();
  };

  const request = () => {
    Atomics.store(slot.header, SLOT.request, ++seq);
    Atomics.notify(slot.header, SLOT.request);
    return seq;
  };

  // The slot holds one call at a time; the queue already runs one operation at a time, this keeps it so for any caller.
  let tail: Promise<unknown> = Promise.resolve();
  const serial = <T>(f: () => Promise<T>): Promise<T> => {
    const run = tail.then(f, f);
    tail = run.catch(() => undefined);
    return run;
  };
  const call = <K extends Command>(method: K, input: CommandInput<K>) =>
    serial(async () => {
      if (failed) throw failed;
      writeCall(slot, method, input as Record<string, unknown>);
      return await answered(request(), () => readOutput(slot, method) as CommandOutput<K>);
    });

  Atomics.store(slot.header, SLOT.request, seq);
  worker.postMessage({ buffer: slot.buffer, tcti } satisfies Start);
  try {
    await answered(seq, () => undefined);
  } catch (e) {
    worker.terminate();
    throw e;
  }
  let closed = false;
  const port: Record<string, unknown> = {
    async close() {
      if (closed) return;
      closed = true;
      const bye = serial(async () => {
        slot.at = 0;
        slot.u8(OP.close);
        await answered(request(), () => undefined);
      });
      // After a call that never came back (the queue's timeout) the slot stays busy: the grace ends the wait.
      let timer: ReturnType<typeof setTimeout> | undefined;
      const grace = new Promise<void>((resolve) => (timer = setTimeout(resolve, CLOSE_GRACE_MS)));
      await Promise.race([bye, grace]).catch(() => undefined);
      clearTimeout(timer);
      worker.terminate();
    },
  };
  // One method per table entry, so the worker port has every command EsysTpm has.
  for (const k of COMMAND_NAMES) port[k] = (input: CommandInput<typeof k>) => call(k, input);
  return port as TpmPort;
}
