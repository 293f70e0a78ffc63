import { existsSync, readFileSync } from "node:fs";
import { DEVICE_CERT_CN, type ParsedCert, parseCertificatesPem, spkiFromP256Point, spkiFromRsa, verifyIssuedBy } from "../pki/index.ts";
import { bytesEqual, errorChain, type Logger, type P256Signer } from "../shared/index.ts";
import { type DeviceLayout, writeFileAtomic } from "../state/index.ts";
import { type KeyOrigin, NV_INDEX, type TpmManager } from "../tpm/index.ts";
import { type DeviceKeyBackend, type EdgeNodeCertSpec, ensureEdgeNodeCerts, IdentityError } from "./device.ts";
import { DERIVABLE_DEVICE_KEY_ADVICE } from "./limits.ts";
import type { KeyIdentity } from "./signer.ts";

function readCredential(layout: DeviceLayout): string | undefined {
  if (!existsSync(layout.config.tpmCredential)) return undefined;
  const c = readFileSync(layout.config.tpmCredential, "utf8").trim();
  if (c.length < 7) throw new IdentityError("identity.corrupt", `${layout.config.tpmCredential} is shorter than the 7 characters of the device key auth`);
  return c;
}

/** The `tpm` status fields about how the device and ECDH keys were made. */
export function tpmKeyStatus(tpm: TpmManager): { deviceKey: KeyOrigin; ecdhKey: KeyOrigin; deviceKeyWarning?: string } {
  const deviceKey = tpm.keyOrigin("device");
  return {
    deviceKey,
    ecdhKey: tpm.keyOrigin("ecdh"),
    ...(deviceKey === "derivable" ? { deviceKeyWarning: DERIVABLE_DEVICE_KEY_ADVICE } : {}),
  };
}

/**
 * The device key in the TPM at 0x817FFFFF (docs/tpm.md#persistent-keys), made with
 * TPM2_Create under the SRK on new devices. Its auth is the first 7
 * characters of /config/tpm_credential. Unlike EVE, the credential is not
 * mirrored to NV 0x1600000: an owner-readable index (empty owner auth) would
 * hand the auth to every process that can open the TPM. The device cert is
 * mirrored to NV 0x1500000 and restored from there when the file is lost.
 */
export function tpmDeviceKeyBackend(layout: DeviceLayout, tpm: TpmManager, log: Logger): DeviceKeyBackend {
  return {
    kind: "tpm",
    async loadDeviceKey(): Promise<P256Signer | undefined> {
      // Without a device cert this is first provisioning: EVE recreates every key then.
      if (!existsSync(layout.config.deviceCert)) return undefined;
      if (await tpm.isCleared(layout)) {
        throw new IdentityError(
          "identity.tpm-cleared",
          "the TPM was cleared: the device key certified by /config/device.cert.pem is gone; the device must be re-provisioned",
        );
      }
      const credential = readCredential(layout);
      if (!credential) throw new IdentityError("identity.inconsistent", `${layout.config.tpmCredential} is missing for an existing TPM device key`);
      await tpm.ensureKeys({ credential });
      return tpm.deviceSigner();
    },
    async createDeviceKey(): Promise<P256Signer> {
      let credential = readCredential(layout);
      if (!credential) {
        credential = crypto.randomUUID();
        writeFileAtomic(layout.config.tpmCredential, credential, 0o600);
      }
      try {
        if (await tpm.nvUndefine(NV_INDEX.credential)) log.info("removed the TPM credential copy from NV 0x1600000");
      } catch (e) {
        // Not worth a device that never provisions: the copy only weakens the new key to EVE's level.
        log.warn("cannot remove the TPM credential copy from NV 0x1600000; any TPM user can read the device key auth", { error: errorChain(e) });
      }
      const res = await tpm.ensureKeys({ credential, recreate: true });
      log.info("TPM keys provisioned", { created: res.created.join(",") });
      return tpm.deviceSigner();
    },
    async deviceCertWritten(pem: Uint8Array): Promise<void> {
      await tpm.nvWrite(NV_INDEX.deviceCert, pem);
    },
    /**
     * EVE's recovery: /config/device.cert.pem is gone but the device key is
     * still in the TPM, so the NV copy is the cert the controller knows. It is
     * used only when it names the device key and that key signed it.
     */
    async recoverDeviceCert(): Promise<{ pem: Uint8Array; from: string } | undefined> {
      const credential = readCredential(layout);
      if (!credential || !(await tpm.hasKey("device"))) return undefined;
      const pem = await tpm.nvRead(NV_INDEX.deviceCert);
      if (!pem) {
        log.warn("the device key exists but NV 0x1500000 holds no device certificate; provisioning a new identity");
        return undefined;
      }
      await tpm.ensureKeys({ credential });
      const point = tpm.deviceSigner().publicKey;
      let cert: ParsedCert | undefined;
      let why = "it does not certify the device key";
      try {
        cert = parseCertificatesPem(pem)[0];
        if (cert && !(cert.publicKey.kind === "ec" && bytesEqual(cert.publicKey.point, point) && (await verifyIssuedBy(cert, cert)))) cert = undefined;
      } catch (e) {
        cert = undefined;
        why = `it is not a certificate: ${errorChain(e)}`;
      }
      if (!cert) {
        log.warn(`ignoring the device certificate in NV 0x1500000: ${why}`);
        return undefined;
      }
      return { pem, from: "TPM NV 0x1500000" };
    },
  };
}

/** ECDH, attestation and EK certificates for the TPM keys (EVE's createCerts). */
export async function ensureTpmEdgeNodeCerts(
  layout: DeviceLayout,
  device: KeyIdentity,
  tpm: TpmManager,
  opts: { now: () => Date; log: Logger },
): Promise<void> {
  const spki = (name: "ecdh" | "quote" | "ek"): Uint8Array => {
    const k = tpm.publicKey(name);
    return k.kind === "ec" ? spkiFromP256Point(k.point) : spkiFromRsa(k.modulus, k.exponent);
  };
  const specs: EdgeNodeCertSpec[] = [
    { certPath: layout.persist.ecdhCert, commonName: DEVICE_CERT_CN.ecdh, spki: spki("ecdh") },
    { certPath: layout.persist.attestCert, commonName: DEVICE_CERT_CN.attestation, spki: spki("quote") },
    { certPath: layout.persist.ekCert, commonName: DEVICE_CERT_CN.endorsement, spki: spki("ek") },
  ];
  await ensureEdgeNodeCerts(device, specs, opts);
}
