import { describe, expect, test } from "bun:test";
import { randomBytes } from "node:crypto";
import { BootstrapKeys } from "./bootstrap.ts";
import { opensslHmacSha384 } from "./vectors.testkit.ts";

const UUID = "d432fbb3-d2f1-4a97-9ef7-75bd81c00000";

/** K, U = K ⊕ V and the tenant's auth tag, the tag made by openssl. */
function split() {
  const k = new Uint8Array(randomBytes(32));
  const v = new Uint8Array(randomBytes(32));
  const u = k.map((b, i) => b ^ v[i]!);
  return { k, u, v, tag: new Uint8Array(Buffer.from(opensslHmacSha384(k, UUID), "hex")) };
}

describe("the U/V bootstrap key", () => {
  test.each(["U first", "V first"])("combines K = U xor V when the auth tag checks out (%s)", (order) => {
    const s = split();
    const keys = new BootstrapKeys(UUID);
    const got = order === "U first" ? [keys.addU({ half: s.u, authTag: s.tag }), keys.addV(s.v)] : [keys.addV(s.v), keys.addU({ half: s.u, authTag: s.tag })];
    expect(got[0]).toBeUndefined();
    expect(Buffer.from(got[1]!.key).equals(Buffer.from(s.k))).toBe(true);
    expect(keys.state).toBe("combined");
    // What keylime_tenant --verify compares, computed by openssl.
    expect(keys.verify("zacKiDzwSp6mr4yl64In")).toBe(opensslHmacSha384(s.k, "zacKiDzwSp6mr4yl64In"));
  });

  test("a V from another enrolment does not combine and verify still has no key", () => {
    const a = split();
    const b = split();
    const keys = new BootstrapKeys(UUID);
    keys.addU({ half: a.u, authTag: a.tag });
    expect(keys.addV(b.v)).toBeUndefined();
    expect(keys.state).toBe("both-unmatched");
    expect(keys.verify("zacKiDzwSp6mr4yl64In")).toBeUndefined();
    // The matching V arrives late: every pending pair is tried.
    expect(keys.addV(a.v)?.key).toEqual(a.k);
  });

  test("an auth tag made for another UUID never combines", () => {
    const s = split();
    const keys = new BootstrapKeys("00000000-0000-0000-0000-000000000000");
    keys.addU({ half: s.u, authTag: s.tag });
    expect(keys.addV(s.v)).toBeUndefined();
    expect(keys.combined).toBe(false);
  });

  test("the payload travels with the U it came with", () => {
    const s = split();
    const keys = new BootstrapKeys(UUID);
    keys.addU({ half: s.u, authTag: s.tag, payload: new Uint8Array([1, 2, 3]) });
    expect(keys.addV(s.v)?.payload).toEqual(new Uint8Array([1, 2, 3]));
  });

  test("a re-enrolment replaces K once its own pair arrives", () => {
    const a = split();
    const b = split();
    const keys = new BootstrapKeys(UUID);
    keys.addU({ half: a.u, authTag: a.tag });
    keys.addV(a.v);
    keys.addU({ half: b.u, authTag: b.tag });
    expect(keys.state).toBe("u-received");
    keys.addV(b.v);
    expect(keys.verify("zacKiDzwSp6mr4yl64In")).toBe(opensslHmacSha384(b.k, "zacKiDzwSp6mr4yl64In"));
  });

  test("keeps a bounded number of unmatched halves", () => {
    const keys = new BootstrapKeys(UUID);
    const first = split();
    keys.addU({ half: first.u, authTag: first.tag });
    for (let i = 0; i < 20; i++) keys.addU({ half: split().u, authTag: split().tag });
    // The oldest U was dropped: its V no longer completes anything.
    expect(keys.addV(first.v)).toBeUndefined();
  });
});
