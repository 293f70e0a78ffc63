import type { AgentConfig, KeylimeConfig } from "./schema.ts";

export const DEFAULT_CONFIG_FILE = "/etc/edge-agent/agent.toml";

export function defaultConfig(): AgentConfig {
  return {
    root: "/",
    tpm: { mode: "auto", tcti: "device:/dev/tpmrm0", reconnectAttempts: 6 },
    eventLogPath: "/sys/kernel/security/tpm0/binary_bios_measurements",
    eveReleasePath: "/run/eve-release",
    status: { socket: "/run/edge-agent/status.sock" },
    log: { level: "info" },
    maxResponseBytes: 8 * 1024 * 1024,
    wireDumpMaxBytes: 64 * 1024 * 1024,
    timers: {
      dialTimeoutMs: 10_000,
      sendTimeoutMs: 120_000,
      backoffInitialMs: 1_000,
      backoffMaxMs: 600_000,
      fastPathMs: 5_000,
      configIntervalMs: 60_000,
      deviceInfoIntervalMs: 600_000,
      attestRetryMs: 15_000,
      certIntervalMs: 24 * 3600_000,
      deferredMinMs: 60_000,
      deferredMaxMs: 15 * 60_000,
      uuidRecheckMs: 10 * 60_000,
      tpmReconnectMs: 500,
    },
    vault: { fscrypt: true },
    services: { enabled: true, socketMode: 0o660, maxRequests: 10, maxBodyBytes: 64 * 1024, readTimeoutMs: 5000, maxConnections: 1024 },
    keys: { preloaded: {} },
    certs: { preloaded: {}, issuance: {} },
    identity: {},
    principals: [],
    keylime: defaultKeylimeConfig(),
  };
}

/** Keylime's own defaults where it has one (registrar 8890, agent 9002, mTLS on, RSA/RSASSA/SHA-256). */
export function defaultKeylimeConfig(): KeylimeConfig {
  return {
    enabled: false,
    registrarUrl: "http://127.0.0.1:8890",
    uuid: "hash_ek",
    mode: "pull",
    contactIp: "127.0.0.1",
    contactPort: 9002,
    listenIp: "127.0.0.1",
    mtls: true,
    tpmHashAlg: "sha256",
    tpmSigningAlg: "rsassa",
    tpmEncryptionAlg: "rsa",
    payloadDir: "/run/edge-agent/keylime/secure",
    allowPayloadScript: false,
    payloadDirAnyFs: false,
    imaLogPath: "/sys/kernel/security/ima/ascii_runtime_measurements",
    retryInitialMs: 1_000,
    retryMaxMs: 300_000,
  };
}
