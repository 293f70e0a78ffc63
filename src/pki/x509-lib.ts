import { installReflectMetadata } from "./reflect-metadata.ts";

installReflectMetadata();

/**
 * @peculiar/x509, loaded only after the Reflect shim is in place. A static
 * import would not do: Bun evaluates CommonJS dependencies (x509's main
 * build, and tsyringe inside it) before the body of any importing ES module,
 * so the shim would come too late. Everything in the agent that needs this
 * library goes through src/pki, which keeps that ordering in one place.
 */
export const x509: typeof import("@peculiar/x509") = await import("@peculiar/x509");
