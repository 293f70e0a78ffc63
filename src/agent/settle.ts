import type { AgentEvent } from "./reactions.ts";

/**
 * Runs `collect` once, `delayMs` after the boot's work is done: attestation
 * reached Complete and a config arrived. A boot parses certificates,
 * protobuf schemas and envelopes once and leaves that garbage in heaps sized
 * for it; the idle agent allocates next to nothing, so left alone the
 * collector would not run for a long time and the pages would stay. One full
 * collection then returns them (Bun.gc(true) also releases freed allocator
 * pages to the system).
 */
export class BootSettle {
  private attested = false;
  private configured = false;
  private timer: ReturnType<typeof setTimeout> | undefined;
  private done = false;

  constructor(
    private readonly collect: () => void,
    private readonly delayMs = 2000,
  ) {}

  see(event: AgentEvent): void {
    if (this.done) return;
    if (event.type === "attestation.status" && event.status.state === "Complete") this.attested = true;
    if (event.type === "config.received") this.configured = true;
    if (!this.attested || !this.configured) return;
    this.done = true;
    this.timer = setTimeout(() => {
      this.timer = undefined;
      this.collect();
    }, this.delayMs);
    this.timer.unref?.();
  }

  stop(): void {
    clearTimeout(this.timer);
    this.timer = undefined;
  }
}
