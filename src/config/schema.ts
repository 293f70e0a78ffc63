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

export type KeylimeMode = "pull" | "push";
/** PCR bank of Keylime quotes; the agent reads and quotes SHA-256 PCRs only. */
export type KeylimeHashAlg = "sha256";
/** "rsassa": EVE's AIK 0x81000003 (RSA-2048) signs Keylime quotes; "ecdsa": the quote key 0x81000004 (P-256). */
export type KeylimeSigningAlg = "rsassa" | "ecdsa";
/** Which TCG EK: "rsa" (RSA-2048, cert in NV 0x01c00002) or "ecc" (P-256, cert in NV 0x01c0000a). */
export type KeylimeEncryptionAlg = "rsa" | "ecc";

/**
 * The Keylime agent side ([keylime] in agent.toml), off by default. See the
 * README "Keylime" for one example per mode.
 */
export interface KeylimeConfig {
  enabled: boolean;
  /** Where the agent registers: the registrar's plain-HTTP port (Keylime's registrar `port`). */
  registrarUrl: string;
  /** "hash_ek" (SHA-256 of the EK public key in PEM, as the rust agent offers) or a fixed UUID. */
  uuid: string;
  mode: KeylimeMode;
  /** Pull: the address and port the verifier and tenant reach the agent at (registered as ip/port). */
  contactIp: string;
  contactPort: number;
  /** Pull: the address the HTTPS server binds to (default: contactIp). */
  listenIp: string;
  /** Push: the verifier's base URL (https) and the CA that signed its server certificate (Keylime's cv_ca/cacert.crt). */
  verifierUrl?: string;
  verifierCa?: string;
  /**
   * Pull: HTTPS with a client certificate checked against trustedClientCa
   * (Keylime's default) when true; plain HTTP and mtls_cert "disabled" when
   * false, for a first integration only.
   */
  mtls: boolean;
  /** Pull with mTLS: PEM file of the CA(s) the verifier's and tenant's client certificates chain to. */
  trustedClientCa?: string;
  /** The agent's mTLS certificate and key (PEM); both absent: a self-signed P-256 one is generated and kept. */
  agentCert?: string;
  agentKey?: string;
  tpmHashAlg: KeylimeHashAlg;
  tpmSigningAlg: KeylimeSigningAlg;
  tpmEncryptionAlg: KeylimeEncryptionAlg;
  /** Where a delivered payload is decrypted; must be memory-backed (tmpfs/ramfs), checked before use. */
  payloadDir: string;
  /** Run the payload's autorun.sh; never unless set here. */
  allowPayloadScript: boolean;
  /** Take a payloadDir that is not tmpfs/ramfs; a decrypted payload then reaches a disk. Off unless set here. */
  payloadDirAnyFs: boolean;
  /** Pull: the kernel's ASCII IMA measurement list, served with integrity quotes from the entry the verifier asks for; a missing file means no IMA. */
  imaLogPath: string;
  /** Registration retries: capped exponential backoff between these bounds. */
  retryInitialMs: number;
  retryMaxMs: number;
}

/** One row of the principals table: what a local uid may use through the keys, certificates and identity services. */
export interface Principal {
  uid: number;
  /** For the identity service's logs and, later, module identities. */
  name?: string;
  /** Identity types the uid may read from the identity service ("device"). */
  idtype: string[];
  /** Key ids or patterns (`*` any characters, `?` one) the uid may create, load, move. */
  keys: string[];
  /** Certificate ids or patterns the uid may create, import, delete. */
  certs: string[];
}

/** The Unix sockets of the keys, certificates and identity services. */
export interface ServicesConfig {
  enabled: boolean;
  /** Where keys.sock, certs.sock and identity.sock go; default: the agent's run directory. */
  socketDir?: string;
  /** Mode of the sockets: who may connect at all; the principals table decides what they may do. */
  socketMode: number;
  /** Group owning the sockets (name or gid), so its members can connect. */
  socketGroup?: string | number;
  /** Requests of one uid handled at once per socket (aziot's max_requests). */
  maxRequests: number;
  maxBodyBytes: number;
  /** A request must arrive whole within this time. */
  readTimeoutMs: number;
  /** Open connections per socket. */
  maxConnections: number;
}

export interface KeysConfig {
  /** PKCS#11 module (seed: `pkcs11_lib_path`); new key pairs go to its base slot when set. */
  pkcs11LibPath?: string;
  /** RFC 7512 URI of the token new key pairs are made in (`pkcs11_base_slot`). */
  pkcs11BaseSlot?: string;
  /** Keys that exist outside the service (`preloaded_key:NAME`): `pkcs11:` URIs or `file://` PEM keys. */
  preloaded: Record<string, string>;
}

/** `threshold` / `retry` of auto-renewal: a share of the lifetime, or a time before expiry. */
export type RenewPoint = { percent: number } | { seconds: number };

export interface CertIssuance {
  /** self_signed: the cert's own key signs it; local_ca: `issuerCert` with `issuerKey` signs it. */
  method: "self_signed" | "local_ca";
  /** Key pair of the certificate (default: the cert id). */
  key: string;
  issuerCert: string;
  issuerKey: string;
  /** Subject attributes by short name (CN, O, OU, C, ST, L). */
  subject: Record<string, string>;
  lifetimeSeconds: number;
  /** A CA certificate (basicConstraints CA, keyCertSign) rather than a TLS client/server one. */
  ca: boolean;
  autoRenew?: { threshold: RenewPoint; retry: RenewPoint; rotateKey: boolean };
}

export interface CertsConfig {
  /** Certificates that exist outside the service (`preloaded_cert:NAME`): a file path. */
  preloaded: Record<string, string>;
  /** Certificates the service issues and renews itself (`[certs.issuance.NAME]`). */
  issuance: Record<string, CertIssuance>;
}

export interface IdentityConfig {
  /** `identity_pk = "key://NAME"`: the device key is the keys service's key NAME (a preloaded PKCS#11 key). */
  pk?: string;
  /** `identity_cert = "cert://NAME"`: the device certificate is the certificates service's NAME. */
  cert?: string;
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
  /** fscrypt: an fscrypt v2 policy on /persist/vault where the kernel and filesystem have it; the store's encryption alone otherwise. */
  vault: { fscrypt: boolean };
  keylime: KeylimeConfig;
  services: ServicesConfig;
  keys: KeysConfig;
  certs: CertsConfig;
  identity: IdentityConfig;
  /** `[[principal]]` rows from every config file, in file order. */
  principals: Principal[];
}
