import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";

export interface DeviceFiles {
  server: string;
  rootCertPem: string;
  onboard?: { certPem: string; keyPem: string };
  softSerial?: string;
}

/** Writes an EVE /config directory as an installer would. */
export function writeDeviceConfig(root: string, files: DeviceFiles): void {
  const c = join(root, "config");
  mkdirSync(c, { recursive: true });
  writeFileSync(join(c, "server"), files.server);
  writeFileSync(join(c, "root-certificate.pem"), files.rootCertPem);
  if (files.onboard) {
    writeFileSync(join(c, "onboard.cert.pem"), files.onboard.certPem);
    writeFileSync(join(c, "onboard.key.pem"), files.onboard.keyPem, { mode: 0o600 });
  }
  if (files.softSerial) writeFileSync(join(c, "soft_serial"), files.softSerial + "\n");
}

const roots: string[] = [];

/** A fresh device root; `removeTempRoots()` deletes all of them. */
export function tempRoot(prefix = "edge-agent-device-"): string {
  const dir = mkdtempSync(join(tmpdir(), prefix));
  roots.push(dir);
  return dir;
}

/** Call from afterAll; EDGE_AGENT_KEEP_TEST_DIRS=1 keeps them for a post-mortem. */
export function removeTempRoots(): void {
  if (process.env.EDGE_AGENT_KEEP_TEST_DIRS) return;
  for (const d of roots.splice(0)) rmSync(d, { recursive: true, force: true });
}
