/**
 * The numeric value of an `as const` enum object. proto3 enums are open: a
 * decoded field may carry a number the schema does not name, so the type
 * admits any number while still offering the named values.
 */
export type EnumValue<E extends Record<string, number>> = E[keyof E] | (number & {});

/**
 * What `encode` accepts: any subset of the message's fields, recursively.
 * Omitted fields take their proto3 default, exactly as if they were set to it.
 */
export type MessageInit<T> = {
  [K in keyof T]?: T[K] extends Uint8Array
    ? Uint8Array
    : T[K] extends readonly (infer U)[]
      ? readonly (U extends Uint8Array ? U : U extends object ? MessageInit<U> : U)[]
      : T[K] extends object | undefined
        ? MessageInit<NonNullable<T[K]>>
        : T[K];
};

/** google.protobuf.Timestamp; seconds is int64 but every real time fits a JS number. */
export interface Timestamp {
  seconds: number;
  nanos: number;
}

export function timestampFromDate(d: Date): Timestamp {
  const ms = d.getTime();
  const seconds = Math.floor(ms / 1000);
  return { seconds, nanos: (ms - seconds * 1000) * 1_000_000 };
}

export function timestampToDate(t: Timestamp): Date {
  return new Date(t.seconds * 1000 + Math.floor(t.nanos / 1_000_000));
}
