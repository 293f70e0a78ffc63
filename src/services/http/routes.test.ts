import { describe, expect, test } from "bun:test";
import { silentLogger } from "../../shared/index.ts";
import { ApiError, buildApp, openApiDocument, route, type ServiceApi } from "./routes.ts";
import * as s from "./schema.ts";

const caller = { uid: 1000, gid: 1000, pid: 1 };
const api: ServiceApi = {
  name: "demo",
  title: "t",
  description: "d",
  versions: ["2020-09-01", "2021-05-01"],
  routes: [
    route({
      method: "POST",
      path: "/thing/{id}",
      operationId: "makeThing",
      summary: "makes",
      auth: "none",
      since: "2021-05-01",
      body: s.object({ name: s.string({ maxLength: 5 }), data: s.optional(s.bytes()) }),
      response: { status: 201, description: "made", schema: s.object({ id: s.string(), uid: s.integer(), bytes: s.integer() }) },
      handle: async ({ params, body, caller }) => ({ id: params.id!, uid: caller.uid, bytes: body.data?.length ?? 0 }),
    }),
    route({
      method: "GET",
      path: "/boom",
      operationId: "boom",
      summary: "fails",
      auth: "none",
      response: { status: 200, description: "never" },
      handle: async () => {
        throw new Error("secret detail /persist/x");
      },
    }),
    route({
      method: "GET",
      path: "/refused",
      operationId: "refused",
      summary: "refuses",
      auth: "none",
      response: { status: 200, description: "never" },
      handle: async () => {
        throw new ApiError(403, "not granted");
      },
    }),
  ],
};

const fetch = buildApp(api, silentLogger);
const req = (method: string, path: string, body?: string, type = "application/json") =>
  fetch(new Request(`http://localhost${path}`, { method, ...(body !== undefined ? { body, headers: { "Content-Type": type } } : {}) }), caller);

describe("buildApp", () => {
  test("serves a route with its path parameter, body and caller", async () => {
    const res = await req("POST", "/thing/a%2Db?api-version=2021-05-01", JSON.stringify({ name: "x", data: "AAEC", extra: 1 }));
    expect(res.status).toBe(201);
    expect(await res.json()).toEqual({ id: "a-b", uid: 1000, bytes: 3 });
  });

  test("answers api-version and body problems the way aziot's services do", async () => {
    const cases: Array<[Promise<Response>, number, string]> = [
      [req("POST", "/thing/a", "{}"), 400, "api-version not specified"],
      [req("POST", "/thing/a?api-version=2019-01-01", "{}"), 400, 'invalid api-version "2019-01-01"'],
      [req("POST", "/thing/a?api-version=2020-09-01", JSON.stringify({ name: "x" })), 404, "not found"],
      [req("POST", "/thing/a?api-version=2021-05-01", "{nope"), 422, "request body is not valid JSON"],
      [req("POST", "/thing/a?api-version=2021-05-01", JSON.stringify({ name: "toolong" })), 422, "body.name: must be at most 5 characters"],
      [req("POST", "/thing/a?api-version=2021-05-01", "x=1", "text/plain"), 415, "request body must be application/json"],
      [req("POST", "/thing/a?api-version=2021-05-01", ""), 400, "request body is missing"],
      [req("GET", "/thing/a?api-version=2021-05-01"), 405, "method not allowed"],
      [req("GET", "/nothing?api-version=2021-05-01"), 404, "not found"],
      [req("GET", "/refused?api-version=2021-05-01"), 403, "not granted"],
    ];
    for (const [p, status, message] of cases) {
      const res = await p;
      expect({ status: res.status, body: await res.json() }).toEqual({ status, body: { message } });
    }
  });

  test("hides the detail of an internal failure", async () => {
    const res = await req("GET", "/boom?api-version=2021-05-01");
    expect(res.status).toBe(500);
    expect(await res.text()).toBe('{"message":"internal error"}');
  });

  test("serves the OpenAPI document of each version, generated from the same routes", async () => {
    const current = (await (await req("GET", "/openapi.json")).json()) as any;
    expect(current.info.version).toBe("2021-05-01");
    const op = current.paths["/thing/{id}"].post;
    expect(op.operationId).toBe("makeThing");
    expect(op.requestBody.content["application/json"].schema).toEqual(api.routes[0]!.body!.json);
    expect(op.responses["201"].content["application/json"].schema.required).toEqual(["id", "uid", "bytes"]);
    expect(op.parameters).toContainEqual({ name: "id", in: "path", required: true, schema: { type: "string" } });
    const old = openApiDocument(api, "2020-09-01") as any;
    expect(Object.keys(old.paths).sort()).toEqual(["/boom", "/refused"]);
  });
});

describe("schemas", () => {
  test("tagged unions pick the variant by their tag and document each variant", () => {
    const sch = s.tagged("algorithm", { A: s.object({ a: s.string() }), B: s.object({ b: s.integer() }) });
    expect(sch.parse({ algorithm: "B", b: 2 })).toEqual({ algorithm: "B", b: 2 });
    expect(() => sch.parse({ algorithm: "C" })).toThrow("body.algorithm: must be one of A, B");
    expect(() => sch.parse({ algorithm: "A", a: 1 })).toThrow("body.a: must be a string");
    expect((sch.json.oneOf as any[]).map((v) => v.required)).toEqual([
      ["algorithm", "a"],
      ["algorithm", "b"],
    ]);
  });

  test("bytes accept only standard base64", () => {
    expect(s.bytes().parse("AAEC")).toEqual(Uint8Array.of(0, 1, 2));
    expect(() => s.bytes().parse("AAE")).toThrow();
    expect(() => s.bytes().parse("AA-_")).toThrow();
    expect(() => s.bytes({ maxBytes: 2 }).parse("AAEC")).toThrow("at most 2 bytes");
  });
});
