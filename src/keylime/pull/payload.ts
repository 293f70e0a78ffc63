import { createDecipheriv } from "node:crypto";
import { existsSync, lstatSync, mkdirSync, rmSync } from "node:fs";
import { dirname, join } from "node:path";
import type { Logger } from "../../shared/index.ts";
import { writeNewPrivateFile } from "../../state/index.ts";
import { assertMemoryBacked } from "../payload-dir.ts";
import { PullError } from "./errors.ts";
import { isZip, readZip } from "./zip.ts";

/** Keylime's tenant caps the base64 payload at 1 MiB (max_payload_size); unpacked contents get room to grow. */
export const MAX_EXTRACTED_BYTES = 16 * 1024 * 1024;
const IV_BYTES = 16;
const TAG_BYTES = 16;
/** Where each delivery goes, replaced whole by the next (the rust agent's `unzipped`). */
export const DELIVERY_SUBDIR = "unzipped";
/** The decrypted payload as received (the rust agent's dec_payload_file). */
export const PAYLOAD_FILE = "decrypted_payload";
/** The script a payload may carry (the rust agent's payload_script). */
export const PAYLOAD_SCRIPT = "autorun.sh";
export interface PayloadOptions {
  dir: string;
  /** Take a directory that is not tmpfs/ramfs; a decrypted secret then reaches a disk. */
  allowDiskBacked: boolean;
  /** Run autorun.sh from a delivered archive; never unless the configuration says so. */
  runScript: boolean;
  scriptTimeoutMs: number;
  log: Logger;
}

export interface PayloadDelivery {
  at: string;
  /** Files written, the decrypted payload itself included. */
  files: number;
  bytes: number;
  /** What became of autorun.sh. */
  script: "absent" | "not-allowed" | "started";
}

export interface ScriptOutcome {
  exitCode: number | null;
  timedOut: boolean;
}

/** AES-256-GCM of iv16 ‖ ciphertext ‖ tag16 (kl/crypto.py encrypt). A wrong key or a changed byte fails the tag. */
export function decryptPayload(key: Uint8Array, data: Uint8Array): Uint8Array {
  if (data.length < IV_BYTES + TAG_BYTES) throw new PullError("keylime.pull.payload", "payload is shorter than its IV and tag");
  try {
    const d = createDecipheriv("aes-256-gcm", key, data.subarray(0, IV_BYTES));
    d.setAuthTag(data.subarray(data.length - TAG_BYTES));
    return new Uint8Array(Buffer.concat([d.update(data.subarray(IV_BYTES, data.length - TAG_BYTES)), d.final()]));
  } catch (e) {
    throw new PullError("keylime.pull.payload", "payload does not decrypt with the combined key", { cause: e });
  }
}

/**
 * Makes sure the payload directory is private (0700, ours, not a symlink)
 * and memory-backed, creating it when absent. A decrypted payload is a
 * secret the verifier releases only to an attested device: on tmpfs it is
 * gone at power-off, on a disk it is not.
 */
export function preparePayloadDir(dir: string, allowDiskBacked: boolean): void {
  const refuse = (message: string, cause?: unknown) => new PullError("keylime.pull.payload-dir", message, cause ? { cause } : undefined);
  if (!existsSync(dir)) {
    try {
      mkdirSync(dir, { recursive: true, mode: 0o700 });
    } catch (e) {
      throw refuse(`cannot create ${dir}`, e);
    }
  }
  const st = lstatSync(dir);
  if (st.isSymbolicLink()) throw refuse(`${dir} is a symbolic link; name a real directory`);
  if (!st.isDirectory()) throw refuse(`${dir} is not a directory`);
  const uid = process.geteuid?.() ?? 0;
  if (st.uid !== uid) throw refuse(`${dir} is owned by uid ${st.uid}, not by the agent (uid ${uid})`);
  if (st.mode & 0o077) throw refuse(`${dir} has mode 0${(st.mode & 0o777).toString(8)}, open to group or others`);
  if (!allowDiskBacked) {
    try {
      assertMemoryBacked(dir);
    } catch (e) {
      throw refuse(`${(e as Error).message}, or set keylime.payloadDirAnyFs`, e);
    }
  }
}

/**
 * Writes a decrypted payload into `<dir>/unzipped/` (replacing the previous
 * delivery): the payload as `decrypted_payload`, and when it is a zip
 * archive (`keylime_tenant --include`), its files beside it. autorun.sh is
 * run only when the configuration allows it, with the delivery as its
 * working directory; otherwise it stays a file.
 */
export function deliverPayload(plain: Uint8Array, opts: PayloadOptions, onScript?: (o: ScriptOutcome) => void): PayloadDelivery {
  const target = join(opts.dir, DELIVERY_SUBDIR);
  rmSync(target, { recursive: true, force: true });
  mkdirSync(target, { mode: 0o700 });
  let files = 0;
  let bytes = 0;
  try {
    writeNewPrivateFile(join(target, PAYLOAD_FILE), plain);
    files++;
    bytes += plain.length;
    if (isZip(plain)) {
      for (const e of readZip(plain, MAX_EXTRACTED_BYTES)) {
        const path = join(target, e.name);
        if (e.directory) {
          mkdirSync(path, { recursive: true, mode: 0o700 });
          continue;
        }
        mkdirSync(dirname(path), { recursive: true, mode: 0o700 });
        writeNewPrivateFile(path, e.data);
        files++;
        bytes += e.data.length;
      }
    }
  } catch (e) {
    // A half-written delivery must not look like a whole one to whoever reads the directory.
    rmSync(target, { recursive: true, force: true });
    if (e instanceof PullError) throw e;
    throw new PullError("keylime.pull.payload", "payload could not be written", { cause: e });
  }
  const scriptPath = join(target, PAYLOAD_SCRIPT);
  let script: PayloadDelivery["script"] = "absent";
  if (existsSync(scriptPath)) {
    script = opts.runScript ? "started" : "not-allowed";
    if (opts.runScript) runScript(target, opts, onScript);
    else opts.log.warn("payload carries autorun.sh; not run (keylime.allowPayloadScript is off)");
  }
  return { at: new Date().toISOString(), files, bytes, script };
}

function runScript(cwd: string, opts: PayloadOptions, onScript?: (o: ScriptOutcome) => void): void {
  const proc = Bun.spawn(["/bin/sh", PAYLOAD_SCRIPT], {
    cwd,
    env: { PATH: "/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin" },
    stdin: "ignore",
    stdout: "ignore",
    stderr: "ignore",
  });
  let timedOut = false;
  const timer = setTimeout(() => {
    timedOut = true;
    proc.kill("SIGKILL");
  }, opts.scriptTimeoutMs);
  void proc.exited.then((code) => {
    clearTimeout(timer);
    const outcome = { exitCode: timedOut ? null : code, timedOut };
    opts.log.info("payload script ended", outcome);
    onScript?.(outcome);
  });
}
