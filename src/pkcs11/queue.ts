/**
 * Runs operations one at a time in arrival order. A PKCS#11 session is not
 * safe for concurrent use, and a multi-call operation (SignInit + Sign,
 * FindObjectsInit..Final) must not interleave with another on the same
 * session; a failed operation does not stop the ones queued after it.
 */
export class SerialQueue {
  private tail: Promise<unknown> = Promise.resolve();
  private pending = 0;

  run<T>(op: () => Promise<T>): Promise<T> {
    this.pending++;
    const next = this.tail.then(op, op);
    this.tail = next.then(
      () => this.pending--,
      () => this.pending--,
    );
    return next;
  }

  /** Operations queued or running. */
  get length(): number {
    return this.pending;
  }

  /** Resolves once everything queued so far has finished. */
  async drain(): Promise<void> {
    await this.tail;
  }
}
