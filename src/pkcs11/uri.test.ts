import { describe, expect, test } from "bun:test";
import { Pkcs11Error } from "./errors.ts";
import { describePkcs11Uri, formatPkcs11Uri, type Pkcs11Uri, parsePkcs11Uri } from "./uri.ts";

const hex = (b: Uint8Array | undefined) => (b === undefined ? undefined : Buffer.from(b).toString("hex"));
const kindOf = (s: string) => {
  try {
    parsePkcs11Uri(s);
    return "parsed";
  } catch (e) {
    return e instanceof Pkcs11Error ? e.kind : "other";
  }
};

describe("RFC 7512 section 3 examples", () => {
  test("the empty URI matches everything", () => {
    expect(parsePkcs11Uri("pkcs11:")).toEqual({ vendor: {}, vendorQuery: {} });
  });

  test("object and type", () => {
    const u = parsePkcs11Uri("pkcs11:object=my-pubkey;type=public");
    expect([u.object, u.type]).toEqual(["my-pubkey", "public"]);
  });

  test("pin-source in the query", () => {
    const u = parsePkcs11Uri("pkcs11:object=my-key;type=private?pin-source=file:/etc/token");
    expect([u.object, u.type, u.pinSource]).toEqual(["my-key", "private", "file:/etc/token"]);
  });

  test("token, manufacturer, model, object, type, id as bytes and an empty serial", () => {
    const u = parsePkcs11Uri(
      "pkcs11:token=The%20Software%20PKCS%2311%20Softtoken;manufacturer=Snake%20Oil,%20Inc.;model=1.0;object=my-certificate;type=cert;id=%69%95%3E%5C%F4%BD%EC%91;serial=?pin-source=file:/etc/token_pin",
    );
    expect(u.token).toBe("The Software PKCS#11 Softtoken");
    expect(u.manufacturer).toBe("Snake Oil, Inc.");
    expect(u.model).toBe("1.0");
    expect(u.object).toBe("my-certificate");
    expect(u.type).toBe("cert");
    expect(hex(u.id)).toBe("69953e5cf4bdec91");
    expect(u.serial).toBe("");
    expect(u.pinSource).toBe("file:/etc/token_pin");
  });

  test("module-name and module-path", () => {
    expect(parsePkcs11Uri("pkcs11:object=my-sign-key;type=private?module-name=mypkcs11").moduleName).toBe("mypkcs11");
    expect(parsePkcs11Uri("pkcs11:object=my-sign-key;type=private?module-path=/mnt/libmypkcs11.so.1").modulePath).toBe("/mnt/libmypkcs11.so.1");
  });

  test("pin-value", () => {
    const u = parsePkcs11Uri("pkcs11:token=Software%20PKCS%2311%20softtoken;manufacturer=Snake%20Oil,%20Inc.?pin-value=the-pin");
    expect([u.token, u.manufacturer, u.pinValue]).toEqual(["Software PKCS#11 softtoken", "Snake Oil, Inc.", "the-pin"]);
  });

  test("slot and library attributes", () => {
    expect(parsePkcs11Uri("pkcs11:slot-description=Sun%20Metaslot").slotDescription).toBe("Sun Metaslot");
    const u = parsePkcs11Uri("pkcs11:library-manufacturer=Snake%20Oil,%20Inc.;library-description=Soft%20Token%20Library;library-version=1.23");
    expect([u.libraryManufacturer, u.libraryDescription, u.libraryVersion]).toEqual(["Snake Oil, Inc.", "Soft Token Library", { major: 1, minor: 23 }]);
    const v = parsePkcs11Uri("pkcs11:token=My%20token%25%20created%20by%20Joe;library-version=3;id=%01%02%03%Ba%dd%Ef%fe");
    expect([v.token, v.libraryVersion, hex(v.id)]).toEqual(["My token% created by Joe", { major: 3, minor: 0 }, "010203baddeffe"]);
  });

  test("percent-encoded separators and UTF-8", () => {
    expect(parsePkcs11Uri("pkcs11:token=A%20name%20with%20a%20substring%20%25%3B;object=my-certificate;type=cert").token).toBe("A name with a substring %;");
    expect(parsePkcs11Uri("pkcs11:token=Name%20with%20a%20small%20A%20with%20acute:%20%C3%A1;object=my-certificate;type=cert").token).toBe(
      "Name with a small A with acute: á",
    );
  });

  test("vendor-specific attributes in path and query are kept apart", () => {
    const u = parsePkcs11Uri("pkcs11:token=my-token;object=my-certificate;type=cert;vendor-aaa=value-a?pin-source=file:/etc/token_pin&vendor-bbb=value-b");
    expect(u.vendor).toEqual({ "vendor-aaa": "value-a" });
    expect(u.vendorQuery).toEqual({ "vendor-bbb": ["value-b"] });
    expect([u.token, u.object, u.pinSource]).toEqual(["my-token", "my-certificate", "file:/etc/token_pin"]);
  });

  test("aziot's configuration form: slot-id, object and a PIN", () => {
    const u = parsePkcs11Uri("pkcs11:slot-id=0;object=device%20id?pin-value=1234");
    expect([u.slotId, u.object, u.pinValue]).toEqual([0, "device id", "1234"]);
  });

  test("the scheme is case-insensitive (RFC 3986); attribute names are not, an unknown one is vendor-specific", () => {
    expect(parsePkcs11Uri("PKCS11:token=x").token).toBe("x");
    const u = parsePkcs11Uri("pkcs11:Token=x");
    expect([u.token, u.vendor]).toEqual([undefined, { Token: "x" }]);
  });
});

