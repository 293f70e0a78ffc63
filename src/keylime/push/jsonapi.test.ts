import { describe, expect, test } from "bun:test";
import { createPublicKey, verify } from "node:crypto";
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { sha256 } from "@noble/hashes/sha2.js";
import { fromBase64, fromHex, toHex, utf8 } from "../../shared/index.ts";
import { decodePublic, decodeQuoteAttest, publicKeyParts } from "../../tpm/index.ts";
import { decodeAll } from "../../tpm/structures/wire.ts";
import { decodePcrBlob, pcrDigest } from "../quote.ts";
import { PushError } from "./errors.ts";
import {
  capabilitiesRequest,
  errorDetails,
  evidenceRequest,
  MAX_ANSWER_BYTES,
  parseDocument,
  parseEvidenceAcknowledged,
  parseEvidenceRequested,
  parseSessionCreated,
  parseSessionEvaluated,
  sessionCreateRequest,
  sessionProofRequest,
} from "./jsonapi.ts";

/**
 * The push protocol's documents against exchanges recorded between Keylime
 * 7.14.3's push verifier and the rust push agent (test/fixtures/keylime/push,
 * copied from the recorded exchanges in test/fixtures/keylime/): our builders must write what
 * the verifier accepted, our parsers must read what it answered, and the
 * recorded TPM structures must be what we think they are (checked with
 * node's crypto, not with our own code).
 */
const FIX = join(import.meta.dir, "../../../test/fixtures/keylime/push");
const load = (f: string) => JSON.parse(readFileSync(join(FIX, f), "utf8"));
const created = load("00-session-create.json");
const popFail = load("01-session-pop-fail.json");
const popPass = load("02-session-pop-pass.json");
const caps = load("03-attestation-capabilities.json");
const evidence = load("04-attestation-evidence.json");
const AGENT = created.req_body.data.attributes.agent_id as string;
const body = (doc: unknown) => parseDocument(utf8.encode(JSON.stringify(doc)));

const recordedKey = caps.req_body.data.attributes.evidence_supported[0].capabilities.certification_keys[0];
const akPublicArea = fromBase64(recordedKey.public);

/** RSASSA-SHA256 TPMT_SIGNATURE verified with the recorded AK, by node's crypto. */
function akSigned(message: Uint8Array, signature: Uint8Array): boolean {
  // decodePublic reads a TPM2B_PUBLIC; the capabilities carry the bare TPMT_PUBLIC.
  const sized = new Uint8Array(2 + akPublicArea.length);
  new DataView(sized.buffer).setUint16(0, akPublicArea.length);
  sized.set(akPublicArea, 2);
  const parts = publicKeyParts(decodePublic(sized));
  if (parts.kind !== "rsa") throw new Error("recorded AK is not RSA");
  expect(toHex(signature.subarray(0, 4))).toBe("0014000b");
  const key = createPublicKey({ key: { kty: "RSA", n: Buffer.from(parts.modulus).toString("base64url"), e: "AQAB" }, format: "jwk" });
  return verify("sha256", message, key, signature.subarray(6));
}

function malformedAt(f: () => unknown, field: string): void {
  let err: unknown;
  try {
    f();
  } catch (e) {
    err = e;
  }
  expect(err).toBeInstanceOf(PushError);
  expect((err as PushError).kind).toBe("keylime.push.malformed");
  expect((err as PushError).message).toContain(field);
}

const clone = <T>(v: T): T => structuredClone(v);

