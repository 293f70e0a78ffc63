import { existsSync, readFileSync } from "node:fs";
import {
  certificateSpki,
  createDeviceCertificate,
  DEVICE_CERT_CN,
  decodePem,
  generateSoftKey,
  issueDeviceCertificate,
  type ParsedCert,
  parseCertificatesPem,
  softKeyFromPem,
  softKeyToPem,
  softSigner,
  spkiFromP256Point,
} from "../pki/index.ts";
import { AgentError, bytesEqual, type Logger, type P256Signer, utf8 } from "../shared/index.ts";
import { type DeviceLayout, writeFileAtomic } from "../state/index.ts";
import { EARLIEST_SANE_TIME } from "./limits.ts";
import type { KeyIdentity } from "./signer.ts";

export class IdentityError extends AgentError {
  constructor(
    kind: "identity.clock" | "identity.inconsistent" | "identity.corrupt" | "identity.onboarding" | "identity.tpm-cleared",
    message: string,
    options?: { cause?: unknown },
  ) {
    super(kind, message, options);
  }
}

export function assertSaneClock(now: Date): void {
  if (now.getTime() < EARLIEST_SANE_TIME) {
    throw new IdentityError("identity.clock", `system clock reads ${now.toISOString()}; refusing to create certificates before time is set`);
  }
}

/** Where the device key lives; the TPM backend implements the same shape. */
export interface DeviceKeyBackend {
  readonly kind: "tpm" | "soft" | "pkcs11";
  /** The existing device key, or undefined when none has been created. */
  loadDeviceKey(): Promise<P256Signer | undefined>;
  /** Creates (or re-creates) the device key. */
  createDeviceKey(): Promise<P256Signer>;
  /** Called after a new device cert is written (the TPM backend copies it to NV). */
  deviceCertWritten?(pem: Uint8Array): Promise<void>;
  /**
   * A copy of the device cert kept outside /config (the TPM backend's NV
   * 0x1500000), returned only when it certifies the existing device key.
   */
  recoverDeviceCert?(): Promise<{ pem: Uint8Array; from: string } | undefined>;
}

export function softDeviceKeyBackend(layout: DeviceLayout): DeviceKeyBackend {
  return {
    kind: "soft",
    async loadDeviceKey() {
      if (!existsSync(layout.config.deviceKey)) return undefined;
      try {
        return softSigner(softKeyFromPem(readFileSync(layout.config.deviceKey)));
      } catch (e) {
        throw new IdentityError("identity.corrupt", `${layout.config.deviceKey} is not a usable EC key`, { cause: e });
      }
    },
    async createDeviceKey() {
      const key = generateSoftKey();
      writeFileAtomic(layout.config.deviceKey, softKeyToPem(key), 0o600);
      return softSigner(key);
    },
  };
}

function samePoint(a: Uint8Array, b: Uint8Array): boolean {
  return a.length === b.length && a.every((x, i) => x === b[i]);
}

function withCert(signer: P256Signer, pem: Uint8Array, cert: ParsedCert): KeyIdentity {
  const signMessage = signer.signMessage?.bind(signer);
  return { publicKey: signer.publicKey, sign: (d) => signer.sign(d), ...(signMessage ? { signMessage } : {}), certificate: { der: cert.der, pem } };
}

/**
 * The device identity: key plus self-signed device cert
 * (docs/protocol.md#device-certificates, docs/state-machines.md#start-up).
 * Creates what is missing, reuses what exists, and refuses a cert that does
 * not match the key rather than silently replacing an identity the
 * controller already knows.
 */
