#!/usr/bin/env bun

const SHUTDOWN_GRACE_MS = 4500;
const JIT_NORMAL_AFTER_MS = 30_000;

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

interface CliOptions {
  config?: string;
  root?: string;
  socket?: string;
  json?: boolean;
}

type Command = (opts: CliOptions, args: string[]) => Promise<number>;

/**
 * The command's output, written in order and awaited before exit. `process.stdout` is a node stream built on
 * first use (node:stream and the fs stream classes), which cost a short command more than the rest of its
 * start-up; Bun's file writer is native.
 */
let written: Promise<unknown> = Promise.resolve();
function emit(to: typeof Bun.stdout, s: string): void {
  written = written.then(() => Bun.write(to, s)).catch(() => undefined);
}
const print = (s: string) => emit(Bun.stdout, s);
const printError = (s: string) => emit(Bun.stderr, s);

// Every command pulls in only its own modules: evaluating the whole agent (TLS, ASN.1, protobuf, curves) for
// `version` or `status` cost most of their start-up. Leaf files rather than a component's index.ts where the
// index would drag in its server side (status/index.ts loads hono's app and the HTTP server).
const COMMANDS: Record<string, () => Promise<Command>> = {
  version: async () => {
    const { AGENT_VERSION } = await import("./version.ts");
    return async () => {
      print(`edge-agent ${AGENT_VERSION}\n`);
      return 0;
    };
  },
  status: async () => {
    const [{ fetchStatus }, { renderStatus }] = await Promise.all([import("./status/client.ts"), import("./status/render.ts")]);
    return async (opts) => {
      const cfg = await loadCliConfig(opts);
      if (typeof cfg === "number") return cfg;
      const { statusSocketPath } = await import("./config/paths.ts");
      const socket = statusSocketPath(cfg);
      try {
        const doc = await fetchStatus(socket);
        print(opts.json ? JSON.stringify(doc, null, 2) + "\n" : renderStatus(doc));
        return 0;
      } catch (e) {
        printError(`edge-agent: cannot read status from ${socket}: ${(e as Error).message}\n`);
        return 1;
      }
    };
  },
  check: async () => {
    return async (opts) => {
      const cfg = await loadCliConfig(opts);
      if (typeof cfg === "number") return cfg;
      const now = new Date();
      const [{ statusSocketPath }, { fetchStatus }] = await Promise.all([import("./config/paths.ts"), import("./status/client.ts")]);
      const socket = statusSocketPath(cfg);
      // The agent answers on the fetch client's own thread while this one loads the checks.
      const status = fetchStatus(socket, 3000);
      status.catch(() => undefined);
      const { runChecks, renderChecks } = await import("./check/index.ts");
      const results = await runChecks(cfg, socket, now, { status });
      print(opts.json ? JSON.stringify(results, null, 2) + "\n" : renderChecks(results));
      return results.some((r) => r.verdict === "fail") ? 1 : 0;
    };
  },
  run: async () => {
    await reexecWithRuntimeEnv();
    const [{ runAgent }, { createLogger, errorChain }, { InstanceLockError }] = await Promise.all([
      import("./main.ts"),
      import("./shared/index.ts"),
      import("./state/index.ts"),
    ]);
    return async (opts) => {
      const cfg = await loadCliConfig(opts);
      if (typeof cfg === "number") return cfg;
      const log = createLogger({ level: cfg.log.level });
      // The executable starts with JIT thresholds raised (package.json build, --compile-jit-policy): a boot's code
      // mostly runs once and compiling it cost more CPU than it saved. What runs after the boot (status, polls)
      // gets the normal policy; a boot is well over by then.
      setTimeout(() => Bun.unsafe.setJITPolicy(1), JIT_NORMAL_AFTER_MS).unref();
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
          printError(`edge-agent: ${e.message}\n`);
          return 1;
        }
        log.error("agent stopped", { error: errorChain(e) });
        return 1;
      }
    };
  },
};

