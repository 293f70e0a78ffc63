/**
 * @peculiar/x509 registers its algorithms through tsyringe, which refuses to
 * load unless `Reflect.getMetadata` exists. The usual fix is the
 * reflect-metadata package, which we may not add; tsyringe only ever reads
 * constructor parameter types (none of x509's classes declare any), so this
 * small store is all it needs. Installed only when nothing else provides
 * the API, so a real polyfill loaded elsewhere wins.
 */
type MetadataKey = unknown;
type Target = object;

const store = new WeakMap<Target, Map<MetadataKey, unknown>>();

function own(target: Target, create: true): Map<MetadataKey, unknown>;
function own(target: Target, create: false): Map<MetadataKey, unknown> | undefined;
function own(target: Target, create: boolean): Map<MetadataKey, unknown> | undefined {
  let m = store.get(target);
  if (!m && create) {
    m = new Map();
    store.set(target, m);
  }
  return m;
}

function lookup(key: MetadataKey, target: Target): { found: boolean; value?: unknown } {
  // Metadata is inherited along the prototype chain, as decorators on a base class expect.
  for (let t: Target | null = target; t !== null; t = Object.getPrototypeOf(t) as Target | null) {
    const m = own(t, false);
    if (m?.has(key)) return { found: true, value: m.get(key) };
  }
  return { found: false };
}

const api = {
  defineMetadata(key: MetadataKey, value: unknown, target: Target): void {
    own(target, true).set(key, value);
  },
  getOwnMetadata(key: MetadataKey, target: Target): unknown {
    return own(target, false)?.get(key);
  },
  hasOwnMetadata(key: MetadataKey, target: Target): boolean {
    return own(target, false)?.has(key) ?? false;
  },
  getMetadata(key: MetadataKey, target: Target): unknown {
    return lookup(key, target).value;
  },
  hasMetadata(key: MetadataKey, target: Target): boolean {
    return lookup(key, target).found;
  },
  metadata(key: MetadataKey, value: unknown) {
    return (target: Target): void => api.defineMetadata(key, value, target);
  },
};

export function installReflectMetadata(): void {
  const r = Reflect as unknown as Record<string, unknown>;
  if (typeof r.getMetadata === "function") return;
  for (const [name, fn] of Object.entries(api)) {
    if (typeof r[name] !== "function") r[name] = fn;
  }
}
