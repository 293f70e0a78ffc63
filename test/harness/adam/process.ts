/**
 * Running the real Adam controller: `adam server` on a free loopback port
 * with the file driver under a work directory, its log, the certificates it
 * serves, the admin client, and the /config files that point a device at it.
 *
 * See docs/adam.md for Adam's behaviour.
 */
import { mkdir, mkdtemp, readFile, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { AdminClient } from "../admin/index.ts";
import type { DeviceFiles } from "../device.ts";
import { freePort, type LoggedProcess, spawnLogged, waitFor } from "../proc.ts";
import { AdamError, type AdamInstall, installAdam } from "./install.ts";

export class AdamStartError extends AdamError {
  override readonly name = "AdamStartError";
}

export interface AdamCertFiles {
  /** PEM; for the server cert put the leaf first and any intermediates after it. */
  certPem: string;
  keyPem: string;
}

export interface StartAdamOptions {
  /** Directory to run in (created if missing). Default: a fresh temp dir, removed by stop(). */
  workDir?: string;
  /** An install to use; default installAdam(). */
  install?: AdamInstall;
  /**
   * Controller identities to use instead of --auto-cert's three self-signed
   * RSA certs (e.g. from makeControllerPki). Adam never overwrites them.
   */
  certs?: {
    server: AdamCertFiles;
    signing: AdamCertFiles;
    encrypt: AdamCertFiles;
    /** CA(s) that verify the server cert; needed unless `server` is self-signed. */
    trustPem?: string;
  };
  /** Adam's --cert-refresh; 0 makes it rescan the disk on every request. */
  certRefreshSeconds?: number;
  /** Extra environment, e.g. { ADAM_LOG_DEVICE_CONFIG: "1" }. */
  env?: Record<string, string>;
  startTimeoutMs?: number;
}

export interface Adam {
  /** https://127.0.0.1:PORT */
  url: string;
  port: number;
  workDir: string;
  /** --db-url: file-driver root (onboard/, device/<uuid>/..., global-options.json). */
  dbDir: string;
  /** --conf-dir: the EVE-style files Adam writes at start-up. */
  confDir: string;
  serverPem: string;
  signingPem: string;
  encryptPem: string;
  /** What the harness trusts for TLS to Adam: the given trustPem, else server.pem. */
  tlsCaPem: string;
  /**
   * What a device should put in root-certificate.pem: the given trustPem,
   * else server, signing and encrypt concatenated, because --auto-cert makes
   * three unrelated self-signed leaves and the device must chain the /certs
   * ones too (docs/adam.md#device-config-recipe).
   */
  deviceTrustPem: string;
  pid: number;
  logPath: string;
  install: AdamInstall;
  /** The admin API client (the same one the test controller is driven with). */
  client: AdminClient;
  log(): string;
  /** fetch against Adam that trusts `tlsCaPem`; `path` starts with "/". */
  fetch(path: string, init?: RequestInit): Promise<Response>;
  /** Stops the process tree; removes the work dir if startAdam created it. */
  stop(): Promise<void>;
}

async function writeCertPair(dir: string, name: string, pair: AdamCertFiles): Promise<void> {
  await writeFile(join(dir, `${name}.pem`), pair.certPem);
  await writeFile(join(dir, `${name}-key.pem`), pair.keyPem, { mode: 0o600 });
}

async function readIfExists(path: string): Promise<string | undefined> {
  try {
    return await readFile(path, "utf8");
  } catch {
    return undefined;
  }
}

/**
 * Starts `adam server` on a free loopback port with the file driver under the
 * work dir, and resolves once /probe answers 200 over TLS checked against
 * Adam's own server.pem.
 */
export async function startAdam(opts: StartAdamOptions = {}): Promise<Adam> {
  const install = opts.install ?? (await installAdam());
  const ownsWorkDir = opts.workDir === undefined;
  const workDir = opts.workDir ?? (await mkdtemp(join(tmpdir(), "edge-agent-adam-")));
  await mkdir(workDir, { recursive: true });
  // File driver, explicit and absolute: scenarios read certs.json, options.json
  // and the info/requests files straight from here.
  const dbDir = join(workDir, "run", "adam");
  const confDir = join(workDir, "run", "config");
  await mkdir(dbDir, { recursive: true });
  if (opts.certs) {
    await writeCertPair(dbDir, "server", opts.certs.server);
    await writeCertPair(dbDir, "signing", opts.certs.signing);
    await writeCertPair(dbDir, "encrypt", opts.certs.encrypt);
  }
  const logPath = join(workDir, "adam.log");
  const timeout = opts.startTimeoutMs ?? 30_000;

  // freePort() closes its socket before Adam binds, so another process can
  // take the port in between; a bind failure just retries with a new port.
  let lastLog = "";
  for (let attempt = 0; attempt < 3; attempt++) {
    const port = await freePort();
    const cmd = [
      install.bin,
      "server",
      "--auto-cert",
      "--cert-cn",
      "localhost",
      "--cert-hosts",
      "127.0.0.1,localhost",
      "--ip",
      "127.0.0.1",
      "--port",
      String(port),
      "--db-url",
      dbDir,
      "--conf-dir",
      confDir,
      "--server-cert",
      join(dbDir, "server.pem"),
      "--server-key",
      join(dbDir, "server-key.pem"),
      "--signing-cert",
      join(dbDir, "signing.pem"),
      "--signing-key",
      join(dbDir, "signing-key.pem"),
      "--encrypt-cert",
      join(dbDir, "encrypt.pem"),
      "--encrypt-key",
      join(dbDir, "encrypt-key.pem"),
      ...(opts.certRefreshSeconds === undefined ? [] : ["--cert-refresh", String(opts.certRefreshSeconds)]),
    ];
    const proc = spawnLogged(cmd, { cwd: workDir, env: { ...process.env, ...opts.env }, logPath });
    const url = `https://127.0.0.1:${port}`;
    try {
      await waitUntilServing(proc, url, opts.certs?.trustPem, join(dbDir, "server.pem"), timeout);
    } catch (e) {
      await proc.stop();
      lastLog = proc.log();
      if (/address already in use/i.test(lastLog)) continue;
      if (ownsWorkDir) await rm(workDir, { recursive: true, force: true });
      throw new AdamStartError(`Adam did not start: ${(e as Error).message}\n--- adam log ---\n${lastLog}`, {
        cause: e,
      });
    }
    const log = proc.log();
    if (/Will use APIv1/.test(log)) {
      await proc.stop();
      if (ownsWorkDir) await rm(workDir, { recursive: true, force: true });
      throw new AdamStartError(`Adam started without API v2 (signing/encrypt files missing?)\n--- adam log ---\n${log}`);
    }
    const serverPem = await readFile(join(dbDir, "server.pem"), "utf8");
    const signingPem = await readFile(join(dbDir, "signing.pem"), "utf8");
    const encryptPem = await readFile(join(dbDir, "encrypt.pem"), "utf8");
    const tlsCaPem = opts.certs?.trustPem ?? serverPem;
    const withNl = (pem: string) => (pem.endsWith("\n") ? pem : `${pem}\n`);
    const deviceTrustPem = opts.certs?.trustPem ?? [serverPem, signingPem, encryptPem].map(withNl).join("");
    const adamFetch = (path: string, init: RequestInit = {}) => fetch(`${url}${path}`, { ...init, tls: { ca: tlsCaPem } });
    let stopped = false;
    const adam: Adam = {
      url,
      port,
      workDir,
      dbDir,
      confDir,
      serverPem,
      signingPem,
      encryptPem,
      tlsCaPem,
      deviceTrustPem,
      pid: proc.pid,
      logPath,
      install,
      client: new AdminClient(adamFetch),
      log: () => proc.log(),
      fetch: adamFetch,
      stop: async () => {
        if (stopped) return;
        stopped = true;
        await proc.stop();
        if (ownsWorkDir) await rm(workDir, { recursive: true, force: true });
      },
    };
    return adam;
  }
  if (ownsWorkDir) await rm(workDir, { recursive: true, force: true });
  throw new AdamStartError(`Adam could not bind a free port in 3 attempts\n--- adam log ---\n${lastLog}`);
}

async function waitUntilServing(proc: LoggedProcess, url: string, trustPem: string | undefined, serverPemPath: string, timeoutMs: number) {
  // A crash ends the wait at once instead of running into the timeout.
  const died = new AbortController();
  void proc.exited.then((c) => died.abort(new AdamStartError(`adam exited with code ${c} before serving`)));
  await waitFor(
    async () => {
      // With --auto-cert, server.pem appears shortly before Adam listens.
      const ca = trustPem ?? (await readIfExists(serverPemPath));
      if (!ca) return false;
      const res = await fetch(`${url}/probe`, { tls: { ca }, signal: AbortSignal.timeout(2000) });
      await res.arrayBuffer();
      return res.status === 200;
    },
    timeoutMs,
    { intervalMs: 100, what: `${url}/probe to answer 200`, signal: died.signal },
  );
}

// ---------------------------------------------------------------------------
// device /config directory

export interface DeviceConfigOptions {
  onboardCertPem: string;
  onboardKeyPem: string;
  /** Written to `soft_serial`, the only serial an EVE /config dir can carry. */
  serial?: string;
  /** Trust anchors for root-certificate.pem; default `adam.deviceTrustPem`. */
  trustPem?: string;
}

/** The /config files a device needs to onboard to `adam` (docs/adam.md#device-config-recipe); write them with device.ts. */
export async function adamDeviceConfig(adam: Adam, opts: DeviceConfigOptions): Promise<DeviceFiles> {
  // Adam writes CN:port, and the CN is what the device must ask for by name.
  const server = (await readFile(join(adam.confDir, "server"), "utf8")).trim();
  return {
    server,
    rootCertPem: opts.trustPem ?? adam.deviceTrustPem,
    onboard: { certPem: opts.onboardCertPem, keyPem: opts.onboardKeyPem },
    ...(opts.serial !== undefined ? { softSerial: opts.serial } : {}),
  };
}