/**
 * Bun's GC timer wakes each VM (the agent's and the TPM Worker's) every second to look at its heap; an idle
 * agent allocates next to nothing, so at its default that is most of the idle CPU. Bun reads the interval
 * from the process environment when a VM starts, which a compiled executable cannot carry and `process.env`
 * set from JS does not reach, so `run` replaces itself once (execve: same pid for the supervisor) with it
 * set. Allocation-driven collections are unaffected. An operator's own value wins. The systemd unit and the
 * image's init set it themselves, which spares a boot that second program start.
 */
const RUNTIME_ENV: Record<string, string> = { BUN_GC_TIMER_INTERVAL: "30000" };
const SIGPWR = 30;
const SIG_IGN = 1n;

async function reexecWithRuntimeEnv(): Promise<void> {
  // Only the compiled executable: a source run (tests) starts through `bun` and its environment is the caller's.
  if (!Bun.main.startsWith("/$bunfs/")) return;
  const missing = Object.entries(RUNTIME_ENV).filter(([k]) => process.env[k] === undefined);
  if (missing.length === 0) return;
  const ffi = await import("bun:ffi");
  let libc;
  try {
    libc = ffi.dlopen("libc.so.6", {
      execve: { args: [ffi.FFIType.ptr, ffi.FFIType.ptr, ffi.FFIType.ptr], returns: ffi.FFIType.i32 },
      signal: { args: [ffi.FFIType.i32, ffi.FFIType.u64], returns: ffi.FFIType.u64 },
    });
  } catch {
    return;
  }
  const cstr = (v: string) => Buffer.from(`${v}\0`);
  const strings: Buffer[] = [];
  const array = (items: string[]) => {
    const a = new BigUint64Array(items.length + 1);
    items.forEach((v, i) => {
      const b = cstr(v);
      strings.push(b);
      a[i] = BigInt(ffi.ptr(b));
    });
    return a;
  };
  const env = { ...process.env, ...Object.fromEntries(missing) };
  const argv = array([process.execPath, ...process.argv.slice(2)]);
  const envp = array(Object.entries(env).map(([k, v]) => `${k}=${v ?? ""}`));
  const path = cstr(process.execPath);
  // JavaScriptCore suspends threads with SIGPWR (sampling profiler, GC). One still pending would survive execve
  // and kill the new image before it installs its handler; ignoring the signal discards it, and the new
  // runtime installs its own handler as it starts.
  libc.symbols.signal(SIGPWR, SIG_IGN);
  // Returns only on failure; the agent then runs with Bun's defaults.
  libc.symbols.execve(ffi.ptr(path), ffi.ptr(argv), ffi.ptr(envp));
  libc.close();
}

/** `keys` and `certs` take their own options after the command; --config and --root still pick the device. */
async function serviceCommand(cmd: "keys" | "certs", argv: string[]): Promise<number> {
  const [{ loadConfig, ConfigError, defaultConfig, serviceSocketPath }, { CERTS_USAGE, CommandError, KEYS_USAGE, certsCommand, keysCommand }, { errorChain }] =
    await Promise.all([import("./config/index.ts"), import("./services/index.ts"), import("./shared/errors.ts")]);
  // --config and --root pick the device; everything else goes to the command itself.
  const values: { config?: string; root?: string } = {};
  const rest: string[] = [];
  for (let i = 0; i < argv.length; i++) {
    const m = /^--(config|root)(?:=(.*))?$/.exec(argv[i]!);
    if (m) values[m[1] as "config" | "root"] = m[2] ?? argv[++i];
    else rest.push(argv[i]!);
  }
  if (rest.length === 0 || rest.includes("--help") || rest.includes("-h")) {
    print(cmd === "keys" ? KEYS_USAGE : CERTS_USAGE);
    return rest.length === 0 ? 2 : 0;
  }
  let cfg;
  const overrides = typeof values.root === "string" ? { root: values.root } : {};
  try {
    cfg = loadConfig({ ...(typeof values.config === "string" ? { file: values.config } : {}), overrides });
  } catch (e) {
    // The agent's config may be unreadable to a workload's uid (it can hold PINs); the default sockets serve then.
    if (values.config !== undefined || !(e instanceof ConfigError) || !/EACCES|permission denied/i.test(errorChain(e))) {
      printError(`edge-agent: ${e instanceof ConfigError ? e.message : errorChain(e)}\n`);
      return 2;
    }
    cfg = { ...defaultConfig(), ...overrides };
  }
  const out = { stdout: (s: string) => print(s) };
  try {
    if (cmd === "keys") await keysCommand(rest, serviceSocketPath(cfg, "keys"), out);
    else await certsCommand(rest, { certs: serviceSocketPath(cfg, "certs"), keys: serviceSocketPath(cfg, "keys") }, out);
    return 0;
  } catch (e) {
    printError(
      e instanceof CommandError && e.message.startsWith("usage:") ? e.message : `edge-agent: ${e instanceof CommandError ? e.message : errorChain(e)}\n`,
    );
    return e instanceof CommandError && e.message.startsWith("usage:") ? 2 : 1;
  }
}

