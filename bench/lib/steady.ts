/**
 * The idle agent's steady state: what it holds once its periodic work has
 * run, not only right after the boot. The first config poll after trusted
 * is the first periodic work (the poller waits 0.3–1.0 of the 60 s default
 * after the boot's config), so the bench reads memory once it is over.
 */
import type { BenchController } from "./device.ts";

const CONFIG_PATH = /\/config$/;

/** Config requests the controller received after `since` (performance.now() time), of one device when `uuid` is given. */
export function configPolls(bc: BenchController, since: number, uuid?: string): number[] {
  const id = uuid?.toLowerCase();
  return bc.requests
    .filter((r) => r.at > since && r.method === "POST" && CONFIG_PATH.test(new URL(r.url).pathname) && (!id || r.url.toLowerCase().includes(id)))
    .map((r) => r.at);
}

/** The device UUID in a status document's bytes (the bench's devices run side by side in bench/quick.ts). */
export function statusUuid(statusBody: Uint8Array): string | undefined {
  return (JSON.parse(new TextDecoder().decode(statusBody)) as { device?: { uuid?: string } }).device?.uuid;
}

/**
 * Waits until the `n`th config poll after `since` arrived at the controller
 * and `settleMs` more went by (the poll's own work, and what the agent does
 * once it is over). Returns the poll's arrival time.
 */
export async function afterConfigPoll(
  bc: BenchController,
  since: number,
  n: number,
  settleMs: number,
  opts: { uuid?: string; timeoutMs?: number } = {},
): Promise<number> {
  const timeoutMs = opts.timeoutMs ?? 90_000 * n;
  const end = performance.now() + timeoutMs;
  for (;;) {
    const at = configPolls(bc, since, opts.uuid)[n - 1];
    if (at !== undefined) {
      const wait = at + settleMs - performance.now();
      if (wait > 0) await Bun.sleep(wait);
      return at;
    }
    if (performance.now() > end) throw new Error(`no config poll #${n} within ${timeoutMs} ms after trusted`);
    await Bun.sleep(100);
  }
}
