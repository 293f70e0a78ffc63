import type { StatusDocument } from "./document.ts";

function line(label: string, value: unknown): string {
  return `  ${label.padEnd(20)} ${value === undefined || value === null || value === "" ? "-" : String(value)}`;
}

function section(title: string, obj: Record<string, unknown>): string[] {
  const out = [title];
  for (const [k, v] of Object.entries(obj)) {
    if (v !== null && typeof v === "object" && !Array.isArray(v)) {
      const inner = Object.entries(v as Record<string, unknown>)
        .map(([ik, iv]) => `${ik}=${typeof iv === "object" ? JSON.stringify(iv) : String(iv)}`)
        .join(" ");
      out.push(line(k, inner));
    } else out.push(line(k, Array.isArray(v) ? v.join(",") : v));
  }
  return out;
}

/** Human-readable form of the status document for `edge-agent status`. */
export function renderStatus(doc: StatusDocument): string {
  const lines = [
    `edge-agent ${doc.agent.version} (pid ${doc.agent.pid}, up ${doc.agent.uptimeSeconds}s)`,
    ...section("device", doc.device),
    ...section("onboarding", doc.onboarding),
    ...section("controller", doc.controller),
    ...section("tpm", doc.tpm),
    ...section("attestation", doc.attestation),
    ...section("vault", doc.vault),
    ...section("config", doc.config),
    ...section("info", doc.info),
  ];
  return lines.join("\n") + "\n";
}
