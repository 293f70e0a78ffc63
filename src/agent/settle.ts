import type { AgentEvent } from "./reactions.ts";

/**
 * Calls `collect` `delayMs` after the boot's work is done (attestation
 * reached Complete and a config arrived), then `delayMs` after each later
 * burst of work (a config poll, an info report, a re-attestation: anything
 * that reports an event).
 *
 * A boot parses certificates, protobuf schemas and envelopes once and leaves
 * that garbage in heaps sized for it, and runs code the idle agent never runs
 * again; the idle agent allocates next to nothing, so left alone the
 * collector would not run for a long time and the pages would stay. Periodic
 * work is the same in small: a config poll runs code the waiting agent does
 * not (TLS, the envelope, the TPM's signature, the JIT compiling what became
 * hot) and maps ~15–19 MB of the executable again, which would stay in the
 * agent's RSS until memory runs short.
 */
export class Settle {
  private attested = false;
  private configured = false;
  private booted = false;
  private timer: ReturnType<typeof setTimeout> | undefined;
  private stopped = false;

  constructor(
    private readonly collect: (reason: "boot" | "work") => void,
    private readonly delayMs = 2000,
  ) {}

  see(event: AgentEvent): void {
    if (this.stopped) return;
    if (!this.booted) {
      if (event.type === "attestation.status" && event.status.state === "Complete") this.attested = true;
      if (event.type === "config.received") this.configured = true;
      if (!this.attested || !this.configured) return;
      this.booted = true;
      this.arm("boot");
      return;
    }
    // One already due covers this event too: a steady stream of events must not put it off.
    if (!this.timer) this.arm("work");
  }

  private arm(reason: "boot" | "work"): void {
    this.timer = setTimeout(() => {
      this.timer = undefined;
      this.collect(reason);
    }, this.delayMs);
    this.timer.unref?.();
  }

  stop(): void {
    this.stopped = true;
    clearTimeout(this.timer);
    this.timer = undefined;
  }
}
