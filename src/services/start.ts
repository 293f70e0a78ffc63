import { readFileSync } from "node:fs";
import { type AgentConfig, reloadConfig, type ServiceName, serviceSocketPath } from "../config/index.ts";
import type { KeyIdentity } from "../identity/index.ts";
import { describePkcs11Uri } from "../pkcs11/index.ts";
import { errorChain, type Logger } from "../shared/index.ts";
import type { DeviceLayout } from "../state/index.ts";
import type { TpmManager } from "../tpm/index.ts";
import type { VaultStore } from "../vault/index.ts";
import { certsApi } from "./certs/api.ts";
import { CertRenewer } from "./certs/renew.ts";
import { CertService, CertStore } from "./certs/service.ts";
import { ServicesError } from "./errors.ts";
import { buildApp, type ServiceApi } from "./http/routes.ts";
import { type LocalServer, startLocalServer } from "./http/server.ts";
import { identityApi } from "./identity/api.ts";
import { keysApi } from "./keys/api.ts";
import { FileKeyBackend, keyPairFromPemFile } from "./keys/file-backend.ts";
import { HandleAuthority } from "./keys/handles.ts";
import type { Pkcs11Keys } from "./keys/pkcs11-backend.ts";
import { KeyService } from "./keys/store.ts";
import { SymmetricKeys } from "./keys/symmetric.ts";
import { TpmKeyBackend } from "./keys/tpm-backend.ts";
import { type KeyPair, type KeyPairBackend, keyPairFromSigner } from "./keys/types.ts";
import { Principals } from "./principals.ts";

/** The device key's and certificate's id when the agent holds them itself (TPM or file). */
export const DEVICE_ID = "device-id";

export interface DeviceServicesOptions {
  cfg: AgentConfig;
  layout: DeviceLayout;
  log: Logger;
  tpm?: TpmManager;
  /** The agent's device identity. */
  device: KeyIdentity;
  /** The vault's store once it is open (symmetric keys live there). */
  vault(): VaultStore | undefined;
  /** The device UUID, once onboarded. */
  uuid(): string | undefined;
  /** The PKCS#11 module of `[keys]`, opened by the agent at start (it may hold the device key). */
  pkcs11?: Pkcs11Keys;
}

export interface DeviceServices {
  readonly keys: KeyService;
  readonly certs: CertService;
  readonly renewer: CertRenewer;
  readonly sockets: Record<ServiceName, string>;
  /** Re-reads the principals table from the configuration files (what SIGHUP does). */
  reloadPrincipals(): void;
  stop(): void;
}

/** Directories of the services' own state under /persist and /run. */
export function servicePaths(layout: DeviceLayout) {
  return {
    keys: layout.persist.serviceKeysDir,
    certs: layout.persist.serviceCertsDir,
    handleKey: layout.run.serviceKeyHandle,
  };
}

/** A group name from /etc/group, or a gid as given. */
function groupId(group: string | number): number {
  if (typeof group === "number") return group;
  for (const line of readFileSync("/etc/group", "utf8").split("\n")) {
    const [name, , gid] = line.split(":");
    if (name === group && gid !== undefined) return Number(gid);
  }
  throw new ServicesError("services.config", `services.socketGroup: no group ${group} in /etc/group`);
}

/**
 * Opens a `preloaded_key` URI: `file:///path` is a PEM key read in
 * software; `pkcs11:` needs the PKCS#11 module.
 */
function preloadedOpener(p11: Pkcs11Keys | undefined): (id: string, uri: string) => Promise<KeyPair> {
  return async (id, uri) => {
    if (uri.startsWith("file://")) return keyPairFromPemFile(id, decodeURIComponent(uri.slice("file://".length)));
    if (!p11) throw new ServicesError("services.key", `preloaded key ${id}: no PKCS#11 module is loaded for ${describePkcs11Uri(uri)}`);
    return p11.key(id, uri);
  };
}

/**
 * Most devices never call a service during a boot, or at all: its route table, router
 * and OpenAPI documents are built when the first request comes, not at start.
 */
function builtOnFirstRequest(build: () => ReturnType<typeof buildApp>): ReturnType<typeof buildApp> {
  let app: ReturnType<typeof buildApp> | undefined;
  return (request, caller) => {
    app ??= build();
    return app(request, caller);
  };
}

