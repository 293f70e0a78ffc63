import { readFileSync } from "node:fs";
import type { AgentConfig } from "../config/index.ts";
import type { CheckResult } from "./result.ts";

function passwdUids(): Set<number> {
  try {
    return new Set(
      readFileSync("/etc/passwd", "utf8")
        .split("\n")
        .map((l) => Number(l.split(":")[2]))
        .filter((n) => Number.isInteger(n)),
    );
  } catch {
    return new Set();
  }
}

/** The principals table beyond what loading the config already refused: unknown uids, grants that cover every id. */
export function principalChecks(cfg: AgentConfig): CheckResult[] {
  const name = "principals";
  if (cfg.principals.length === 0) return [{ name, verdict: "ok", detail: "no [[principal]]: only root may use the keys, certificates and identity services" }];
  const known = passwdUids();
  const problems: string[] = [];
  for (const p of cfg.principals) {
    const who = `uid ${p.uid}${p.name ? ` (${p.name})` : ""}`;
    if (known.size > 0 && !known.has(p.uid)) problems.push(`${who} has no account in /etc/passwd`);
    if (p.uid === 0) problems.push(`${who}: root may do everything anyway`);
    if (p.keys.includes("*")) problems.push(`${who} is granted every key, the device key included`);
    if (p.keys.length + p.certs.length + p.idtype.length === 0) problems.push(`${who} is granted nothing`);
  }
  if (problems.length > 0) {
    return [
      {
        name,
        verdict: "warn",
        detail: problems.join("; "),
        hint: "review the [[principal]] rows in the agent's config; send SIGHUP to the agent after changing them",
      },
    ];
  }
  return [{ name, verdict: "ok", detail: `${cfg.principals.length} principal(s): ${cfg.principals.map((p) => `uid ${p.uid}`).join(", ")}` }];
}

/**
 * `[keys]`: the PKCS#11 module, its base slot and each preloaded key (./keys.ts). That code and what it needs
 * (the module's loader, certificate and key readers) load only when the config has something there to check.
 */
export async function keyChecks(cfg: AgentConfig): Promise<CheckResult[]> {
  if (!cfg.keys.pkcs11LibPath && Object.keys(cfg.keys.preloaded).length === 0) return [];
  const { preloadedKeyChecks } = await import("./keys.ts");
  return await preloadedKeyChecks(cfg);
}
