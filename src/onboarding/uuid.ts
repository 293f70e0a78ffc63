/**
 * The device UUID as every service sees it. The onboarding loop is its only
 * writer (first onboarding, confirmation after the offline fast path, a
 * re-check after the controller forgot the device); readers either ask for
 * the current value or subscribe, so a change reaches all of them at once.
 */
export class DeviceUuid {
  private current: string | undefined;
  private readonly listeners = new Set<(uuid: string, previous: string | undefined) => void>();

  constructor(initial?: string) {
    this.current = initial;
  }

  get value(): string | undefined {
    return this.current;
  }

  /** The UUID, for code that only runs after onboarding. */
  require(): string {
    if (!this.current) throw new Error("device UUID read before onboarding finished");
    return this.current;
  }

  /** Returns whether the value changed; listeners run only on a change. */
  set(uuid: string): boolean {
    if (uuid === this.current) return false;
    const previous = this.current;
    this.current = uuid;
    for (const l of [...this.listeners]) l(uuid, previous);
    return true;
  }

  /** Subscribes to changes; returns the unsubscribe function. */
  onChange(listener: (uuid: string, previous: string | undefined) => void): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }
}
