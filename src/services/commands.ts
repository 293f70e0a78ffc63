import { createHash, createPublicKey } from "node:crypto";
import { readFileSync, writeFileSync } from "node:fs";
import { parseArgs } from "node:util";
import { bareId } from "../config/index.ts";
import { AgentError } from "../shared/index.ts";
import { CERTS_API_VERSIONS } from "./certs/api.ts";
import { callService } from "./http/client.ts";
import { KEYS_API_VERSIONS } from "./keys/api.ts";

export const KEYS_USAGE = `usage: edge-agent keys <command> [options]

  create ID [--alg PREFS]   make key pair ID unless it exists (PREFS: ec-p256:rsa-2048:*); prints its handle
  handle ID                 print a handle to key pair ID
  public ID                 print key pair ID's public key (PEM)
  sign ID (--digest HEX | --in FILE) [--out FILE]
                            ECDSA over a SHA-256 digest (or over FILE's SHA-256); prints the DER
                            signature in base64, or writes it to FILE
  delete ID                 delete key pair ID
  secret ID [--usage LIST]  make symmetric key ID in the vault (LIST: sign,encrypt); prints its handle
  encrypt ID --iv HEX [--aad HEX] --in FILE --out FILE
  decrypt ID --iv HEX [--aad HEX] --in FILE --out FILE
                            AEAD with symmetric key ID

IDs may be written key://ID. Calls go to keys.sock as the calling user.
`;

export const CERTS_USAGE = `usage: edge-agent certs <command> [options]

  get ID [--out FILE]       print (or write) certificate ID, PEM, leaf first
  import ID FILE            store FILE's PEM certificates as ID
  issue ID --csr FILE --issuer CERT [--issuer-key KEY] [--out FILE]
                            issue ID from a PKCS#10 request, signed by key KEY (default: CERT's id)
                            under certificate CERT; prints the chain
  delete ID                 delete certificate ID

IDs may be written cert://ID. Calls go to certs.sock as the calling user.
`;

/** A command-line mistake or a refusal by a service, printed as is. */
export class CommandError extends AgentError {
  constructor(message: string) {
    super("cli.command", message);
  }
}

type Out = { stdout: (s: string) => void };

async function ok<T>(p: Promise<{ status: number; body: T }>, what: string): Promise<T> {
  const r = await p;
  if (r.status >= 300) throw new CommandError(`${what}: ${r.status} ${(r.body as { message?: string } | undefined)?.message ?? ""}`.trim());
  return r.body;
}

function hexArg(v: string | undefined, name: string): Uint8Array {
  if (v === undefined || !/^([0-9a-fA-F]{2})*$/.test(v)) throw new CommandError(`--${name} must be hex`);
  return new Uint8Array(Buffer.from(v, "hex"));
}

const b64 = (b: Uint8Array) => Buffer.from(b).toString("base64");