export async function ensureDeviceIdentity(
  layout: DeviceLayout,
  backend: DeviceKeyBackend,
  opts: { now: () => Date; log: Logger },
): Promise<KeyIdentity & { created: boolean }> {
  const certPath = layout.config.deviceCert;
  let certPem: Uint8Array | undefined = existsSync(certPath) ? new Uint8Array(readFileSync(certPath)) : undefined;
  if (!certPem && backend.recoverDeviceCert) {
    // Minting a new cert here would orphan the device at the controller, which knows it by the old cert's hash.
    const recovered = await backend.recoverDeviceCert();
    if (recovered) {
      writeFileAtomic(certPath, recovered.pem, 0o644);
      certPem = recovered.pem;
      opts.log.warn("device certificate was missing; restored it", {
        from: recovered.from,
        path: certPath,
        certSerial: parseCertificatesPem(recovered.pem)[0]?.serial ?? "",
      });
    }
  }
  let signer = await backend.loadDeviceKey();
  if (certPem) {
    let cert: ParsedCert;
    try {
      const certs = parseCertificatesPem(certPem);
      if (!certs[0]) throw new Error("no certificate in file");
      cert = certs[0];
    } catch (e) {
      throw new IdentityError("identity.corrupt", `${certPath} does not hold a certificate`, { cause: e });
    }
    if (!signer) {
      throw new IdentityError("identity.inconsistent", `${certPath} exists but the ${backend.kind} device key is missing`);
    }
    if (cert.publicKey.kind !== "ec" || !samePoint(cert.publicKey.point, signer.publicKey)) {
      throw new IdentityError("identity.inconsistent", `${certPath} does not certify the ${backend.kind} device key`);
    }
    return { ...withCert(signer, certPem, cert), created: false };
  }
  const now = opts.now();
  assertSaneClock(now);
  if (!signer) signer = await backend.createDeviceKey();
  const made = await createDeviceCertificate(signer, now);
  const pem = typeof made.pem === "string" ? utf8.encode(made.pem) : made.pem;
  writeFileAtomic(certPath, pem, 0o644);
  await backend.deviceCertWritten?.(pem);
  opts.log.info("device certificate created", { backend: backend.kind });
  const cert = parseCertificatesPem(pem)[0]!;
  return { ...withCert(signer, pem, cert), created: true };
}

/** The onboarding identity from /config/onboard.{cert,key}.pem, if both exist. */
export function loadOnboardingIdentity(layout: DeviceLayout): (KeyIdentity & { pemFile: Uint8Array }) | undefined {
  const { onboardCert, onboardKey } = layout.config;
  if (!existsSync(onboardCert) || !existsSync(onboardKey)) return undefined;
  try {
    const pemFile = new Uint8Array(readFileSync(onboardCert));
    const cert = parseCertificatesPem(pemFile)[0];
    if (!cert) throw new Error("no certificate in onboard.cert.pem");
    const signer = softSigner(softKeyFromPem(readFileSync(onboardKey)));
    return { ...withCert(signer, pemFile, cert), pemFile };
  } catch (e) {
    throw new IdentityError("identity.onboarding", `onboarding cert/key unusable: ${(e as Error).message}`, { cause: e });
  }
}

export interface EdgeNodeCertSpec {
  certPath: string;
  commonName: string;
  /** SPKI DER of the key the certificate names. */
  spki: Uint8Array;
}

/**
 * Issues the ECDH, attestation and (TPM only) EK certificates signed by the
 * device key into /persist/certs (EVE's createCerts). An existing cert is
 * kept only while it still names the same key.
 */
export async function ensureEdgeNodeCerts(device: KeyIdentity, specs: EdgeNodeCertSpec[], opts: { now: () => Date; log: Logger }): Promise<void> {
  let issuerCert: ParsedCert | undefined;
  for (const spec of specs) {
    if (existsSync(spec.certPath)) {
      try {
        // Only the key matters here, so only the SPKI is looked at: a full reading of three certificates per boot
        // would find nothing this comparison needs.
        const block = decodePem(readFileSync(spec.certPath)).find((b) => b.label === "CERTIFICATE");
        if (block && bytesEqual(certificateSpki(block.der), spec.spki)) continue;
      } catch {
        opts.log.warn("edge node certificate unreadable; issuing it again", { cert: spec.commonName });
      }
    }
    issuerCert ??= parseCertificatesPem(device.certificate.pem)[0]!;
    const issued = await issueDeviceCertificate({
      issuer: { signer: device, cert: issuerCert },
      subjectPublicKey: spec.spki,
      commonName: spec.commonName,
      now: opts.now(),
    });
    writeFileAtomic(spec.certPath, issued.pem, 0o644);
    opts.log.info("edge node certificate issued", { cert: spec.commonName });
  }
}

/** Software ECDH and attestation keys next to their certs (EVE's createSoftCerts). */
export async function ensureSoftEdgeNodeCerts(layout: DeviceLayout, device: KeyIdentity, opts: { now: () => Date; log: Logger }): Promise<void> {
  const specs: EdgeNodeCertSpec[] = [];
  for (const p of [
    { cert: layout.persist.ecdhCert, key: layout.persist.ecdhKey, cn: DEVICE_CERT_CN.ecdh },
    { cert: layout.persist.attestCert, key: layout.persist.attestKey, cn: DEVICE_CERT_CN.attestation },
  ]) {
    let key;
    if (existsSync(p.key)) key = softKeyFromPem(readFileSync(p.key));
    else {
      key = generateSoftKey();
      writeFileAtomic(p.key, softKeyToPem(key), 0o600);
    }
    specs.push({ certPath: p.cert, commonName: p.cn, spki: spkiFromP256Point(softSigner(key).publicKey) });
  }
  await ensureEdgeNodeCerts(device, specs, opts);
}
