/** The real Adam controller (test/harness/adam) as a ControllerPeer. */
import { linkSync, readFileSync, rmSync, statSync, watch, writeFileSync } from "node:fs";
import { join } from "node:path";
import { ADAM_V013_DIFFERENCES, type AdamDifference, type AdamInstall, adamDeviceConfig, startAdam } from "../adam/index.ts";
import { AdminStatusError, type StoredKeysJson } from "../admin/index.ts";
import type { ControllerPeer } from "./peer.ts";

/** Slower config polls and retries than the harness default: fewer concurrent writes of v0.1.3's unlocked options.json. */
export const ADAM_V013_TIMERS = { configIntervalMs: 4000, attestRetryMs: 1000 };

/** What v0.1.3's CreateBaseDeviceOptions writes: Go's encoding/json of an empty DeviceOptions. */
const BASE_DEVICE_OPTIONS = '{"nonce":"","integrityToken":"","receivedPCRTemplate":null,"attested":false}';

export async function startAdamPeer(install: AdamInstall): Promise<ControllerPeer> {
  const adam = await startAdam({ install });
  const differs = (d: AdamDifference) => !install.pinned && d in ADAM_V013_DIFFERENCES;
  const unlocked = differs("unlocked-json-writes");
  const stopSeeding = unlocked ? seedDeviceOptions(adam.dbDir) : () => {};
  const logLines = (re: RegExp) =>
    adam
      .log()
      .split("\n")
      .flatMap((l) => re.exec(l)?.[1] ?? []);

  const settled = async <T>(what: string, read: () => Promise<T>): Promise<T> => {
    for (let attempt = 1; ; attempt++) {
      try {
        return await read();
      } catch (e) {
        // Options, certs and storage keys are truncated before they are rewritten (empty or
        // partial JSON, or 400/500 from the admin call), and a requests dump can end inside a
        // record that is being appended.
        const racy = e instanceof SyntaxError || (e instanceof AdminStatusError && (e.status === 400 || e.status === 500));
        if (!unlocked || !racy || attempt >= 20) throw new Error(`${what}: ${e instanceof Error ? e.message : String(e)}`, { cause: e });
        await Bun.sleep(100);
      }
    }
  };

  return {
    kind: "adam",
    client: adam.client,
    fetch: adam.fetch,
    agentTimers: unlocked ? ADAM_V013_TIMERS : {},
    differs,
    deviceFiles: (onboard) =>
      // No soft_serial: scenarios give the agent its serial as a hardware serial, so Adam matches on ZRegisterMsg.serial alone.
      adamDeviceConfig(adam, { onboardCertPem: onboard.certPem, onboardKeyPem: onboard.keyPem }),
    settled,
    storedKeys: (uuid) =>
      // No admin call for it; rewritten (truncate, write) on every STORE_KEYS.
      settled("storage-keys.json", async () => JSON.parse(readFileSync(join(adam.dbDir, "device", uuid, "storage-keys.json"), "utf8")) as StoredKeysJson),
    // The file driver writes the device cert when /register creates the device.
    registeredAtMs: (uuid) => statSync(join(adam.dbDir, "device", uuid, "device-certificate.pem")).mtimeMs,
    // v0.1.3 and the pin log the same prefix.
    registerRefusals: () => logLines(/Failed in registerProcess: (.*)$/),
    quoteRefusals: () => logLines(/(?:quoteValidate|templateAttest) failed: (.*)$/),
    async unreachable(body) {
      // Stopped, Adam accepts connections into the kernel's backlog and answers none until SIGCONT.
      process.kill(adam.pid, "SIGSTOP");
      try {
        return await body();
      } finally {
        process.kill(adam.pid, "SIGCONT");
      }
    },
    log: () => adam.log(),
    async stop() {
      stopSeeding();
      await adam.stop();
    },
  };
}

/**
 * The alternative for "unlocked-json-writes" at registration: v0.1.3
 * creates device/<uuid>/options.json lazily, in whichever of the device's
 * first /attest and /config handlers reads it first, each with os.Create
 * (truncate) and a plain write. EVE's first contact sends the cert upload,
 * the nonce request and a config poll together; when a short default write
 * lands after the longer nonce write, the file keeps the longer one's tail
 * ("invalid character 's' after top-level value") and Adam answers 500 to
 * every /attest and /config of that device from then on. Creating the same
 * default file, atomically, the moment registration makes the device dir
 * leaves the nonce write as the file's only writer. Returns the function
 * that stops watching.
 */
function seedDeviceOptions(dbDir: string): () => void {
  const devices = join(dbDir, "device");
  const watcher = watch(devices, (_event, name) => {
    if (!name) return;
    const dir = join(devices, String(name));
    const scratch = join(dbDir, `.options-seed-${String(name)}`);
    try {
      if (!statSync(dir).isDirectory()) return;
      writeFileSync(scratch, BASE_DEVICE_OPTIONS);
      // link() never replaces: if Adam got there first, its file stays as it is.
      linkSync(scratch, join(dir, "options.json"));
    } catch {
      // Gone again, or already there: nothing to seed.
    } finally {
      rmSync(scratch, { force: true });
    }
  });
  return () => watcher.close();
}
