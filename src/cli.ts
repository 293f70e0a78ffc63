#!/usr/bin/env bun
import { parseArgs } from "node:util";
import { loadConfig, ConfigError, defaultConfig, statusSocketPath, serviceSocketPath } from "./config/index.ts";
import { CERTS_USAGE, CommandError, KEYS_USAGE, certsCommand, keysCommand } from "./services/index.ts";
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
            agent, principals, PKCS#11 module and preloaded keys; each result ok, warn or
            fail with a hint (--json for a JSON array); exits 1 when any check fails
  keys      use the keys service (keys.sock): create, handle, public, sign, delete,
            secret, encrypt, decrypt (edge-agent keys --help)
  certs     use the certificates service (certs.sock): get, import, issue, delete
            (edge-agent certs --help)
  version   print the version

options:
  --config FILE   config file (default /etc/edge-agent/agent.toml)
  --root DIR      device root holding config/ and persist/ (default /)
  --socket PATH   status socket (status and check commands)
  --json          machine-readable output (status and check commands)
`;

/** `keys` and `certs` take their own options after the command; --config and --root still pick the device. */
async function serviceCommand(cmd: "keys" | "certs", argv: string[]): Promise<number> {
  // --config and --root pick the device; everything else goes to the command itself.
  const values: { config?: string; root?: string } = {};
  const rest: string[] = [];
  for (let i = 0; i < argv.length; i++) {
    const m = /^--(config|root)(?:=(.*))?$/.exec(argv[i]!);
    if (m) values[m[1] as "config" | "root"] = m[2] ?? argv[++i];
    else rest.push(argv[i]!);
  }
  if (rest.length === 0 || rest.includes("--help") || rest.includes("-h")) {
    process.stdout.write(cmd === "keys" ? KEYS_USAGE : CERTS_USAGE);
    return rest.length === 0 ? 2 : 0;
  }
  let cfg;
  const overrides = typeof values.root === "string" ? { root: values.root } : {};
  try {
    cfg = loadConfig({ ...(typeof values.config === "string" ? { file: values.config } : {}), overrides });
  } catch (e) {
    // The agent's config may be unreadable to a workload's uid (it can hold PINs); the default sockets serve then.
    if (values.config !== undefined || !(e instanceof ConfigError) || !/EACCES|permission denied/i.test(errorChain(e))) {
      process.stderr.write(`edge-agent: ${e instanceof ConfigError ? e.message : errorChain(e)}\n`);
      return 2;
    }
    cfg = { ...defaultConfig(), ...overrides };
  }
  const out = { stdout: (s: string) => void process.stdout.write(s) };
  try {
    if (cmd === "keys") await keysCommand(rest, serviceSocketPath(cfg, "keys"), out);
    else await certsCommand(rest, { certs: serviceSocketPath(cfg, "certs"), keys: serviceSocketPath(cfg, "keys") }, out);
    return 0;
  } catch (e) {
    process.stderr.write(e instanceof CommandError && e.message.startsWith("usage:") ? e.message : `edge-agent: ${e instanceof CommandError ? e.message : errorChain(e)}\n`);
    return e instanceof CommandError && e.message.startsWith("usage:") ? 2 : 1;
  }
}

async function main(argv: string[]): Promise<number> {
  if (argv[0] === "keys" || argv[0] === "certs") return serviceCommand(argv[0], argv.slice(1));
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
    // The device services re-read their principals on SIGHUP; until they run it must not end the agent.
    process.on("SIGHUP", () => log.info("SIGHUP received"));
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
