import { bytesEqual } from "../shared/index.ts";
import type { ParsedCert } from "./certificate.ts";
import { PkiError } from "./errors.ts";
import { OID } from "./oids.ts";
import { verifyIssuedBy } from "./verify-issued.ts";

export interface ChainOptions {
  /** Trust anchors: /config/root-certificate.pem. */
  readonly roots: readonly ParsedCert[];
  /** Untrusted helpers for path building: the controller's INTERMEDIATE certs. */
  readonly intermediates: readonly ParsedCert[];
  readonly now: Date;
  /** Controller certs must allow serverAuth: Go checks that by default and EVE keeps the default. */
  readonly requireServerAuth: boolean;
}

// Longest path tried, leaf and root included; real controller chains have 2 or 3.
const MAX_PATH = 8;

/** Extensions this verifier understands; any other one marked critical makes the cert unusable (RFC 5280 4.2). */
const HANDLED_CRITICAL = new Set<string>([
  OID.basicConstraints,
  OID.keyUsage,
  OID.extKeyUsage,
  OID.subjectAltName,
  OID.subjectKeyIdentifier,
  OID.authorityKeyIdentifier,
  OID.certificatePolicies,
]);

function unusable(cert: ParsedCert, now: Date): PkiError | undefined {
  if (now.getTime() < cert.notBefore.getTime()) {
    return new PkiError("pki.chain.not-yet-valid", `${cert.subject} is not valid before ${cert.notBefore.toISOString()} (now ${now.toISOString()})`);
  }
  if (now.getTime() > cert.notAfter.getTime()) {
    return new PkiError("pki.chain.expired", `${cert.subject} expired at ${cert.notAfter.toISOString()} (now ${now.toISOString()})`);
  }
  const unknown = cert.criticalExtensions.find((oid) => !HANDLED_CRITICAL.has(oid));
  if (unknown) return new PkiError("pki.chain.critical-extension", `${cert.subject} has unhandled critical extension ${unknown}`);
  return undefined;
}

/** RFC 5280 4.2.1.9 and 4.2.1.3: may `issuer` sign certs, with `below` intermediates already under it? */
function cannotIssue(issuer: ParsedCert, below: number): PkiError | undefined {
  const bc = issuer.basicConstraints;
  if (bc ? !bc.ca : issuer.version >= 3) {
    return new PkiError("pki.chain.not-ca", `${issuer.subject} is not a CA certificate`);
  }
  if (issuer.keyUsage && !issuer.keyUsage.includes("keyCertSign")) {
    return new PkiError("pki.chain.not-ca", `${issuer.subject} has a key usage without keyCertSign`);
  }
  if (bc?.pathLength !== undefined && below > bc.pathLength) {
    return new PkiError("pki.chain.path-length", `${issuer.subject} allows ${bc.pathLength} intermediates below it, path has ${below}`);
  }
  return undefined;
}

async function badSignature(cert: ParsedCert, issuer: ParsedCert): Promise<PkiError | undefined> {
  try {
    if (await verifyIssuedBy(cert, issuer)) return undefined;
    return new PkiError("pki.chain.signature", `signature on ${cert.subject} does not verify with the key of ${issuer.subject}`);
  } catch (e) {
    return new PkiError("pki.chain.signature", `signature on ${cert.subject} cannot be checked`, { cause: e });
  }
}

/**
 * Go's verifier applies the requested usage to every certificate of the path,
 * not just the leaf; a cert without the extension, or with
 * anyExtendedKeyUsage, does not restrict.
 */
function wrongUsage(path: readonly ParsedCert[]): PkiError | undefined {
  for (const cert of path) {
    const eku = cert.extKeyUsage;
    if (eku && !eku.includes(OID.serverAuth) && !eku.includes(OID.anyExtendedKeyUsage)) {
      return new PkiError("pki.chain.eku", `${cert.subject} is not valid for serverAuth (extended key usage ${eku.join(", ")})`);
    }
  }
  return undefined;
}

/**
 * EVE's controller-cert rule (eve-protocol.md 5.2): the leaf must chain up to
 * one of `roots`, optionally through `intermediates`, with every cert valid
 * at `now`, each issuer a CA whose key verifies the signature below it, and
 * (when asked) serverAuth allowed along the path. A leaf byte-identical to a
 * root is trusted as it is; Adam's self-signed certs rely on that.
 *
 * Returns the path, leaf first and root last. Throws a PkiError whose kind
 * says why no path was found; with several dead ends, the first one met.
 */
export async function verifyChain(leaf: ParsedCert, opts: ChainOptions): Promise<ParsedCert[]> {
  const own = unusable(leaf, opts.now);
  if (own) throw own;
  const refusals: PkiError[] = [];
  const usable = (path: ParsedCert[]): boolean => {
    const problem = opts.requireServerAuth ? wrongUsage(path) : undefined;
    if (problem) refusals.push(problem);
    return !problem;
  };

  if (opts.roots.some((r) => bytesEqual(r.der, leaf.der))) {
    if (usable([leaf])) return [leaf];
    throw refusals[0]!;
  }

  const isRoot = (c: ParsedCert) => opts.roots.some((r) => bytesEqual(r.der, c.der));
  const candidates = [...opts.roots, ...opts.intermediates.filter((c) => !isRoot(c))];

  const extend = async (path: ParsedCert[]): Promise<ParsedCert[] | undefined> => {
    const child = path[path.length - 1]!;
    for (const parent of candidates) {
      if (!bytesEqual(parent.subjectDer, child.issuerDer)) continue;
      if (path.some((c) => bytesEqual(c.der, parent.der))) continue;
      const problem = unusable(parent, opts.now) ?? cannotIssue(parent, path.length - 1) ?? (await badSignature(child, parent));
      if (problem) {
        refusals.push(problem);
        continue;
      }
      const next = [...path, parent];
      if (isRoot(parent)) {
        if (usable(next)) return next;
      } else if (next.length < MAX_PATH) {
        const done = await extend(next);
        if (done) return done;
      }
    }
    return undefined;
  };

  const path = await extend([leaf]);
  if (path) return path;
  throw refusals[0] ?? new PkiError("pki.chain.untrusted", `no trusted issuer for ${leaf.subject} (issued by ${leaf.issuer})`);
}
