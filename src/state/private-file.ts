import { closeSync, constants, fchmodSync, openSync, writeSync } from "node:fs";

const CREATE_FLAGS = constants.O_WRONLY | constants.O_CREAT | constants.O_EXCL | constants.O_NOFOLLOW;

/**
 * Creates `path` (0600) and writes `data`, never through a symlink and never
 * over an existing file: a name planted in the directory beforehand makes it
 * throw instead of writing the secret somewhere else.
 */
export function writeNewPrivateFile(path: string, data: Uint8Array): void {
  const fd = openSync(path, CREATE_FLAGS, 0o600);
  try {
    // The umask can only narrow 0600; this makes the mode exact whatever it is.
    fchmodSync(fd, 0o600);
    let off = 0;
    while (off < data.length) off += writeSync(fd, data, off);
  } finally {
    closeSync(fd);
  }
}
