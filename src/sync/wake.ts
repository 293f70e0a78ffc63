export type WakeReason = "timer" | "woken" | "aborted";

/**
 * A sleep that another task can cut short. A wake that arrives while nobody
 * is sleeping is remembered, so a trigger fired during a send is not lost.
 */
export class Waker {
  private pending = false;
  /** A sleeper was woken but has not resumed yet: further wakes are already covered. */
  private delivering = false;
  private wakeSleeper: (() => void) | undefined;

  wake(): void {
    if (this.wakeSleeper) this.wakeSleeper();
    else if (!this.delivering) this.pending = true;
  }

  wait(ms: number, signal?: AbortSignal): Promise<WakeReason> {
    if (signal?.aborted) return Promise.resolve("aborted");
    if (this.pending) {
      this.pending = false;
      return Promise.resolve("woken");
    }
    const slept = new Promise<WakeReason>((resolve) => {
      const finish = (reason: WakeReason) => {
        clearTimeout(timer);
        signal?.removeEventListener("abort", onAbort);
        this.wakeSleeper = undefined;
        resolve(reason);
      };
      const onAbort = () => finish("aborted");
      // setTimeout cannot hold more than ~24.8 days; longer waits are idle anyway.
      const timer = setTimeout(() => finish("timer"), Math.min(Math.max(0, ms), 2_147_483_647));
      signal?.addEventListener("abort", onAbort, { once: true });
      this.wakeSleeper = () => {
        this.delivering = true;
        finish("woken");
      };
    });
    return slept.then((reason) => {
      this.delivering = false;
      return reason;
    });
  }
}
