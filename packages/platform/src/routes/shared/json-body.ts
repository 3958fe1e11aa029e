/**
 * Reading JSON request bodies for every route group: the nesting depth is bounded before anything walks the value
 * (schema validation, scenario checks and the stores all recurse), so a deeply nested body is a client error, never
 * a stack overflow.
 */

/** The deepest nesting of arrays and objects a JSON body may have. Every OpenRun document needs fewer than 10. */
export const MAX_JSON_DEPTH = 64;

const OPEN_BRACE = 0x7b;
const OPEN_BRACKET = 0x5b;
const CLOSE_BRACE = 0x7d;
const CLOSE_BRACKET = 0x5d;
const QUOTE = 0x22;
const BACKSLASH = 0x5c;

/** True when `text` nests arrays/objects deeper than `limit` (counted in one pass, without recursion). */
export function jsonNestsDeeperThan(text: string, limit: number = MAX_JSON_DEPTH): boolean {
  let depth = 0;
  let inString = false;
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (inString) {
      if (c === BACKSLASH) i++;
      else if (c === QUOTE) inString = false;
    } else if (c === QUOTE) inString = true;
    else if (c === OPEN_BRACE || c === OPEN_BRACKET) {
      if (++depth > limit) return true;
    } else if (c === CLOSE_BRACE || c === CLOSE_BRACKET) depth--;
  }
  return false;
}

/** The client error for a body nested too deeply (a 400 in OpenRun's APIs). */
export class JsonTooDeepError extends Error {
  override readonly name = 'JsonTooDeepError';
  readonly statusCode = 400;
  constructor() {
    super(`the JSON body nests arrays and objects deeper than ${MAX_JSON_DEPTH} levels`);
  }
}