describe("malformed URIs are pkcs11.uri errors", () => {
  const bad: Array<[string, string]> = [
    ["not pkcs11", "https://example.com/key"],
    ["no scheme", "token=x"],
    ["a fragment", "pkcs11:token=x#frag"],
    ["a repeated path attribute", "pkcs11:token=a;token=b"],
    ["a repeated query attribute", "pkcs11:token=a?pin-value=1&pin-value=2"],
    ["pin-value and pin-source together", "pkcs11:token=a?pin-value=1&pin-source=file:/p"],
    ["a bad percent escape", "pkcs11:token=a%2"],
    ["a non-hex percent escape", "pkcs11:object=%zz"],
    ["invalid UTF-8", "pkcs11:token=%C3%28"],
    ["a raw space", "pkcs11:token=my token"],
    ["a slash in the path", "pkcs11:object=a/b"],
    ["an attribute without =", "pkcs11:token"],
    ["an empty attribute name", "pkcs11:=x"],
    ["an empty path segment", "pkcs11:token=a;;object=b"],
    ["a trailing separator", "pkcs11:token=a;"],
    ["an unknown type", "pkcs11:object=a;type=secret"],
    ["a non-numeric slot-id", "pkcs11:slot-id=0x1"],
    ["a negative slot-id", "pkcs11:slot-id=-1"],
    ["a bad library-version", "pkcs11:library-version=1.2.3"],
    ["a library-version past a byte", "pkcs11:library-version=256"],
    ["a name with odd characters", "pkcs11:to.ken=a"],
  ];
  for (const [why, uri] of bad) test(why, () => expect(kindOf(uri)).toBe("pkcs11.uri"));

  test("errors name the attribute, never its value (a PIN)", () => {
    const secret = "s3cr3t%zz";
    let msg = "";
    try {
      parsePkcs11Uri(`pkcs11:token=a?pin-value=${secret}`);
    } catch (e) {
      msg = (e as Error).message;
    }
    expect(msg).toContain("pin-value");
    expect(msg).not.toContain("s3cr3t");
    expect(describePkcs11Uri(`pkcs11:token=a?pin-value=${secret}`)).toBe("pkcs11:<malformed>");
  });
});

describe("formatting", () => {
  test("round-trips through the parser, id as escaped bytes, PIN left out unless asked", () => {
    const u = parsePkcs11Uri(
      "pkcs11:token=edge%20token;object=device-id;id=%00%ff%41;type=private;slot-id=7?pin-value=12%2634&module-path=/usr/lib/softhsm/libsofthsm2.so",
    );
    const plain = formatPkcs11Uri(u);
    expect(plain).not.toContain("12%2634");
    expect(plain).toContain("pin-value=[redacted]");
    const full = formatPkcs11Uri(u, { withPin: true });
    const back: Pkcs11Uri = parsePkcs11Uri(full);
    expect(back).toEqual(u);
    expect(back.pinValue).toBe("12&34");
    expect(full).toContain("id=%00%FF%41");
  });
});
