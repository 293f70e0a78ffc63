import type { CertIssuance, RenewPoint } from "../../config/index.ts";
import { errorChain, type Logger } from "../../shared/index.ts";
import type { KeyService } from "../keys/store.ts";
import { certifiesKey, parseChain } from "./issue.ts";
import type { CertService } from "./service.ts";

/** When a certificate valid from `notBefore` to `notAfter` is due: a share of its lifetime, or a time before it expires. */
export function renewalDue(notBefore: Date, notAfter: Date, threshold: RenewPoint): Date {
  const life = notAfter.getTime() - notBefore.getTime();
  if ("percent" in threshold) return new Date(notBefore.getTime() + (life * threshold.percent) / 100);
  return new Date(notAfter.getTime() - threshold.seconds * 1000);
}

/** How long to wait after a failed renewal. */
export function retryDelayMs(lifetimeMs: number, retry: RenewPoint): number {
  return Math.max(1000, "percent" in retry ? (lifetimeMs * retry.percent) / 100 : retry.seconds * 1000);
}

/** setTimeout's limit (about 24.8 days); longer waits are taken in steps. */
const MAX_TIMER_MS = 2 ** 31 - 1;

/**
 * Issues the configured certificates that are missing (or no longer name
 * their key) and renews those with `auto_renew` when their threshold of
 * the lifetime is reached, with a fresh key pair when `rotate_key` is set.
 * A failed renewal is retried after `retry` and logged each time; the old
 * certificate stays in place meanwhile.
 */
export class CertRenewer {
  private readonly timers = new Map<string, ReturnType<typeof setTimeout>>();
  private stopped = false;
  /** Renewals done per id (status and tests). */
  readonly renewals = new Map<string, number>();

  constructor(
    private readonly o: {
      certs: CertService;
      keys: KeyService;
      issuance: Record<string, CertIssuance>;
      log: Logger;
      now?: () => Date;
    },
  ) {}

  private now(): Date {
    return this.o.now?.() ?? new Date();
  }

  start(): void {
    for (const id of Object.keys(this.o.issuance)) this.schedule(id, 0);
  }

  stop(): void {
    this.stopped = true;
    for (const t of this.timers.values()) clearTimeout(t);
    this.timers.clear();
  }

  private schedule(id: string, inMs: number): void {
    if (this.stopped) return;
    clearTimeout(this.timers.get(id));
    const wait = Math.max(0, Math.min(inMs, MAX_TIMER_MS));
    const t = setTimeout(() => void this.tick(id, wait < inMs), wait);
    t.unref?.();
    this.timers.set(id, t);
  }

  private async tick(id: string, early: boolean): Promise<void> {
    const conf = this.o.issuance[id]!;
    try {
      const current = await this.currentCert(id, conf);
      if (current && (early || !conf.autoRenew)) {
        if (conf.autoRenew) this.schedule(id, renewalDue(current.notBefore, current.notAfter, conf.autoRenew.threshold).getTime() - this.now().getTime());
        return;
      }
      if (current) {
        const due = renewalDue(current.notBefore, current.notAfter, conf.autoRenew!.threshold);
        if (this.now() < due) {
          this.schedule(id, due.getTime() - this.now().getTime());
          return;
        }
      }
      const renewing = current !== undefined;
      const pem = renewing && conf.autoRenew?.rotateKey ? await this.rotate(id, conf) : await this.o.certs.issueConfigured(id);
      this.o.certs.store.put(id, pem);
      const cert = parseChain(pem, id)[0]!;
      if (renewing) this.renewals.set(id, (this.renewals.get(id) ?? 0) + 1);
      this.o.log.info(renewing ? "certificate renewed" : "certificate issued", {
        object: id,
        notAfter: cert.notAfter.toISOString(),
        ...(renewing && conf.autoRenew?.rotateKey ? { rotated: true } : {}),
      });
      if (conf.autoRenew) this.schedule(id, renewalDue(cert.notBefore, cert.notAfter, conf.autoRenew.threshold).getTime() - this.now().getTime());
    } catch (e) {
      const retry = retryDelayMs(conf.lifetimeSeconds * 1000, conf.autoRenew?.retry ?? { percent: 4 });
      this.o.log.warn("certificate renewal failed; retrying", { object: id, retryInMs: Math.round(retry), error: errorChain(e) });
      this.schedule(id, retry);
    }
  }

  /** The stored certificate when it still names its key pair; undefined means it must be issued. */
  private async currentCert(id: string, conf: CertIssuance) {
    const pem = this.o.certs.store.get(id);
    if (!pem) return undefined;
    const cert = parseChain(pem, id)[0]!;
    const key = await this.o.keys.findKeyPair(conf.key);
    if (!key || !certifiesKey(cert.spkiDer, key.publicKey)) {
      // A crash between moving a rotated key in and writing its certificate leaves this; issuing again mends it.
      this.o.log.warn("certificate does not name its key pair; issuing it again", { object: id });
      return undefined;
    }
    return cert;
  }

  /** A new key under a temporary id, its certificate, then the key moved over the old one. */
  private async rotate(id: string, conf: CertIssuance): Promise<string> {
    const next = `${conf.key}.next`;
    await this.o.keys.replaceKeyPair(next);
    const pem = await this.o.certs.issueConfigured(id, next);
    await this.o.keys.renameKeyPair(next, conf.key);
    return pem;
  }
}
