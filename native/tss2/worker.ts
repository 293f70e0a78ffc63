/**
 * Worker entry: owns one EsysTpm so blocking ESAPI calls (key generation can
 * take seconds on a real chip) run off the agent's event loop.
 * Protocol: {id, method, args} in; {id, value} or {id, error} out.
 */
import { EsysTpm } from "./esys.ts";
import { TpmRcError } from "./rc.ts";

declare const self: Worker;

export type Request = { id: number; method: string; args: unknown[] } | { id: number; method: "open"; args: [string] };
export type Reply =
  | { id: number; value: unknown }
  | { id: number; error: { rc: number; command: string; text: string } | { message: string } };

let tpm: EsysTpm | undefined;

self.onmessage = async (ev: MessageEvent<Request>) => {
  const { id, method, args } = ev.data;
  try {
    let value: unknown;
    if (method === "open") {
      tpm = EsysTpm.open(args[0] as string);
    } else {
      if (!tpm) throw new Error("TPM worker not opened");
      const fn = (tpm as unknown as Record<string, (...a: unknown[]) => Promise<unknown>>)[method];
      if (typeof fn !== "function") throw new Error(`unknown TPM method ${method}`);
      value = await fn.apply(tpm, args);
    }
    self.postMessage({ id, value } satisfies Reply);
  } catch (e) {
    const error = e instanceof TpmRcError ? { rc: e.rc, command: e.command, text: e.text } : { message: String((e as Error)?.message ?? e) };
    self.postMessage({ id, error } satisfies Reply);
  }
};
