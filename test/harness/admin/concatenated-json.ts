/**
 * Splits a stream of JSON values written back to back (with or without
 * whitespace between them), as Adam's logs and requests dumps are.
 */
export function splitConcatenatedJson(text: string): unknown[] {
  const out: unknown[] = [];
  let depth = 0;
  let inString = false;
  let escaped = false;
  let start = -1;
  for (let i = 0; i < text.length; i++) {
    const c = text[i]!;
    if (inString) {
      if (escaped) escaped = false;
      else if (c === "\\") escaped = true;
      else if (c === '"') inString = false;
      continue;
    }
    if (c === '"') {
      if (depth === 0) throw new SyntaxError(`splitConcatenatedJson: bare string at ${i}; only objects and arrays are split`);
      inString = true;
    } else if (c === "{" || c === "[") {
      if (depth === 0) start = i;
      depth++;
    } else if (c === "}" || c === "]") {
      depth--;
      if (depth < 0) throw new SyntaxError(`splitConcatenatedJson: unbalanced '${c}' at ${i}`);
      if (depth === 0) out.push(JSON.parse(text.slice(start, i + 1)));
    } else if (depth === 0 && !/\s/.test(c)) {
      throw new SyntaxError(`splitConcatenatedJson: unexpected ${JSON.stringify(c)} at ${i}`);
    }
  }
  if (depth !== 0 || inString) throw new SyntaxError("splitConcatenatedJson: input ends inside a JSON value");
  return out;
}
