/**
 * A private SoftHSM2 per test file: its own config and token directory in a
 * temp dir, tokens made with softhsm2-util, and the tools (softhsm2-util,
 * pkcs11-tool, openssl) run against it. The module in this process reads
 * SOFTHSM2_CONF with getenv at C_Initialize, which Bun's process.env does
 * not reach, so use() sets it through libc; a test file calls use() before
 * opening the module and closes every client before the next file runs.
 */
import { dlopen, FFIType as T } from "bun:ffi";
import { spawnSync } from "node:child_process";
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";

export const SOFTHSM_MODULE = "/usr/lib/softhsm/libsofthsm2.so";

const libc = dlopen("libc.so.6", {
  setenv: { args: [T.cstring, T.cstring, T.i32], returns: T.i32 },
  unsetenv: { args: [T.cstring], returns: T.i32 },
});
const cstr = (s: string) => Buffer.from(`${s}\0`);

export interface ToolResult {
  status: number;
  stdout: string;
  stderr: string;
}

export interface SoftHsm {
  dir: string;
  conf: string;
  module: string;
  /** Environment for child processes that should see this SoftHSM. */
  env: Record<string, string>;
  /** Points this process's module at this SoftHSM (before Pkcs11.open); cleanup() puts the old value back. */
  use(): void;
  /** Initialises a token in the first free slot; returns its serial and the slot id it moved to. */
  initToken(label: string, pin: string, soPin?: string): { serial: string; slotId: number };
  softhsmUtil(args: string[], opts?: { allowFail?: boolean }): ToolResult;
  pkcs11Tool(args: string[], opts?: { allowFail?: boolean }): ToolResult;
  /** Writes `bytes` to a file in the dir and returns its path. */
  file(name: string, bytes: Uint8Array | string): string;
  cleanup(): void;
}

function run(cmd: string, args: string[], env: Record<string, string>, allowFail = false): ToolResult {
  const r = spawnSync(cmd, args, { encoding: "utf8", env: { ...process.env, ...env } });
  const out = { status: r.status ?? -1, stdout: r.stdout ?? "", stderr: r.stderr ?? String(r.error ?? "") };
  if (!allowFail && out.status !== 0) throw new Error(`${cmd} ${args.join(" ")} failed (${out.status}): ${out.stderr || out.stdout}`);
  return out;
}

export function createSoftHsm(): SoftHsm {
  const dir = mkdtempSync(join(tmpdir(), "edge-agent-softhsm-"));
  const tokens = join(dir, "tokens");
  spawnSync("mkdir", ["-p", tokens]);
  const conf = join(dir, "softhsm2.conf");
  writeFileSync(conf, `directories.tokendir = ${tokens}\nobjectstore.backend = file\nlog.level = ERROR\nslots.removable = false\n`);
  const env = { SOFTHSM2_CONF: conf };
  let previous: { value: string | undefined } | undefined;
  const setConf = (value: string | undefined) => {
    if (value === undefined) {
      delete process.env.SOFTHSM2_CONF;
      libc.symbols.unsetenv(cstr("SOFTHSM2_CONF"));
    } else {
      process.env.SOFTHSM2_CONF = value;
      if (libc.symbols.setenv(cstr("SOFTHSM2_CONF"), cstr(value), 1) !== 0) throw new Error("setenv failed");
    }
  };
  const hsm: SoftHsm = {
    dir,
    conf,
    module: SOFTHSM_MODULE,
    env,
    use() {
      previous ??= { value: process.env.SOFTHSM2_CONF };
      setConf(conf);
    },
    initToken(label, pin, soPin = "87654321") {
      run("softhsm2-util", ["--init-token", "--free", "--label", label, "--so-pin", soPin, "--pin", pin], env);
      const list = run("softhsm2-util", ["--show-slots"], env).stdout;
      // Slots print as blocks; find the one whose token has this label.
      for (const block of list.split(/\nSlot /)) {
        if (new RegExp(`Label:\\s+${label.replace(/[.*+?^${}()|[\]\\]/g, "\\$&")}[ \\t]*(?:\\n|$)`).test(block)) {
          const m = /Serial number:\s+(\S+)/.exec(block);
          if (m) return { serial: m[1]!, slotId: Number(/^(\d+)/.exec(block)![1]) };
        }
      }
      throw new Error(`token ${label} not listed after init:\n${list}`);
    },
    softhsmUtil: (args, opts) => run("softhsm2-util", args, env, opts?.allowFail),
    pkcs11Tool: (args, opts) => run("pkcs11-tool", ["--module", SOFTHSM_MODULE, ...args], env, opts?.allowFail),
    file(name, bytes) {
      const p = join(dir, name);
      writeFileSync(p, bytes);
      return p;
    },
    cleanup() {
      if (previous) setConf(previous.value);
      previous = undefined;
      rmSync(dir, { recursive: true, force: true });
    },
  };
  return hsm;
}

export function openssl(args: string[], opts: { allowFail?: boolean } = {}): ToolResult {
  return run("openssl", args, {}, opts.allowFail);
}