/** The agent's config with the command line's overrides, or the exit code after saying why it is unusable. */
async function loadCliConfig(opts: CliOptions) {
  const [{ loadConfig, ConfigError }, { errorChain }] = await Promise.all([import("./config/load.ts"), import("./shared/errors.ts")]);
  const overrides: Record<string, unknown> = {};
  if (opts.root) overrides.root = opts.root;
  if (opts.socket) overrides.status = { socket: opts.socket };
  try {
    return loadConfig({ ...(opts.config ? { file: opts.config } : {}), overrides });
  } catch (e) {
    printError(`edge-agent: ${e instanceof ConfigError ? e.message : errorChain(e)}\n`);
    return 2;
  }
}

const STRING_OPTIONS = new Set(["config", "root", "socket"]);
const BOOLEAN_OPTIONS = new Set(["json", "help"]);

/**
 * The five options of USAGE (`--name value`, `--name=value`, `-h`). node:util's parseArgs cost `status` about
 * a millisecond of loading, a sixth of a compiled hello, for a command line this small.
 */
function parseOptions(argv: string[]): { values: CliOptions & { help?: boolean }; positionals: string[] } {
  const values: Record<string, string | boolean> = {};
  const positionals: string[] = [];
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i]!;
    if (a === "--") {
      positionals.push(...argv.slice(i + 1));
      break;
    }
    if (a === "-h") values.help = true;
    else if (a.startsWith("--")) {
      const eq = a.indexOf("=");
      const name = eq < 0 ? a.slice(2) : a.slice(2, eq);
      if (STRING_OPTIONS.has(name)) {
        const v = eq < 0 ? argv[++i] : a.slice(eq + 1);
        if (v === undefined) throw new Error(`option '--${name} <value>' argument missing`);
        values[name] = v;
      } else if (BOOLEAN_OPTIONS.has(name) && eq < 0) values[name] = true;
      else throw new Error(`unknown option '${a}'`);
    } else if (a.startsWith("-") && a !== "-") throw new Error(`unknown option '${a}'`);
    else positionals.push(a);
  }
  return { values, positionals };
}

async function main(argv: string[]): Promise<number> {
  if (argv[0] === "keys" || argv[0] === "certs") return serviceCommand(argv[0], argv.slice(1));
  let values: CliOptions & { help?: boolean } = {};
  let positionals = argv;
  try {
    ({ values, positionals } = parseOptions(argv));
  } catch (e) {
    printError(`edge-agent: ${(e as Error).message}\n${USAGE}`);
    return 2;
  }
  const cmd = positionals[0];
  if (values.help || !cmd) {
    print(USAGE);
    return cmd || values.help ? 0 : 2;
  }
  const load = Object.hasOwn(COMMANDS, cmd) ? COMMANDS[cmd] : undefined;
  if (!load) {
    printError(`edge-agent: unknown command ${cmd}\n${USAGE}`);
    return 2;
  }
  const command = await load();
  return command(values, positionals.slice(1));
}

// No top-level await: `bun build --compile --bytecode` refuses a module graph that has one.
main(process.argv.slice(2)).then(
  async (code) => {
    await written;
    process.exit(code);
  },
  async (e) => {
    printError(`edge-agent: ${(e as Error)?.stack ?? String(e)}\n`);
    await written;
    process.exit(1);
  },
);
