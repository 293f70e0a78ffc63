// Test helpers for the sync unit tests: a soft controller signing key and a
// scripted stand-in for ControllerClient.post.
import type { ControllerReply, EnvelopeKey } from "../controller/index.ts";
import { classifyStatus } from "../controller/index.ts";
import { generateSoftKey, publicKeyFromSpki, softSigner, spkiFromP256Point } from "../pki/index.ts";
import { codec, controllerCertHash, type EdgeDevConfig, HashAlgorithm, type MessageInit, type SigningCert, sealEnvelope } from "../protocol/index.ts";
import { type Logger, utf8 } from "../shared/index.ts";
import type { ControllerPoster, SigningCertSource } from "./ports.ts";

export interface TestSigner {
  cert: SigningCert;
  seal(payload: Uint8Array): Promise<Uint8Array>;
}

export function makeSigner(label = "signing"): TestSigner {
  const key = generateSoftKey();
  const signer = softSigner(key);
  // Only the hash of these bytes matters to the envelope check, so any unique text will do.
  const pem = utf8.encode(`-----BEGIN CERTIFICATE-----\n${label}-${crypto.randomUUID()}\n-----END CERTIFICATE-----`);
  const cert = { pem, publicKey: publicKeyFromSpki(spkiFromP256Point(key.publicKey)) };
  return {
    cert,
    seal: (payload) =>
      sealEnvelope(payload, signer, {
        senderCertHash: controllerCertHash(pem, HashAlgorithm.HASH_ALGORITHM_SHA256_32BYTES),
        algo: HashAlgorithm.HASH_ALGORITHM_SHA256_32BYTES,
      }),
  };
}

export const TEST_UUID = "5d0767ee-0547-4569-b530-387e526f8cb9";

export function configEnvelope(s: TestSigner, cfg: MessageInit<EdgeDevConfig>, hash: string): Promise<Uint8Array> {
  return s.seal(codec.ConfigResponse.encode({ config: cfg, configHash: hash }));
}

export function reply(status: number, body: Uint8Array = new Uint8Array(), contentType?: string): ControllerReply {
  return {
    action: "test",
    status,
    outcome: classifyStatus(status),
    headers: contentType ? { "content-type": contentType } : {},
    body,
  };
}

export const protoReply = (body: Uint8Array): ControllerReply => reply(200, new Uint8Array(body), "application/x-proto-binary");

/** Answers each post with the next scripted reply (a function may throw to simulate no answer). */
export class ScriptedPoster implements ControllerPoster {
  readonly calls: { action: string; payload: Uint8Array }[] = [];
  constructor(private readonly script: ((action: string, payload: Uint8Array) => ControllerReply | Promise<ControllerReply>)[] = []) {}

  push(...steps: ((action: string, payload: Uint8Array) => ControllerReply | Promise<ControllerReply>)[]): void {
    this.script.push(...steps);
  }

  async post(action: string, payload: Uint8Array, _key: EnvelopeKey): Promise<ControllerReply> {
    this.calls.push({ action, payload });
    const step = this.script.shift();
    if (!step) throw new Error(`unexpected post ${action}`);
    return step(action, payload);
  }
}

export class TestCerts implements SigningCertSource {
  invalidations = 0;
  constructor(public current: SigningCert | undefined) {}
  get certs() {
    return this.current ? { signing: this.current } : undefined;
  }
  invalidate(): void {
    this.invalidations++;
    this.current = undefined;
  }
}

export const dummyKey = { signer: { publicKey: new Uint8Array(65), sign: async () => new Uint8Array(64) }, certDer: new Uint8Array([1]) } satisfies EnvelopeKey;

export function recordingLogger(): Logger & { lines: { level: string; msg: string; fields?: Record<string, unknown> }[] } {
  const lines: { level: string; msg: string; fields?: Record<string, unknown> }[] = [];
  const log = {
    lines,
    debug: (msg: string, fields?: Record<string, unknown>) => lines.push({ level: "debug", msg, ...(fields ? { fields } : {}) }),
    info: (msg: string, fields?: Record<string, unknown>) => lines.push({ level: "info", msg, ...(fields ? { fields } : {}) }),
    warn: (msg: string, fields?: Record<string, unknown>) => lines.push({ level: "warn", msg, ...(fields ? { fields } : {}) }),
    error: (msg: string, fields?: Record<string, unknown>) => lines.push({ level: "error", msg, ...(fields ? { fields } : {}) }),
    child: () => log,
  };
  return log;
}
