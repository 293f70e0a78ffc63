import { installReflectMetadata } from "./reflect-metadata.ts";

type X509 = typeof import("@peculiar/x509");

let lib: X509 | undefined;

function load(): X509 {
  if (!lib) {
    installReflectMetadata();
    // eslint-disable-next-line @typescript-eslint/no-require-imports
    lib = require("@peculiar/x509") as X509;
  }
  return lib;
}

/**
 * @peculiar/x509, loaded on first use with the Reflect shim installed first
 * (tsyringe inside it refuses to load without `Reflect.getMetadata`). Only
 * issuing from CSRs needs it; reading certificates does not, so a boot never
 * evaluates it (with tsyringe and its other dependencies). Everything in the
 * agent that needs this library goes through here, which keeps the shim's
 * ordering in one place. `require` rather than `import()`: it keeps the
 * module graph free of top-level await, which `bun build --compile
 * --bytecode` needs.
 */
export const x509: X509 = new Proxy({} as X509, {
  get: (_, name) => Reflect.get(load(), name),
  has: (_, name) => Reflect.has(load(), name),
});
