import { afterAll, describe, expect, test } from "bun:test";
import { cpSync, existsSync, mkdtempSync, readFileSync, rmSync, symlinkSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";

// The codecs load the descriptor generated from proto/ (descriptor.generated.ts);
// this proves a compiled agent carries its schema with it and no .proto text
// to parse at start. The sources are built from a scratch copy that is
// deleted before the binary runs, so nothing under proto/ or src/ can be read
// at run time.
const REPO = join(import.meta.dir, "../..");
const FIXTURE = readFileSync(join(import.meta.dir, "../../test/fixtures/protocol/zattestreq-quote.hex"), "utf8").trim();
const dir = mkdtempSync(join(tmpdir(), "edge-agent-compile-"));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

const ENTRY = `
import { codec, ZAttestReqType } from "./src/protocol/index.ts";
const fixture = ${JSON.stringify(FIXTURE)};
const msg = codec.ZAttestReq.decode(new Uint8Array(Buffer.from(fixture, "hex")));
const again = Buffer.from(codec.ZAttestReq.encode(msg)).toString("hex");
console.log(JSON.stringify({
  roundTrip: again === fixture,
  isQuote: msg.reqType === ZAttestReqType.ATTEST_REQ_QUOTE,
  pcrs: msg.quote?.pcr_values.map((p) => p.index),
  origin: msg.quote?.versions[2]?.version,
  longitude: msg.quote?.gps_info?.longitude,
}));
`;

describe("bun build --compile", () => {
  test(
    "encodes and decodes in a standalone binary when run away from the source tree",
    () => {
      for (const part of ["proto", "src"]) {
        cpSync(join(REPO, part), join(dir, part), { recursive: true });
      }
      symlinkSync(join(REPO, "node_modules"), join(dir, "node_modules"));
      writeFileSync(join(dir, "entry.ts"), ENTRY);
      const out = join(dir, "probe");
      const build = Bun.spawnSync([process.execPath, "build", "--compile", "--outfile", out, join(dir, "entry.ts")], { stderr: "pipe", stdout: "pipe" });
      expect(build.stderr.toString()).not.toContain("error");
      expect(build.exitCode).toBe(0);
      // Every .proto file declares a package like this; the text must not be in the binary.
      expect(readFileSync(out).includes("package org.lfedge.eve.")).toBe(false);
      for (const part of ["proto", "src", "node_modules", "entry.ts"]) rmSync(join(dir, part), { recursive: true, force: true });
      expect(existsSync(join(dir, "proto"))).toBe(false);
      const run = Bun.spawnSync([out], { cwd: dir, env: { PATH: "/usr/bin:/bin" }, stderr: "pipe", stdout: "pipe" });
      expect(run.stderr.toString()).toBe("");
      expect(JSON.parse(run.stdout.toString())).toEqual({
        roundTrip: true,
        isQuote: true,
        pcrs: [0, 23],
        origin: "origin.20260101.14.5.1",
        longitude: 151.2093,
      });
    },
    { timeout: 90_000 },
  );
});
