/**
 * Body and response schemas written once: each one checks a value at run
 * time, gives its TypeScript type, and prints itself as the OpenAPI 3.0
 * schema object the served document carries. A handful of combinators is
 * all the three services need, so no schema library is pulled in.
 */

export type JsonSchema = Record<string, unknown>;

export class SchemaError extends Error {
  constructor(
    readonly at: string,
    message: string,
  ) {
    super(`${at}: ${message}`);
  }
}

export interface Schema<T> {
  readonly json: JsonSchema;
  parse(value: unknown, at?: string): T;
}

interface Optional<T> extends Schema<T | undefined> {
  readonly optional: true;
  readonly inner: Schema<T>;
}

export type Infer<S> = S extends Schema<infer T> ? T : never;

type Shape = Record<string, Schema<unknown>>;
type RequiredKeys<S extends Shape> = { [K in keyof S]: S[K] extends Optional<unknown> ? never : K }[keyof S];
type OptionalKeys<S extends Shape> = { [K in keyof S]: S[K] extends Optional<unknown> ? K : never }[keyof S];
type Simplify<T> = { [K in keyof T]: T[K] } & {};
export type ObjectOf<S extends Shape> = Simplify<{ [K in RequiredKeys<S>]: Infer<S[K]> } & { [K in OptionalKeys<S>]?: Exclude<Infer<S[K]>, undefined> }>;

function describe(json: JsonSchema, description?: string): JsonSchema {
  return description ? { ...json, description } : json;
}

export function string(opts: { description?: string; minLength?: number; maxLength?: number; pattern?: RegExp } = {}): Schema<string> {
  const json: JsonSchema = { type: "string" };
  if (opts.minLength !== undefined) json.minLength = opts.minLength;
  if (opts.maxLength !== undefined) json.maxLength = opts.maxLength;
  if (opts.pattern) json.pattern = opts.pattern.source;
  return {
    json: describe(json, opts.description),
    parse(v, at = "body") {
      if (typeof v !== "string") throw new SchemaError(at, "must be a string");
      if (opts.minLength !== undefined && v.length < opts.minLength) throw new SchemaError(at, `must be at least ${opts.minLength} characters`);
      if (opts.maxLength !== undefined && v.length > opts.maxLength) throw new SchemaError(at, `must be at most ${opts.maxLength} characters`);
      if (opts.pattern && !opts.pattern.test(v)) throw new SchemaError(at, `must match ${opts.pattern.source}`);
      return v;
    },
  };
}

const BASE64 = /^(?:[A-Za-z0-9+/]{4})*(?:[A-Za-z0-9+/]{2}==|[A-Za-z0-9+/]{3}=)?$/;

/** Standard base64 (OpenAPI `format: byte`), decoded to bytes. */
export function bytes(opts: { description?: string; maxBytes?: number } = {}): Schema<Uint8Array> {
  return {
    json: describe({ type: "string", format: "byte" }, opts.description),
    parse(v, at = "body") {
      if (typeof v !== "string" || !BASE64.test(v)) throw new SchemaError(at, "must be a base64 string");
      const out = new Uint8Array(Buffer.from(v, "base64"));
      if (opts.maxBytes !== undefined && out.length > opts.maxBytes) throw new SchemaError(at, `must decode to at most ${opts.maxBytes} bytes`);
      return out;
    },
  };
}

/** A base64 string as it goes out in a response (`format: byte`), already encoded. */
export function byteString(description?: string): Schema<string> {
  return {
    json: describe({ type: "string", format: "byte" }, description),
    parse(v, at = "body") {
      if (typeof v !== "string" || !BASE64.test(v)) throw new SchemaError(at, "must be a base64 string");
      return v;
    },
  };
}

export function literal<const T extends string>(value: T, description?: string): Schema<T> {
  return {
    json: describe({ type: "string", enum: [value] }, description),
    parse(v, at = "body") {
      if (v !== value) throw new SchemaError(at, `must be ${JSON.stringify(value)}`);
      return value;
    },
  };
}

