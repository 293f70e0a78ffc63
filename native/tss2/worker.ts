/**
 * Worker entry: owns one EsysTpm so blocking ESAPI calls (key generation can
 * take seconds on a real chip) run off the agent's event loop. Messages are
 * typed from the command table: a request names a command and carries its
 * CommandInput, the reply carries its CommandOutput or the error.
 */

import type { Command, CommandInput, CommandOutput } from "./commands.ts";
import { EsysTpm } from "./esys.ts";
import { TpmRcError } from "./rc.ts";

declare const self: Worker;

export type CallRequest<K extends Command = Command> = { [C in K]: { id: number; method: C; input: CommandInput<C> } }[K];
export type Request = CallRequest | { id: number; method: "open"; tcti: string } | { id: number; method: "close" };

/** A TpmRcError's fields survive the thread boundary; other errors keep their message. */
export type WireError = { rc: number; command: string; text: string } | { message: string };
export type Reply =
  | { [C in Command]: { id: number; method: C; value: CommandOutput<C> } }[Command]
  | { id: number; method: "open" | "close"; value: undefined }
  | { id: number; error: WireError };

let tpm: EsysTpm | undefined;

function run<K extends Command>(t: EsysTpm, req: CallRequest<K>): Promise<CommandOutput<K>> {
  return t.call(req.method, req.input);
}

self.onmessage = async (ev: MessageEvent<Request>) => {
  const req = ev.data;
  try {
    if (req.method === "open") {
      tpm = EsysTpm.open(req.tcti);
      self.postMessage({ id: req.id, method: "open", value: undefined } satisfies Reply);
    } else if (req.method === "close") {
      await tpm?.close();
      self.postMessage({ id: req.id, method: "close", value: undefined } satisfies Reply);
    } else {
      if (!tpm) throw new Error("TPM worker not opened");
      self.postMessage({ id: req.id, method: req.method, value: await run(tpm, req) } as Reply);
    }
  } catch (e) {
    const error: WireError = e instanceof TpmRcError ? { rc: e.rc, command: e.command, text: e.text } : { message: String((e as Error)?.message ?? e) };
    self.postMessage({ id: req.id, error } satisfies Reply);
  }
};
