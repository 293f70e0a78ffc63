#!/usr/bin/env bun
import { parseArgs } from "node:util";
import { loadConfig, ConfigError, statusSocketPath } from "./config/index.ts";
import { createLogger, errorChain } from "./shared/index.ts";
import { fetchStatus, renderStatus } from "./status/index.ts";
import { runAgent } from "./main.ts";
import { runChecks, renderChecks } from "./check/index.ts";
import { AGENT_VERSION } from "./version.ts";
import { InstanceLockError } from "./state/index.ts";

const SHUTDOWN_GRACE_MS = 4500;

const USAGE = `usage: edge-agent <command> [options]

commands:
  run       run the agent (onboarding, attestation, vault, config, info)
  status    print the running agent's status (--json for the raw document)
  check     diagnose the device: files, certificates, clock, TPM self-test, controller,
            agent; each result ok, warn or fail with a hint (--json for a JSON array);
            exits 1 when any check fails
  version   print the version

options:
  --config FILE   config file (default /etc/edge-agent/agent.toml)
  --root DIR      device root holding config/ and persist/ (default /)
  --socket PATH   status socket (status and check commands)
  --json          machine-readable output (status and check commands)
`;

async function main(argv: string[]): Promise<number> {
  const { values, positionals } = parseArgs({
    args: argv,
    options: {
      config: { type: "string" },
      root: { type: "string" },
      socket: { type: "string" },
      json: { type: "boolean" },
      help: { type: "boolean", short: "h" },
    },
    allowPositionals: true,
  });
  const cmd = positionals[0];
  if (values.help || !cmd) {
    process.stdout.write(USAGE);
    return cmd || values.help ? 0 : 2;
  }
  if (cmd === "version") {
    process.stdout.write(`edge-agent ${AGENT_VERSION}\n`);
    return 0;
  }
  const overrides: Record<string, unknown> = {};
  if (values.root) overrides.root = values.root;
  if (values.socket) overrides.status = { socket: values.socket };
  let cfg;
  try {
    cfg = loadConfig({ ...(values.config ? { file: values.config } : {}), overrides });
  } catch (e) {
    process.stderr.write(`edge-agent: ${e instanceof ConfigError ? e.message : errorChain(e)}\n`);
    return 2;
  }
  if (cmd === "status") {
    try {
      const doc = await fetchStatus(statusSocketPath(cfg));
      process.stdout.write(values.json ? JSON.stringify(doc, null, 2) + "\n" : renderStatus(doc));
      return 0;
    } catch (e) {
      process.stderr.write(`edge-agent: cannot read status from ${statusSocketPath(cfg)}: ${(e as Error).message}\n`);
      return 1;
    }
  }
  if (cmd === "check") {
    const results = await runChecks(cfg, statusSocketPath(cfg));
    process.stdout.write(values.json ? JSON.stringify(results, null, 2) + "\n" : renderChecks(results));
    return results.some((r) => r.verdict === "fail") ? 1 : 0;
  }
  if (cmd === "run") {
    const log = createLogger({ level: cfg.log.level });
    const ac = new AbortController();
    for (const sig of ["SIGINT", "SIGTERM"] as const) {
      process.on(sig, () => {
        if (ac.signal.aborted) return;
        log.info("stopping", { signal: sig });
        ac.abort();
        // Everything in flight is aborted; this only guards against a stuck TPM call, well inside systemd's stop timeout.
        setTimeout(() => {
          log.error("did not stop in time; exiting", { graceMs: SHUTDOWN_GRACE_MS });
          process.exit(1);
        }, SHUTDOWN_GRACE_MS).unref();
      });
    }
    try {
      await runAgent(cfg, log, ac.signal);
      log.info("stopped");
      return 0;
    } catch (e) {
      if (e instanceof InstanceLockError) {
        process.stderr.write(`edge-agent: ${e.message}\n`);
        return 1;
      }
      log.error("agent stopped", { error: errorChain(e) });
      return 1;
    }
  }
  process.stderr.write(`edge-agent: unknown command ${cmd}\n${USAGE}`);
  return 2;
}

process.exit(await main(process.argv.slice(2)));