describe("session (proof of possession)", () => {
  test("the create request is the one the verifier accepted", () => {
    expect(sessionCreateRequest(AGENT)).toEqual(created.req_body);
  });

  test("the created session gives its id and the decoded challenge", () => {
    const s = parseSessionCreated(body(created.resp_body), AGENT);
    expect(s.sessionId).toBe("06a5d0e9-479a-4192-800f-fc47a305a7f7");
    expect(toHex(s.challenge)).toBe(Buffer.from("jlAxhM4+R8eyR6eLrP37Jw==", "base64").toString("hex"));
    expect(s.challenge.length).toBe(16);
    expect(s.challengesExpireAt?.toISOString()).toBe("2026-11-29T20:36:16.108Z");
  });

  test("the recorded proof is TPM2_Certify of the AK by itself over the decoded challenge", () => {
    const req = popPass.req_body.data.attributes.authentication_provided[0].data;
    const message = fromBase64(req.message);
    const signature = fromBase64(req.signature);
    expect(akSigned(message, signature)).toBe(true);
    const attest = decodeAll(message, "TPMS_ATTEST", (r) => {
      const magic = r.u32();
      const type = r.u16();
      const signer = r.tpm2b();
      const extra = r.tpm2b();
      r.bytes(8 + 4 + 4 + 1 + 8);
      return { magic, type, signer, extra, name: r.tpm2b(), qualifiedName: r.tpm2b() };
    });
    expect(attest.magic).toBe(0xff544347);
    expect(attest.type).toBe(0x8017); // TPM_ST_ATTEST_CERTIFY
    const challenge = fromBase64(popPass.resp_body.data.attributes.authentication[0].chosen_parameters.challenge);
    expect(toHex(attest.extra)).toBe(toHex(challenge));
    // The certified object is the AK whose name the capabilities send as local_identifier.
    expect(toHex(attest.name)).toBe(recordedKey.local_identifier);
    expect(toHex(attest.name)).toBe("000b" + toHex(sha256(akPublicArea)));
  });

  test("the proof request round-trips to the recorded one", () => {
    const d = popPass.req_body.data;
    const proof = d.attributes.authentication_provided[0].data;
    expect(sessionProofRequest(d.id, AGENT, { message: fromBase64(proof.message), signature: fromBase64(proof.signature) })).toEqual(popPass.req_body);
  });

  test("pass gives the token and its expiry; fail gives no token", () => {
    const pass = parseSessionEvaluated(body(popPass.resp_body), popPass.resp_body.data.id, AGENT);
    expect(pass).toEqual({
      evaluation: "pass",
      token: "8a4ba9fa-cc14-437c-96db-e5e86bed222d.VwzbU_86OVEMAzaaDvwnVT8W1UA8ZauadnRaHOfUygs",
      tokenExpiresAt: new Date("2026-11-29T20:38:18.972Z"),
      evaluatedAt: new Date("2026-11-29T20:35:18.971Z"),
    });
    expect(parseSessionEvaluated(body(popFail.resp_body), popFail.resp_body.data.id, AGENT)).toEqual({ evaluation: "fail" });
  });

  test("malformed session answers are refused with the field named", () => {
    const c = created.resp_body;
    malformedAt(() => parseSessionCreated(body({}), AGENT), "data");
    malformedAt(() => parseSessionCreated(body({ ...c, data: { ...c.data, type: "attestation" } }), AGENT), "data.type");
    const noId = clone(c);
    delete noId.data.id;
    malformedAt(() => parseSessionCreated(body(noId), AGENT), "data.id");
    malformedAt(() => parseSessionCreated(body(c), "00000000-0000-0000-0000-000000000000"), "data.attributes.agent_id");
    const badB64 = clone(c);
    badB64.data.attributes.authentication_requested[0].chosen_parameters.challenge = "not base64!";
    malformedAt(() => parseSessionCreated(body(badB64), AGENT), "challenge");
    const long = clone(c);
    long.data.attributes.authentication_requested[0].chosen_parameters.challenge = Buffer.alloc(65).toString("base64");
    malformedAt(() => parseSessionCreated(body(long), AGENT), "challenge");
    const otherAuth = clone(c);
    otherAuth.data.attributes.authentication_requested[0].authentication_type = "password";
    malformedAt(() => parseSessionCreated(body(otherAuth), AGENT), "authentication_requested");
    const p = popPass.resp_body;
    malformedAt(() => parseSessionEvaluated(body(p), "another-session", AGENT), "data.id");
    const odd = clone(p);
    odd.data.attributes.evaluation = "maybe";
    malformedAt(() => parseSessionEvaluated(body(odd), p.data.id, AGENT), "evaluation");
    const spaced = clone(p);
    spaced.data.attributes.token = "a b\r\nX-Injected: 1";
    malformedAt(() => parseSessionEvaluated(body(spaced), p.data.id, AGENT), "token");
    const noToken = clone(p);
    delete noToken.data.attributes.token;
    malformedAt(() => parseSessionEvaluated(body(noToken), p.data.id, AGENT), "token");
    const badTime = clone(p);
    badTime.data.attributes.token_expires_at = "soon";
    malformedAt(() => parseSessionEvaluated(body(badTime), p.data.id, AGENT), "token_expires_at");
  });
});

