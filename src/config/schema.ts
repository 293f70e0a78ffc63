import type { Level } from "../shared/index.ts";

export type TpmMode = "auto" | "required" | "off";

export interface Timers {
  /** TCP+TLS set-up limit (EVE timer.dial.timeout, 10 s). */
  dialTimeoutMs: number;
  /** Whole-request limit (EVE timer.send.timeout, 120 s). */
  sendTimeoutMs: number;
  /** Onboarding loop: 1 s doubling to 600 s. */
  backoffInitialMs: number;
  backoffMaxMs: number;
  /** Offline fast path delay after start (5 s). */
  fastPathMs: number;
  /** Config poll base (timer.config.interval, 60 s), spread over 30-100 %. */
  configIntervalMs: number;
  /** Periodic device info (timer.deviceinfo.interval, 600 s), spread over 80-120 %. */
  deviceInfoIntervalMs: number;
  /** Attestation retry and restart wait (15 s). */
  attestRetryMs: number;
  /** Controller cert refresh (timer.cert.interval, 24 h). */
  certIntervalMs: number;
  /** Deferred info queue back-off bounds (1 min .. 15 min). */
  deferredMinMs: number;
  deferredMaxMs: number;
  /** Minimum spacing of /uuid re-checks after config 404/400 (10 min). */
  uuidRecheckMs: number;
  /** First wait between TPM reconnect attempts after a lost connection; doubles (500 ms). */
  tpmReconnectMs: number;
}

export interface AgentConfig {
  /** Device root holding EVE's config/, persist/ and run/ (production: "/"). */
  root: string;
  /** reconnectAttempts: how often a lost TPM connection is reopened before the agent exits for its supervisor. */
  tpm: { mode: TpmMode; tcti: string; reconnectAttempts: number };
  /** TCG binary event log sent with quotes. */
  eventLogPath: string;
  /** EVE version string reported in attestation and info (EVE reads /run/eve-release). */
  eveReleasePath: string;
  status: {
    socket: string;
    /**
     * Loopback listener for tools that cannot speak HTTP over a Unix socket.
     * Every local user can reach it, so it serves /version and /v1/health
     * only, unless `full` also exposes /v1/status.
     */
    tcp?: { host: string; port: number; full: boolean };
  };
  log: { level: Level };
  /** Debug dump of every controller exchange; holds the integrity token, so kept private (0700/0600). */
  wireDumpDir?: string;
  /** The dump's size cap: the oldest exchanges are removed beyond it. */
  wireDumpMaxBytes: number;
  /** Hardware serial override for boards without DMI/cpuinfo serials. */
  serial?: string;
  maxResponseBytes: number;
  timers: Timers;
}
