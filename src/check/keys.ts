import { createHash, randomBytes } from "node:crypto";
import { existsSync, readFileSync } from "node:fs";
import type { AgentConfig } from "../config/index.ts";
import { describePkcs11Uri, Pkcs11, parseSlotSelector } from "../pkcs11/index.ts";
import { type ParsedCert, parseCertificatesPem, verifySha256Signature } from "../pki/index.ts";
import { keyPairFromPemFile, keyPairFromPkcs11 } from "../services/index.ts";
import { errorChain } from "../shared/index.ts";
import type { CheckResult } from "./result.ts";

/**
 * `[keys]`: the PKCS#11 module loads, the base slot's token opens (with its
 * PIN), and each preloaded key exists and matches its certificate: same
 * public key, and a signature it makes now verifies with the certificate.
 * Nothing is created or changed in the token.
 */
export async function preloadedKeyChecks(cfg: AgentConfig): Promise<CheckResult[]> {
  const out: CheckResult[] = [];
  let p11: Pkcs11 | undefined;
  if (cfg.keys.pkcs11LibPath) {
    try {
      p11 = await Pkcs11.open({ libPath: cfg.keys.pkcs11LibPath, thread: "inline" });
      out.push({ name: "pkcs11 module", verdict: "ok", detail: `${p11.path}: ${p11.info.manufacturer} ${p11.info.description}`.trim() });
    } catch (e) {
      out.push({
        name: "pkcs11 module",
        verdict: "fail",
        detail: `${cfg.keys.pkcs11LibPath}: ${errorChain(e)}`,
        hint: "check keys.pkcs11_lib_path and that the module's own configuration (e.g. SOFTHSM2_CONF) is readable by the agent",
      });
    }
  }
  try {
    if (p11 && cfg.keys.pkcs11BaseSlot) {
      try {
        const token = await p11.openToken(parseSlotSelector(cfg.keys.pkcs11BaseSlot));
        out.push({
          name: "pkcs11 slot",
          verdict: "ok",
          detail: `token "${token.info.label}" (slot ${token.slotId}) open, ${token.readWrite ? "read-write" : "read-only"}`,
        });
      } catch (e) {
        out.push({
          name: "pkcs11 slot",
          verdict: "fail",
          detail: `${describePkcs11Uri(cfg.keys.pkcs11BaseSlot)}: ${errorChain(e)}`,
          hint: "initialise the token (softhsm2-util --init-token) and put its PIN in the URI (pin-value or pin-source)",
        });
      }
    }
    for (const [id, uri] of Object.entries(cfg.keys.preloaded)) out.push(await preloadedKeyCheck(cfg, id, uri, p11));
  } finally {
    await p11?.close().catch(() => undefined);
  }
  return out;
}

async function preloadedKeyCheck(cfg: AgentConfig, id: string, uri: string, p11: Pkcs11 | undefined): Promise<CheckResult> {
  const name = `preloaded key ${id}`;
  const where = uri.startsWith("pkcs11:") ? describePkcs11Uri(uri) : uri;
  let key;
  try {
    if (uri.startsWith("pkcs11:")) {
      if (!p11) return { name, verdict: "fail", detail: `${where}: the PKCS#11 module did not load` };
      key = keyPairFromPkcs11(id, await p11.findKey(uri));
    } else key = keyPairFromPemFile(id, decodeURIComponent(uri.slice("file://".length)));
  } catch (e) {
    return {
      name,
      verdict: "fail",
      detail: `${where}: ${errorChain(e)}`,
      hint: "the URI must name exactly one private key (object= and/or id=) on a token whose PIN it carries",
    };
  }
  const certId = cfg.identity.pk === id && cfg.identity.cert ? cfg.identity.cert : id;
  const certPath = cfg.certs.preloaded[certId];
  const kind = key.publicKey.kind === "ec" ? "EC P-256" : `RSA-${key.publicKey.modulus.length * 8}`;
  if (!certPath) return { name, verdict: "ok", detail: `${where}: ${kind}; no preloaded certificate to match` };
  let cert: ParsedCert | undefined;
  try {
    cert = existsSync(certPath) ? parseCertificatesPem(readFileSync(certPath))[0] : undefined;
  } catch (e) {
    return { name, verdict: "fail", detail: `${certPath}: ${errorChain(e)}` };
  }
  if (!cert) return { name, verdict: "fail", detail: `${certPath} holds no certificate` };
  try {
    const data = randomBytes(32);
    const digest = createHash("sha256").update(data).digest();
    let ok: boolean;
    if (key.signDigest) ok = cert.publicKey.kind === "ec" && (await verifySha256Signature(cert.publicKey, data, await key.signDigest(digest), "der"));
    else {
      const info = Buffer.concat([Buffer.from("3031300d060960864801650304020105000420", "hex"), digest]);
      ok = cert.publicKey.kind === "rsa" && (await verifySha256Signature(cert.publicKey, data, await key.rsaPkcs1!(info)));
    }
    if (!ok)
      return {
        name,
        verdict: "fail",
        detail: `${where} does not match ${certPath} (${cert.subject})`,
        hint: "the certificate must certify this key; issue it again for the key in the token",
      };
  } catch (e) {
    return { name, verdict: "fail", detail: `${where}: cannot sign with it: ${errorChain(e)}` };
  }
  return { name, verdict: "ok", detail: `${where}: ${kind}, matches ${certPath} (${cert.subject}); a signature made now verifies` };
}