describe("capabilities", () => {
  const recorded = caps.req_body.data.attributes;
  const quoteCaps = recorded.evidence_supported[0].capabilities;

  test("with the rust agent's inputs the builder writes the document the verifier accepted", () => {
    const doc = capabilitiesRequest({
      hashAlgorithms: quoteCaps.hash_algorithms,
      signatureSchemes: quoteCaps.signature_schemes,
      availableSubjects: quoteCaps.available_subjects,
      certificationKey: {
        keyAlgorithm: "rsa",
        keySize: 2048,
        name: fromHex(recordedKey.local_identifier),
        publicArea: akPublicArea,
        allowableHashAlgorithms: recordedKey.allowable_hash_algorithms,
        allowableSignatureSchemes: recordedKey.allowable_signature_schemes,
      },
      uefiLog: true,
      bootTime: new Date(recorded.system_info.boot_time),
    }) as { data: { type: string; attributes: { evidence_supported: Record<string, unknown>[]; system_info: unknown } } };
    expect(doc.data.type).toBe("attestation");
    expect(doc.data.attributes.system_info).toEqual(recorded.system_info);
    const [quote, uefi, ...rest] = doc.data.attributes.evidence_supported;
    expect(quote).toEqual(recorded.evidence_supported[0]);
    // The rust agent also sends entry_count 0 for the UEFI log, a count it never takes; we leave it out. No IMA log on EVE.
    const { entry_count: _, ...recordedUefi } = recorded.evidence_supported[1].capabilities;
    expect(uefi).toEqual({ ...recorded.evidence_supported[1], capabilities: recordedUefi });
    expect(rest).toEqual([]);
  });

  test("the UEFI log is offered only when the device has one", () => {
    const doc = capabilitiesRequest({
      hashAlgorithms: ["sha256"],
      signatureSchemes: ["rsassa"],
      availableSubjects: { sha256: [0, 1] },
      certificationKey: {
        keyAlgorithm: "rsa",
        keySize: 2048,
        name: fromHex(recordedKey.local_identifier),
        publicArea: akPublicArea,
        allowableHashAlgorithms: ["sha256"],
        allowableSignatureSchemes: ["rsassa"],
      },
      uefiLog: false,
      bootTime: new Date("2026-11-29T20:04:06.789Z"),
    }) as { data: { attributes: { evidence_supported: unknown[]; system_info: { boot_time: string } } } };
    expect(doc.data.attributes.evidence_supported.length).toBe(1);
    expect(doc.data.attributes.system_info.boot_time).toBe("2026-11-29T20:04:06Z");
  });

  test("the 201 answer gives the attestation index and the quote the verifier chose", () => {
    const r = parseEvidenceRequested(body(caps.resp_body), caps.resp_headers.Location, AGENT);
    expect(r).toEqual({
      index: 0,
      quote: {
        challenge: fromBase64("LdOvSjyTdH6o46qCgv5DSg=="),
        signatureScheme: "rsassa",
        hashAlgorithm: "sha256",
        pcrs: [0, 1, 2, 3, 4, 5, 6, 7],
        certificationKeyName: recordedKey.local_identifier,
      },
      uefiLog: false,
      unsupported: [],
      challengesExpireAt: new Date("2026-11-29T21:05:19.064Z"),
    });
    // Without a Location header the resource's own link names the attestation.
    expect(parseEvidenceRequested(body(caps.resp_body), undefined, AGENT).index).toBe(0);
  });

  test("requested logs: the UEFI log is recognised, anything else is listed as unsupported", () => {
    const doc = clone(caps.resp_body);
    doc.data.attributes.evidence_requested.push(
      { evidence_class: "log", evidence_type: "uefi_log", chosen_parameters: { format: "application/octet-stream" } },
      { evidence_class: "log", evidence_type: "ima_log", chosen_parameters: { starting_offset: 0, format: "text/plain" } },
    );
    const r = parseEvidenceRequested(body(doc), "/v3.0/agents/" + AGENT + "/attestations/12", AGENT);
    expect(r.index).toBe(12);
    expect(r.uefiLog).toBe(true);
    expect(r.unsupported).toEqual(["log/ima_log"]);
  });

  test("malformed or misdirected 201 answers are refused with the field named", () => {
    const c = caps.resp_body;
    const loc = caps.resp_headers.Location as string;
    malformedAt(() => parseEvidenceRequested(body(c), loc.replace(AGENT, "d432fbb3-d2f1-4a97-9ef7-75bd81c00002"), AGENT), "Location");
    malformedAt(() => parseEvidenceRequested(body(c), "https://elsewhere.example/v3.0/agents/" + AGENT + "/attestations/0", AGENT), "Location");
    malformedAt(() => parseEvidenceRequested(body(c), loc + "/../../1", AGENT), "Location");
    const noLinks = clone(c);
    delete noLinks.data.links;
    malformedAt(() => parseEvidenceRequested(body(noLinks), undefined, AGENT), "Location");
    const chosen = (d: typeof c) => d.data.attributes.evidence_requested[0].chosen_parameters;
    const pcr99 = clone(c);
    chosen(pcr99).selected_subjects.sha256 = [0, 99];
    malformedAt(() => parseEvidenceRequested(body(pcr99), loc, AGENT), "selected_subjects.sha256[1]");
    const noBank = clone(c);
    chosen(noBank).selected_subjects = { sha1: [0] };
    malformedAt(() => parseEvidenceRequested(body(noBank), loc, AGENT), "selected_subjects");
    const strPcr = clone(c);
    chosen(strPcr).selected_subjects.sha256 = ["0"];
    malformedAt(() => parseEvidenceRequested(body(strPcr), loc, AGENT), "selected_subjects.sha256[0]");
    const badKey = clone(c);
    chosen(badKey).certification_key.local_identifier = "zz";
    malformedAt(() => parseEvidenceRequested(body(badKey), loc, AGENT), "local_identifier");
    const many = clone(c);
    many.data.attributes.evidence_requested = Array.from({ length: 17 }, () => c.data.attributes.evidence_requested[0]);
    malformedAt(() => parseEvidenceRequested(body(many), loc, AGENT), "evidence_requested");
  });
});

