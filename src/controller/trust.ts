import { existsSync, readFileSync } from "node:fs";

const SYSTEM_BUNDLES = ["/etc/ssl/certs/ca-certificates.crt", "/etc/pki/tls/certs/ca-bundle.crt"];

/**
 * TLS trust for the controller: every cert in /config/root-certificate.pem
 * plus the system CA pool, as EVE builds it. Node's `ca` option replaces the
 * default pool, so the system bundle is added explicitly.
 */
export function controllerTrust(rootCertPem: string, systemBundles: string[] = SYSTEM_BUNDLES): string {
  const parts = [rootCertPem.trim()];
  for (const b of systemBundles) {
    if (existsSync(b)) {
      parts.push(readFileSync(b, "utf8").trim());
      break;
    }
  }
  return parts.join("\n") + "\n";
}
