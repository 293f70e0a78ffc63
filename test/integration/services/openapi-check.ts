/**
 * Checks answers of the services against the OpenAPI documents they serve:
 * the operation must exist, must document the status it answered, and the
 * body must match the documented schema (with no undocumented members). A
 * small validator for the JSON-schema subset the documents use, written
 * here so the test does not check the generator with its own code.
 */
import type { Exchange, ServiceName } from "./fixture.ts";

type Json = Record<string, any>;

const BASE64 = /^(?:[A-Za-z0-9+/]{4})*(?:[A-Za-z0-9+/]{2}==|[A-Za-z0-9+/]{3}=)?$/;

export function validate(schema: Json, value: unknown, doc: Json, at = "body"): string[] {
  if (schema.$ref) {
    const name = String(schema.$ref).replace("#/components/schemas/", "");
    const target = doc.components?.schemas?.[name];
    return target ? validate(target, value, doc, at) : [`${at}: unresolved ${schema.$ref}`];
  }
  if (schema.oneOf) {
    const matches = (schema.oneOf as Json[]).filter((s) => validate(s, value, doc, at).length === 0).length;
    return matches === 1 ? [] : [`${at}: matches ${matches} of the oneOf alternatives`];
  }
  const errs: string[] = [];
  switch (schema.type) {
    case "object": {
      if (typeof value !== "object" || value === null || Array.isArray(value)) return [`${at}: not an object`];
      const props = (schema.properties ?? {}) as Json;
      for (const r of (schema.required ?? []) as string[]) if (!(r in value)) errs.push(`${at}.${r}: missing`);
      for (const [k, v] of Object.entries(value)) {
        if (!(k in props)) errs.push(`${at}.${k}: not documented`);
        else errs.push(...validate(props[k], v, doc, `${at}.${k}`));
      }
      return errs;
    }
    case "array":
      if (!Array.isArray(value)) return [`${at}: not an array`];
      return value.flatMap((v, i) => validate(schema.items, v, doc, `${at}[${i}]`));
    case "string":
      if (typeof value !== "string") return [`${at}: not a string`];
      if (schema.enum && !schema.enum.includes(value)) errs.push(`${at}: ${value} not in ${schema.enum}`);
      if (schema.format === "byte" && !BASE64.test(value)) errs.push(`${at}: not base64`);
      if (schema.maxLength !== undefined && value.length > schema.maxLength) errs.push(`${at}: longer than ${schema.maxLength}`);
      if (schema.pattern && !new RegExp(schema.pattern).test(value)) errs.push(`${at}: does not match ${schema.pattern}`);
      return errs;
    case "integer":
      return typeof value === "number" && Number.isInteger(value) ? [] : [`${at}: not an integer`];
    case "boolean":
      return typeof value === "boolean" ? [] : [`${at}: not a boolean`];
    default:
      return [`${at}: schema without a known type`];
  }
}

/** The documented operation answering `method path` (query ignored). */
export function operationFor(doc: Json, method: string, path: string): { template: string; op: Json } | undefined {
  const bare = path.split("?")[0]!;
  for (const [template, ops] of Object.entries(doc.paths as Json)) {
    const re = new RegExp(`^${template.replace(/\{[^}]+\}/g, "[^/]+")}$`);
    const op = (ops as Json)[method.toLowerCase()];
    if (re.test(bare) && op) return { template, op };
  }
  return undefined;
}

/** Problems of each exchange against its service's document; empty when all conform. */
export function checkExchanges(docs: Record<ServiceName, Json>, exchanges: Exchange[]): string[] {
  const problems: string[] = [];
  for (const x of exchanges) {
    if (x.path.startsWith("/openapi.json")) continue;
    const doc = docs[x.service];
    const found = operationFor(doc, x.method, x.path);
    if (!found) {
      // Unknown paths and methods are answered 404/405 with the error shape, which no operation documents.
      if (![404, 405].includes(x.status)) problems.push(`${x.service} ${x.method} ${x.path}: no operation, answered ${x.status}`);
      else problems.push(...validate(doc.components.schemas.Error, x.body, doc, `${x.method} ${x.path} ${x.status}`));
      continue;
    }
    const res = found.op.responses[String(x.status)];
    if (!res) {
      problems.push(`${x.service} ${x.method} ${found.template}: status ${x.status} not documented`);
      continue;
    }
    const schema = res.content?.["application/json"]?.schema;
    if (!schema) {
      if (x.raw !== "") problems.push(`${x.service} ${x.method} ${found.template} ${x.status}: body where none is documented`);
      continue;
    }
    problems.push(...validate(schema, x.body, doc, `${x.service} ${x.method} ${found.template} ${x.status}`));
  }
  return problems;
}

/** Operations (service, method, template) some exchange reached with a 2xx answer. */
export function coveredOperations(docs: Record<ServiceName, Json>, exchanges: Exchange[]): Set<string> {
  const out = new Set<string>();
  for (const x of exchanges) {
    if (x.status >= 300) continue;
    const found = operationFor(docs[x.service], x.method, x.path);
    if (found) out.add(`${x.service} ${x.method} ${found.template}`);
  }
  return out;
}

export function allOperations(docs: Record<ServiceName, Json>): string[] {
  return Object.entries(docs).flatMap(([service, doc]) =>
    Object.entries(doc.paths as Json).flatMap(([template, ops]) => Object.keys(ops as Json).map((m) => `${service} ${m.toUpperCase()} ${template}`)),
  );
}