/** `edge-agent keys …`: a client of keys.sock. */
export async function keysCommand(args: string[], socket: string, out: Out): Promise<void> {
  const { values, positionals } = parseArgs({
    args,
    options: {
      alg: { type: "string" },
      digest: { type: "string" },
      in: { type: "string" },
      out: { type: "string" },
      usage: { type: "string" },
      iv: { type: "string" },
      aad: { type: "string" },
    },
    allowPositionals: true,
  });
  const [cmd, rawId] = positionals;
  if (!cmd || !rawId) throw new CommandError(KEYS_USAGE);
  const id = bareId(rawId, "key");
  const v = KEYS_API_VERSIONS.at(-1)!;
  const call = <T>(method: string, path: string, body?: unknown) =>
    ok(callService<T>(socket, method, path, { apiVersion: v, ...(body !== undefined ? { body } : {}) }), `keys ${cmd} ${id}`);
  const handle = async () => (await call<{ keyHandle: string }>("GET", `/keypair/${encodeURIComponent(id)}`)).keyHandle;
  const secret = async () => (await call<{ keyHandle: string }>("GET", `/key/${encodeURIComponent(id)}`)).keyHandle;
  switch (cmd) {
    case "create":
      out.stdout(
        `${(await call<{ keyHandle: string }>("POST", "/keypair", { keyId: id, ...(values.alg ? { preferredAlgorithms: values.alg } : {}) })).keyHandle}\n`,
      );
      return;
    case "handle":
      out.stdout(`${await handle()}\n`);
      return;
    case "public": {
      const h = await handle();
      const param = async (name: string) => (await call<{ value: string }>("POST", `/parameters/${name}`, { keyHandle: h })).value;
      const alg = await param("algorithm");
      const b64u = (s: string) => Buffer.from(s, "base64").toString("base64url");
      const key =
        alg === "ECDSA"
          ? await (async () => {
              const p = Buffer.from(await param("ec-point"), "base64");
              return { kty: "EC", crv: "P-256", x: p.subarray(1, 33).toString("base64url"), y: p.subarray(33).toString("base64url") };
            })()
          : { kty: "RSA", n: b64u(await param("rsa-modulus")), e: b64u(await param("rsa-exponent")) };
      out.stdout(createPublicKey({ key, format: "jwk" }).export({ type: "spki", format: "pem" }) as string);
      return;
    }
    case "sign": {
      let digest: Uint8Array;
      if (values.digest !== undefined) digest = hexArg(values.digest, "digest");
      else if (values.in !== undefined) digest = new Uint8Array(createHash("sha256").update(readFileSync(values.in)).digest());
      else throw new CommandError("keys sign needs --digest HEX or --in FILE");
      const sig = (await call<{ signature: string }>("POST", "/sign", { keyHandle: await handle(), algorithm: "ECDSA", parameters: { digest: b64(digest) } }))
        .signature;
      if (values.out) writeFileSync(values.out, Buffer.from(sig, "base64"));
      else out.stdout(`${sig}\n`);
      return;
    }
    case "delete":
      await call("DELETE", "/keypair", { keyHandle: await handle() });
      return;
    case "secret":
      out.stdout(`${(await call<{ keyHandle: string }>("POST", "/key", { keyId: id, usage: values.usage ?? "sign,encrypt" })).keyHandle}\n`);
      return;
    case "encrypt":
    case "decrypt": {
      if (!values.in || !values.out) throw new CommandError(`keys ${cmd} needs --in FILE and --out FILE`);
      const parameters = { iv: b64(hexArg(values.iv, "iv")), aad: b64(values.aad ? hexArg(values.aad, "aad") : new Uint8Array(0)) };
      const data = b64(readFileSync(values.in));
      const body =
        cmd === "encrypt"
          ? { keyHandle: await secret(), algorithm: "AEAD", parameters, plaintext: data }
          : { keyHandle: await secret(), algorithm: "AEAD", parameters, ciphertext: data };
      const r = await call<{ ciphertext?: string; plaintext?: string }>("POST", `/${cmd}`, body);
      writeFileSync(values.out, Buffer.from((r.ciphertext ?? r.plaintext)!, "base64"), { mode: 0o600 });
      return;
    }
    default:
      throw new CommandError(KEYS_USAGE);
  }
}

/** `edge-agent certs …`: a client of certs.sock (issuing also asks keys.sock for the issuer's key handle). */
export async function certsCommand(args: string[], sockets: { certs: string; keys: string }, out: Out): Promise<void> {
  const { values, positionals } = parseArgs({
    args,
    options: { out: { type: "string" }, csr: { type: "string" }, issuer: { type: "string" }, "issuer-key": { type: "string" } },
    allowPositionals: true,
  });
  const [cmd, rawId, file] = positionals;
  if (!cmd || !rawId) throw new CommandError(CERTS_USAGE);
  const id = bareId(rawId, "cert");
  const v = CERTS_API_VERSIONS.at(-1)!;
  const what = `certs ${cmd} ${id}`;
  const path = `/certificates/${encodeURIComponent(id)}`;
  const emit = (pem: string) => (values.out ? writeFileSync(values.out, pem) : out.stdout(pem));
  switch (cmd) {
    case "get":
      emit((await ok(callService<{ pem: string }>(sockets.certs, "GET", path, { apiVersion: v }), what)).pem);
      return;
    case "import":
      if (!file) throw new CommandError("certs import needs a PEM file");
      await ok(callService(sockets.certs, "PUT", path, { apiVersion: v, body: { pem: readFileSync(file, "utf8") } }), what);
      return;
    case "issue": {
      if (!values.csr || !values.issuer) throw new CommandError("certs issue needs --csr FILE and --issuer CERT");
      const issuer = bareId(values.issuer, "cert");
      const keyId = bareId(values["issuer-key"] ?? issuer, "key");
      const h = await ok(
        callService<{ keyHandle: string }>(sockets.keys, "GET", `/keypair/${encodeURIComponent(keyId)}`, { apiVersion: KEYS_API_VERSIONS.at(-1)! }),
        `keys handle ${keyId}`,
      );
      const body = { certId: id, csr: readFileSync(values.csr, "utf8"), issuer: { certId: issuer, privateKeyHandle: h.keyHandle } };
      emit((await ok(callService<{ pem: string }>(sockets.certs, "POST", "/certificates", { apiVersion: v, body }), what)).pem);
      return;
    }
    case "delete":
      await ok(callService(sockets.certs, "DELETE", path, { apiVersion: v }), what);
      return;
    default:
      throw new CommandError(CERTS_USAGE);
  }
}
