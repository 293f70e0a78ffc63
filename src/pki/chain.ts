import { toHex } from "../shared/index.ts";
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
  /**
   * Signature checks spent so far; share one between verifications that
   * belong together (the leaves of one /certs answer) so the budget bounds
   * the whole answer, not each leaf.
   */
  readonly work?: ChainWork;
}

export interface ChainWork {
  signatureChecks: number;
}

// Longest path tried, leaf and root included; real controller chains have 2 or 3.
const MAX_PATH = 8;
/** More intermediates than any real controller sends; a larger set is refused before any search. */
export const MAX_INTERMEDIATES = 32;
/**
 * Signature checks one verification (or one shared ChainWork) may spend:
 * path building over attacker-supplied intermediates must not cost more than
 * this, whatever loops or look-alike names they contain. Go's verifier stops
 * at the same number.
 */
export const MAX_SIGNATURE_CHECKS = 100;

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
 * EVE's controller-cert rule (docs/protocol.md#controller-cert-rules): the leaf must chain up to
 * one of `roots`, optionally through `intermediates`, with every cert valid
 * at `now`, each issuer a CA whose key verifies the signature below it, and
 * (when asked) serverAuth allowed along the path. A leaf byte-identical to a
 * root is trusted as it is; Adam's self-signed certs rely on that.
 *
 * The path is built breadth-first from the leaf, looking issuers up by
 * subject name, and each certificate joins the search once, at the shortest
 * depth it can be reached (which also leaves the most room under any
 * pathLen constraint, so nothing valid is lost). Signature results are kept
 * per (certificate, issuer key), so look-alike issuers sharing a key cost one
 * check. The work therefore grows with the number of certificates times
 * issuer keys, never with the number of paths through them, and is capped
 * outright by MAX_INTERMEDIATES and MAX_SIGNATURE_CHECKS.
 *
 * Returns the path, leaf first and root last. Throws a PkiError whose kind
 * says why no path was found; with several dead ends, the first one met.
 */
export async function verifyChain(leaf: ParsedCert, opts: ChainOptions): Promise<ParsedCert[]> {
  const own = unusable(leaf, opts.now) ?? (opts.requireServerAuth ? wrongUsage([leaf]) : undefined);
  if (own) throw own;

  const ids = new Map<ParsedCert, string>();
  const id = (c: ParsedCert): string => {
    let v = ids.get(c);
    if (v === undefined) ids.set(c, (v = toHex(c.der)));
    return v;
  };
  const rootIds = new Set(opts.roots.map(id));
  if (rootIds.has(id(leaf))) return [leaf];

  const extra = new Map<string, ParsedCert>();
  for (const c of opts.intermediates) if (!rootIds.has(id(c))) extra.set(id(c), c);
  if (extra.size > MAX_INTERMEDIATES) {
    throw new PkiError("pki.chain.too-complex", `${extra.size} intermediate certificates offered, at most ${MAX_INTERMEDIATES} are considered`);
  }
  const bySubject = new Map<string, ParsedCert[]>();
  for (const c of [...opts.roots, ...extra.values()]) {
    const name = toHex(c.subjectDer);
    bySubject.set(name, [...(bySubject.get(name) ?? []), c]);
  }

  const work = opts.work ?? { signatureChecks: 0 };
  const signatures = new Map<string, PkiError | null>();
  const signatureProblem = async (child: ParsedCert, parent: ParsedCert): Promise<PkiError | undefined> => {
    const key = `${id(child)}/${toHex(parent.spkiDer)}`;
    const known = signatures.get(key);
    if (known !== undefined) return known ?? undefined;
    if (work.signatureChecks >= MAX_SIGNATURE_CHECKS) {
      throw new PkiError("pki.chain.too-complex", `no path for ${leaf.subject} within ${MAX_SIGNATURE_CHECKS} signature checks`);
    }
    work.signatureChecks++;
    const problem = await badSignature(child, parent);
    signatures.set(key, problem ?? null);
    return problem;
  };

  interface Step {
    cert: ParsedCert;
    below: Step | undefined;
    /** Certificates under this one; the leaf has 0. */
    depth: number;
  }
  const pathOf = (top: Step): ParsedCert[] => {
    const path: ParsedCert[] = [];
    for (let s: Step | undefined = top; s; s = s.below) path.unshift(s.cert);
    return path;
  };

  const refusals: PkiError[] = [];
  const reached = new Set<string>([id(leaf)]);
  let level: Step[] = [{ cert: leaf, below: undefined, depth: 0 }];
  while (level.length > 0) {
    const nextLevel: Step[] = [];
    for (const child of level) {
      for (const parent of bySubject.get(toHex(child.cert.issuerDer)) ?? []) {
        if (reached.has(id(parent))) continue;
        // child.depth is the number of intermediates under `parent` (the leaf is not one).
        const problem =
          unusable(parent, opts.now) ??
          cannotIssue(parent, child.depth) ??
          (opts.requireServerAuth ? wrongUsage([parent]) : undefined) ??
          (await signatureProblem(child.cert, parent));
        if (problem) {
          refusals.push(problem);
          continue;
        }
        reached.add(id(parent));
        const step = { cert: parent, below: child, depth: child.depth + 1 };
        if (rootIds.has(id(parent))) return pathOf(step);
        if (step.depth + 1 < MAX_PATH) nextLevel.push(step);
      }
    }
    level = nextLevel;
  }
  throw refusals[0] ?? new PkiError("pki.chain.untrusted", `no trusted issuer for ${leaf.subject} (issued by ${leaf.issuer})`);
}
