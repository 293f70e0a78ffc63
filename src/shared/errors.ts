/**
 * Base of every error the agent raises on purpose. `kind` is the stable,
 * machine-comparable discriminant; the message is for people and must never
 * contain secrets (keys, tokens, vault key).
 */
export class AgentError extends Error {
  readonly kind: string;
  constructor(kind: string, message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.kind = kind;
    this.name = new.target.name;
  }
}

export function errorChain(err: unknown): string {
  const parts: string[] = [];
  let cur: unknown = err;
  for (let depth = 0; cur !== undefined && cur !== null && depth < 8; depth++) {
    if (cur instanceof Error) {
      parts.push(cur instanceof AgentError ? `${cur.kind}: ${cur.message}` : cur.message);
      cur = (cur as { cause?: unknown }).cause;
    } else {
      parts.push(String(cur));
      break;
    }
  }
  return parts.join(" <- ");
}