describe("evidence", () => {
  const collected = evidence.req_body.data.attributes.evidence_collected[0].data;
  const message = fromBase64(collected.message);
  const signature = fromBase64(collected.signature);
  const subjectData = fromBase64(collected.subject_data);

  test("the recorded quote is signed by the AK over the negotiated challenge, and the PCR blob hashes to its digest", () => {
    expect(akSigned(message, signature)).toBe(true);
    const attest = decodeQuoteAttest(message);
    expect(toHex(attest.extraData)).toBe(toHex(fromBase64(caps.resp_body.data.attributes.evidence_requested[0].chosen_parameters.challenge)));
    const bank = decodePcrBlob(subjectData);
    expect(toHex(attest.pcrDigest)).toBe(toHex(pcrDigest(bank)));
    // The rust agent adds PCR 16 to what the verifier chose; the verifier takes any superset.
    expect([...bank.values.keys()]).toEqual([0, 1, 2, 3, 4, 5, 6, 7, 16]);
    const meta = evidence.resp_body.data.attributes.evidence[0].data.meta.pcrs.sha256;
    for (const [pcr, value] of bank.values) expect(`0x${toHex(value)}`).toBe(meta[String(pcr)]);
  });

  test("the evidence request round-trips to the recorded one; the UEFI log goes as base64 entries", () => {
    expect(evidenceRequest({ quote: { message, signature, subjectData } })).toEqual(evidence.req_body);
    const withLog = evidenceRequest({ quote: { message, signature, subjectData }, uefiLog: utf8.encode("log bytes") }) as {
      data: { attributes: { evidence_collected: unknown[] } };
    };
    expect(withLog.data.attributes.evidence_collected[1]).toEqual({
      evidence_class: "log",
      evidence_type: "uefi_log",
      data: { entries: Buffer.from("log bytes").toString("base64") },
    });
  });

  test("the 202 answer gives the time to the next attestation and the stage, no verdict yet", () => {
    expect(parseEvidenceAcknowledged(body(evidence.resp_body))).toEqual({ secondsToNextAttestation: 5, stage: "evaluating_evidence" });
    const judged = clone(evidence.resp_body);
    judged.data.attributes.evaluation = "fail";
    expect(parseEvidenceAcknowledged(body(judged)).evaluation).toBe("fail");
  });

  test("a malformed 202 answer is refused", () => {
    for (const bad of [-1, "5", 1e9]) {
      const d = clone(evidence.resp_body);
      d.meta.seconds_to_next_attestation = bad;
      malformedAt(() => parseEvidenceAcknowledged(body(d)), "meta.seconds_to_next_attestation");
    }
    malformedAt(() => parseEvidenceAcknowledged(body({ data: [] })), "data");
  });
});

describe("answers as bytes", () => {
  test("non-JSON, non-object and oversized bodies are refused before parsing", () => {
    malformedAt(() => parseDocument(utf8.encode("<html>bad gateway</html>")), "body");
    malformedAt(() => parseDocument(utf8.encode("[1,2]")), "body");
    malformedAt(() => parseDocument(new Uint8Array(MAX_ANSWER_BYTES + 1).fill(0x20)), "body");
  });

  test("error details are read from a JSON:API errors array, leniently", () => {
    const e429 = utf8.encode(
      JSON.stringify({ errors: [{ status: "429", code: "premature_attestation", title: "Too Many Requests", detail: "Wait 3 seconds" }, "junk"] }),
    );
    expect(errorDetails(e429)).toEqual([{ status: "429", code: "premature_attestation", title: "Too Many Requests", detail: "Wait 3 seconds" }]);
    expect(errorDetails(utf8.encode("not json"))).toEqual([]);
    expect(errorDetails(utf8.encode(JSON.stringify({ errors: "x" })))).toEqual([]);
  });
});
