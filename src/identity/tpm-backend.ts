import { existsSync, readFileSync } from "node:fs";
import { NV_INDEX, type TpmManager } from "../tpm/index.ts";
import { DEVICE_CERT_CN, spkiFromP256Point, spkiFromRsa } from "../pki/index.ts";
import { writeFileAtomic, type DeviceLayout } from "../state/index.ts";
import { utf8, type Logger } from "../shared/index.ts";
import { IdentityError, ensureEdgeNodeCerts, type DeviceKeyBackend, type EdgeNodeCertSpec } from "./device.ts";
import type { KeyIdentity, P256Signer } from "./signer.ts";

function readCredential(layout: DeviceLayout): string | undefined {
  if (!existsSync(layout.config.tpmCredential)) return undefined;
  const c = readFileSync(layout.config.tpmCredential, "utf8").trim();
  if (c.length < 7) throw new IdentityError("identity.corrupt", `${layout.config.tpmCredential} is shorter than the 7 characters of the device key auth`);
  return c;
}

/**
 * The device key in the TPM at 0x817FFFFF (eve-protocol.md 10.1). Its auth is
 * the first 7 characters of /config/tpm_credential, mirrored to NV 0x1600000;
 * the device cert is mirrored to NV 0x1500000.
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
      await tpm.nvWrite(NV_INDEX.credential, utf8.encode(credential));
      const res = await tpm.ensureKeys({ credential, recreate: true });
      log.info("TPM keys provisioned", { created: res.created.join(",") });
      return tpm.deviceSigner();
    },
    async deviceCertWritten(pem: Uint8Array): Promise<void> {
      await tpm.nvWrite(NV_INDEX.deviceCert, pem);
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
