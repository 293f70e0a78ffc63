import { join } from "node:path";

/**
 * EVE's on-device file layout (docs/file-layout.md), rooted at `root` so a
 * test or the demo can run a whole device inside a directory.
 */
export interface DeviceLayout {
  root: string;
  config: {
    dir: string;
    server: string;
    rootCert: string;
    onboardCert: string;
    onboardKey: string;
    softSerial: string;
    deviceCert: string;
    deviceKey: string;
    tpmCredential: string;
    bootstrapConfig: string;
  };
  persist: {
    dir: string;
    uuid: string;
    hardwareModel: string;
    onboardingStatus: string;
    controllerCerts: string;
    lastConfig: string;
    certsDir: string;
    ecdhCert: string;
    ecdhKey: string;
    attestCert: string;
    attestKey: string;
    ekCert: string;
    policyPcr: string;
    allowVaultClean: string;
    sealingPcrs: string;
    vaultDir: string;
    infoQueue: string;
    /** Key blobs and files of the keys service for the device's processes. */
    serviceKeysDir: string;
    /** Certificates of the certificates service. */
    serviceCertsDir: string;
  };
  run: {
    dir: string;
    integrityToken: string;
    statusSocket: string;
    /** One-agent-per-device lock (flock), held for the life of the process. */
    instanceLock: string;
    /** The keys service's key for its key handles (in the layout so a crash's temp files there are swept). */
    serviceKeyHandle: string;
  };
}

export function deviceLayout(root = "/"): DeviceLayout {
  const c = join(root, "config");
  const p = join(root, "persist");
  const r = join(root, "run");
  return {
    root,
    config: {
      dir: c,
      server: join(c, "server"),
      rootCert: join(c, "root-certificate.pem"),
      onboardCert: join(c, "onboard.cert.pem"),
      onboardKey: join(c, "onboard.key.pem"),
      softSerial: join(c, "soft_serial"),
      deviceCert: join(c, "device.cert.pem"),
      deviceKey: join(c, "device.key.pem"),
      tpmCredential: join(c, "tpm_credential"),
      bootstrapConfig: join(c, "bootstrap-config.pb"),
    },
    persist: {
      dir: p,
      uuid: join(p, "status", "uuid"),
      hardwareModel: join(p, "status", "hardwaremodel"),
      onboardingStatus: join(p, "status", "zedclient", "OnboardingStatus", "global.json"),
      controllerCerts: join(p, "checkpoint", "controllercerts"),
      lastConfig: join(p, "checkpoint", "lastconfig"),
      certsDir: join(p, "certs"),
      ecdhCert: join(p, "certs", "ecdh.cert.pem"),
      ecdhKey: join(p, "certs", "ecdh.key.pem"),
      attestCert: join(p, "certs", "attest.cert.pem"),
      attestKey: join(p, "certs", "attest.key.pem"),
      ekCert: join(p, "certs", "ek.cert.pem"),
      policyPcr: join(p, "status", "policy-pcr.json"),
      allowVaultClean: join(p, "status", "allow-vault-clean"),
      sealingPcrs: join(p, "status", "sealingpcrs"),
      vaultDir: join(p, "vault"),
      infoQueue: join(p, "status", "edge-agent", "info-queue"),
      serviceKeysDir: join(p, "edge-agent", "keys"),
      serviceCertsDir: join(p, "edge-agent", "certs"),
    },
    run: {
      dir: r,
      integrityToken: join(r, "eve.integrity_token"),
      statusSocket: join(r, "edge-agent", "status.sock"),
      instanceLock: join(r, "edge-agent", "agent.lock"),
      serviceKeyHandle: join(r, "edge-agent", "keyd", "handle.key"),
    },
  };
}