/**
 * The keys, certificates and identity services on their Unix sockets
 * (keys.sock, certs.sock, identity.sock), wire-compatible with aziot's
 * keyd, certd and identityd, serving the device's own processes. Each
 * request carries its caller's uid from SO_PEERCRED; the principals table
 * says what that uid may use and is re-read on SIGHUP.
 */
export function startDeviceServices(o: DeviceServicesOptions): DeviceServices {
  const { cfg, layout } = o;
  const log = o.log.child("services");
  const paths = servicePaths(layout);
  const principals = new Principals(cfg.principals, log);
  const generated: KeyPairBackend[] = [];
  if (o.pkcs11?.baseSlot) generated.push(o.pkcs11.baseSlot);
  if (o.tpm) generated.push(new TpmKeyBackend(paths.keys, o.tpm));
  generated.push(new FileKeyBackend(paths.keys));
  const deviceKeyId = cfg.identity.pk ?? DEVICE_ID;
  const keys = new KeyService({
    deviceKeyId,
    ...(cfg.identity.pk ? {} : { device: keyPairFromSigner(DEVICE_ID, o.tpm ? "tpm" : "file", o.device) }),
    preloaded: cfg.keys.preloaded,
    openPreloaded: preloadedOpener(o.pkcs11),
    generated,
    symmetric: new SymmetricKeys(o.vault),
    handles: HandleAuthority.open(paths.handleKey),
    principals,
    log: log.child("keys"),
  });
  const deviceCertId = cfg.identity.cert ?? DEVICE_ID;
  const store = new CertStore({
    dir: paths.certs,
    preloaded: cfg.certs.preloaded,
    device: { id: deviceCertId, path: cfg.identity.cert ? cfg.certs.preloaded[cfg.identity.cert]! : layout.config.deviceCert },
  });
  const certs = new CertService({ store, keys, principals, issuance: cfg.certs.issuance, log: log.child("certs") });
  const renewer = new CertRenewer({ certs, keys, issuance: cfg.certs.issuance, log: log.child("certs") });

  const apis: Record<ServiceName, () => ServiceApi> = {
    keys: () => keysApi(keys),
    certs: () => certsApi(certs),
    identity: () =>
      identityApi({
        keys,
        principals,
        deviceId: o.uuid,
        controller: () => readFileSync(layout.config.server, "utf8").trim(),
        deviceCertId,
        trustBundlePath: layout.config.rootCert,
      }),
  };
  const gid = cfg.services.socketGroup !== undefined ? groupId(cfg.services.socketGroup) : undefined;
  const servers: LocalServer[] = [];
  const sockets = {} as Record<ServiceName, string>;
  try {
    for (const name of ["keys", "certs", "identity"] as const) {
      sockets[name] = serviceSocketPath(cfg, name);
      servers.push(
        startLocalServer({
          name,
          socket: sockets[name],
          mode: cfg.services.socketMode,
          ...(gid !== undefined ? { gid } : {}),
          limits: {
            maxRequestsPerUid: cfg.services.maxRequests,
            maxBodyBytes: cfg.services.maxBodyBytes,
            readTimeoutMs: cfg.services.readTimeoutMs,
            maxConnections: cfg.services.maxConnections,
            maxHeadBytes: 16 * 1024,
          },
          fetch: builtOnFirstRequest(() => buildApp(apis[name](), log.child(name))),
          log: log.child(name),
        }),
      );
    }
  } catch (e) {
    for (const s of servers) s.stop();
    throw e;
  }
  renewer.start();

  const reloadPrincipals = () => {
    try {
      const next = reloadConfig(cfg).principals;
      principals.replace(next);
      log.info("principals reloaded", { principals: next.length });
    } catch (e) {
      log.error("principals not reloaded; keeping the previous table", { error: errorChain(e) });
    }
  };
  const onHup = () => reloadPrincipals();
  process.on("SIGHUP", onHup);
  log.info("device services started", { principals: principals.size, device: deviceKeyId, deviceCert: deviceCertId });
  return {
    keys,
    certs,
    renewer,
    sockets,
    reloadPrincipals,
    stop() {
      process.off("SIGHUP", onHup);
      renewer.stop();
      for (const s of servers) s.stop();
    },
  };
}
