import { installReflectMetadata } from "./reflect-metadata.ts";

installReflectMetadata();

/**
 * @peculiar/x509, loaded only after the Reflect shim is in place. A static
 * import would not do: Bun evaluates CommonJS dependencies (x509's main
 * build, and tsyringe inside it) before the body of any importing ES module,
 * so the shim would come too late. Everything in the agent that needs this
 * library goes through src/pki, which keeps that ordering in one place.
 * `require` rather than a top-level `await import`: it keeps the ordering
 * and leaves the module graph free of top-level await, which
 * `bun build --compile --bytecode` needs.
 */
// eslint-disable-next-line @typescript-eslint/no-require-imports
export const x509: typeof import("@peculiar/x509") = require("@peculiar/x509");