export function oneOfStrings<const T extends readonly string[]>(values: T, description?: string): Schema<T[number]> {
  return {
    json: describe({ type: "string", enum: [...values] }, description),
    parse(v, at = "body") {
      if (typeof v !== "string" || !values.includes(v)) throw new SchemaError(at, `must be one of ${values.join(", ")}`);
      return v as T[number];
    },
  };
}

export function integer(opts: { description?: string; minimum?: number } = {}): Schema<number> {
  return {
    json: describe({ type: "integer", ...(opts.minimum !== undefined ? { minimum: opts.minimum } : {}) }, opts.description),
    parse(v, at = "body") {
      if (typeof v !== "number" || !Number.isInteger(v)) throw new SchemaError(at, "must be an integer");
      if (opts.minimum !== undefined && v < opts.minimum) throw new SchemaError(at, `must be at least ${opts.minimum}`);
      return v;
    },
  };
}

export function array<T>(items: Schema<T>, description?: string): Schema<T[]> {
  return {
    json: describe({ type: "array", items: items.json }, description),
    parse(v, at = "body") {
      if (!Array.isArray(v)) throw new SchemaError(at, "must be an array");
      return v.map((x, i) => items.parse(x, `${at}[${i}]`));
    },
  };
}

export function optional<T>(inner: Schema<T>): Optional<T> {
  return {
    optional: true,
    inner,
    json: inner.json,
    parse(v, at = "body") {
      return v === undefined || v === null ? undefined : inner.parse(v, at);
    },
  };
}

function isOptional(s: Schema<unknown>): s is Optional<unknown> {
  return (s as Partial<Optional<unknown>>).optional === true;
}

/**
 * A JSON object. Unknown members are ignored on input, as serde does for
 * aziot's services, so clients that send more keep working.
 */
export function object<S extends Shape>(shape: S, description?: string): Schema<ObjectOf<S>> {
  const required = Object.entries(shape)
    .filter(([, s]) => !isOptional(s))
    .map(([k]) => k);
  const properties = Object.fromEntries(Object.entries(shape).map(([k, s]) => [k, s.json]));
  return {
    json: describe({ type: "object", properties, ...(required.length ? { required } : {}) }, description),
    parse(v, at = "body") {
      if (typeof v !== "object" || v === null || Array.isArray(v)) throw new SchemaError(at, "must be an object");
      const out: Record<string, unknown> = {};
      for (const [k, s] of Object.entries(shape)) {
        const parsed = s.parse((v as Record<string, unknown>)[k], `${at}.${k}`);
        if (parsed !== undefined) out[k] = parsed;
      }
      return out as ObjectOf<S>;
    },
  };
}

/**
 * A choice among object shapes told apart by one string member (aziot's
 * `algorithm` on /sign and /encrypt).
 */
export function tagged<K extends string, V extends Record<string, Schema<object>>>(
  tag: K,
  variants: V,
  description?: string,
): Schema<{ [T in keyof V]: Infer<V[T]> & { [P in K]: T } }[keyof V]> {
  return {
    json: describe(
      {
        oneOf: Object.entries(variants).map(([name, s]) => {
          const props = (s.json.properties ?? {}) as Record<string, unknown>;
          const req = (s.json.required ?? []) as string[];
          return { ...s.json, properties: { [tag]: { type: "string", enum: [name] }, ...props }, required: [tag, ...req] };
        }),
        discriminator: { propertyName: tag },
      },
      description,
    ),
    parse(v, at = "body") {
      if (typeof v !== "object" || v === null || Array.isArray(v)) throw new SchemaError(at, "must be an object");
      const t = (v as Record<string, unknown>)[tag];
      if (typeof t !== "string" || !Object.hasOwn(variants, t)) throw new SchemaError(`${at}.${tag}`, `must be one of ${Object.keys(variants).join(", ")}`);
      return { ...variants[t]!.parse(v, at), [tag]: t } as never;
    },
  };
}
