import type { AgentEvent } from "./reactions.ts";

/** What a collection follows: the boot, a burst of work, or the runtime's timers after either. */
export type Reason = "boot" | "work" | "trail";

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
 *
 * The runtime goes on after the work's last event: the JIT compiles what
 * became hot on its own threads (the first polls after the JIT's normal
 * policy returns, see cli.ts, map ~10 MB of compiler code over a few
 * seconds), and Bun's GC timer (30 s, cli.ts) collects what the work
 * allocated. So each collection is followed by two more, `trailMs` on (the
 * compilations done) and past one GC timer period, unless new work comes
 * first.
 */
export class Settle {
  private attested = false;
  private configured = false;
  private booted = false;
  private timer: ReturnType<typeof setTimeout> | undefined;
  private stopped = false;
  private due: Reason | undefined;

  constructor(
    private readonly collect: (reason: Reason) => void,
    private readonly delayMs = 2000,
    private readonly trailMs: readonly number[] = [6_000, 32_000],
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
    if (this.due !== "trail" && this.timer) return;
    clearTimeout(this.timer);
    this.arm("work");
  }

  /** `trail`: which of `trailMs` this one is. */
  private arm(reason: Reason, trail = 0): void {
    this.due = reason;
    const after = reason === "trail" ? this.trailMs[trail]! - (this.trailMs[trail - 1] ?? 0) : this.delayMs;
    this.timer = setTimeout(() => {
      this.timer = undefined;
      this.due = undefined;
      this.collect(reason);
      const next = reason === "trail" ? trail + 1 : 0;
      if (next < this.trailMs.length && !this.stopped) this.arm("trail", next);
    }, after);
    this.timer.unref?.();
  }

  stop(): void {
    this.stopped = true;
    clearTimeout(this.timer);
    this.timer = undefined;
  }
}
