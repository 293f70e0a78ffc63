import { describe, expect, test } from "bun:test";
import { AttestVolumeKeyType } from "../protocol/index.ts";
import { utf8 } from "../shared/index.ts";
import { checkPolicyPcrs, DEFAULT_POLICY, encodePolicyFile, parsePolicyFile, policyOfKey } from "./policy.ts";

describe("checkPolicyPcrs", () => {
  test.each([
    ["accepts EVE's default set", [0, 1, 2, 3, 4, 6, 7, 8, 9, 10, 11, 12, 13, 14], true],
    ["accepts PCR 0 alone", [0], true],
    ["accepts an unsorted list (and sorts it)", [7, 0, 4], true],
    ["accepts 15 PCRs including 15", [0, 1, 2, 3, 4, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15], true],
    ["rejects a list without PCR 0", [1, 4, 7], false],
    ["rejects a list with PCR 5", [0, 4, 5], false],
    ["rejects PCR 16", [0, 16], false],
    ["rejects a negative index", [0, -1], false],
    ["rejects a fractional index", [0, 1.5], false],
    ["rejects a duplicate", [0, 4, 4], false],
    ["rejects 16 entries", [0, 1, 2, 3, 4, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15, 15], false],
    ["rejects an empty list", [], false],
  ] as const)("%s", (_what, pcrs, ok) => {
    const r = checkPolicyPcrs(pcrs);
    expect(r.ok).toBe(ok);
    if (r.ok) expect(r.pcrs).toEqual([...pcrs].sort((a, b) => a - b));
  });
});

describe("policyOfKey", () => {
  const key = { key_type: AttestVolumeKeyType.ATTEST_VOLUME_KEY_TYPE_VSK, key: new Uint8Array(1) };
  test("is none when has_policy_pcr_list is false even with a list present", () => {
    expect(policyOfKey({ ...key, has_policy_pcr_list: false, policy_pcr_list: { pcr_indices: [0, 4], policy_id: 3 } }).kind).toBe("none");
  });
  test("is valid with the policy id when the list passes", () => {
    expect(policyOfKey({ ...key, has_policy_pcr_list: true, policy_pcr_list: { pcr_indices: [4, 0], policy_id: 3 } })).toEqual({
      kind: "valid",
      policy: { pcrs: [0, 4], id: 3, fromController: true },
    });
  });
  test("is invalid with a reason when the list contains PCR 5", () => {
    const r = policyOfKey({ ...key, has_policy_pcr_list: true, policy_pcr_list: { pcr_indices: [0, 5], policy_id: 1 } });
    expect(r).toEqual({ kind: "invalid", reason: "PCR 5 must not be sealed to" });
  });
});

describe("policy-pcr.json", () => {
  test("round-trips with EVE's field names", () => {
    const bytes = encodePolicyFile({ pcrs: [0, 4, 7], id: 9, fromController: true });
    expect(JSON.parse(utf8.decode(bytes))).toEqual({ PolicyPresent: true, Indexes: [0, 4, 7], ID: 9 });
    expect(parsePolicyFile(bytes)).toEqual({ pcrs: [0, 4, 7], id: 9, fromController: true });
  });
  test("means the default set when PolicyPresent is false", () => {
    expect(parsePolicyFile(utf8.encode('{"PolicyPresent":false,"Indexes":null,"ID":0}'))).toEqual(DEFAULT_POLICY);
  });
  test("is rejected when its list breaks the rules", () => {
    expect(() => parsePolicyFile(utf8.encode('{"PolicyPresent":true,"Indexes":[0,5],"ID":0}'))).toThrow(/PCR 5/);
  });
});
