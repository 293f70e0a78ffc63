type Asn1 = typeof import("@peculiar/asn1-schema") & typeof import("@peculiar/asn1-x509");

let libs: Asn1 | undefined;

/**
 * asn1js with @peculiar's schema and X.509 classes, loaded on first use.
 * Evaluating them costs a start-up milliseconds of CPU, and a boot whose
 * certificates exist and read plainly (certificate.ts) builds and parses
 * nothing with them. Code that builds certificates or reads the rarer forms
 * takes them from here. `require`, not `import()`: no top-level await in the
 * module graph (`--bytecode` builds), and callers stay synchronous.
 */
export function asn1(): Asn1 {
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  libs ??= { ...require("@peculiar/asn1-schema"), ...require("@peculiar/asn1-x509") } as Asn1;
  return libs;
}
