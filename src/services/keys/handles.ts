import { createHmac, randomBytes, timingSafeEqual } from "node:crypto";
import { existsSync, mkdirSync, readFileSync } from "node:fs";
import { dirname } from "node:path";
import { writeFileAtomic } from "../../state/index.ts";
import { ApiError } from "../http/routes.ts";

export type KeyRef = { kind: "keypair" | "key"; id: string };

const KEY_BYTES = 32;

/**
 * Key handles as aziot-keyd makes them: `sr=<base64 JSON naming the key and
 * a random nonce>&sig=<base64 HMAC-SHA256 of it>`. The HMAC key lives for
 * one boot (a 0600 file under /run, which the kernel clears at boot), so a
 * handle survives an agent restart but not a reboot, and nobody without the
 * key can make or alter one. Whoever holds a handle may use it: access is
 * decided when the handle is issued.
 */
export class HandleAuthority {
  private constructor(private readonly key: Buffer) {}

  /** The boot's handle key at `path`, created on first use. */
  static open(path: string): HandleAuthority {
    if (existsSync(path)) {
      const key = readFileSync(path);
      if (key.length === KEY_BYTES) return new HandleAuthority(key);
    }
    mkdirSync(dirname(path), { recursive: true, mode: 0o700 });
    const key = randomBytes(KEY_BYTES);
    writeFileAtomic(path, key, 0o600);
    return new HandleAuthority(key);
  }

  static ephemeral(): HandleAuthority {
    return new HandleAuthority(randomBytes(KEY_BYTES));
  }

  issue(ref: KeyRef): string {
    const sr = Buffer.from(JSON.stringify({ [ref.kind === "keypair" ? "keyPair" : "key"]: ref.id, nonce: randomBytes(32).toString("base64") }));
    return `sr=${sr.toString("base64")}&sig=${this.mac(sr).toString("base64")}`;
  }

  /** The key a handle names; 403 for anything this boot's key did not sign. */
  verify(handle: string): KeyRef {
    const invalid = () => new ApiError(403, "invalid key handle");
    let sr: Buffer | undefined;
    let sig: Buffer | undefined;
    for (const part of handle.split("&")) {
      if (part.startsWith("sr=")) sr = Buffer.from(part.slice(3), "base64");
      else if (part.startsWith("sig=")) sig = Buffer.from(part.slice(4), "base64");
      else throw invalid();
    }
    if (!sr || !sig || sig.length !== 32) throw invalid();
    if (!timingSafeEqual(sig, this.mac(sr))) throw invalid();
    let body: unknown;
    try {
      body = JSON.parse(sr.toString("utf8"));
    } catch {
      throw invalid();
    }
    const b = body as { keyPair?: unknown; key?: unknown };
    if (typeof b.keyPair === "string") return { kind: "keypair", id: b.keyPair };
    if (typeof b.key === "string") return { kind: "key", id: b.key };
    throw invalid();
  }

  private mac(data: Buffer): Buffer {
    return createHmac("sha256", this.key).update(data).digest();
  }
}
