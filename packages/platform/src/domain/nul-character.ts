/**
 * OpenRun stores no NUL character (U+0000) in any text: PostgreSQL text and jsonb cannot hold it, and a state must move
 * between the embedded SQLite store and PostgreSQL + Redis unchanged. So every edge where text enters the state (JSON
 * bodies of OpenRun's APIs, whole-state imports) refuses it with a 400 naming the field, on every backend alike.
 */

/** What is wrong with a value holding a NUL character. */
export const NUL_PROBLEM = 'contains a NUL character (\\u0000), which OpenRun does not store';

/**
 * The path (`.nickname`, `[2].appid`, appended to `path`) of the first string or key in `value` that holds a NUL
 * character, or undefined when none does. Walks without recursion, so any nesting is safe.
 */
export function findNulCharacter(value: unknown, path = ''): string | undefined {
  const stack: [unknown, string][] = [[value, path]];
  while (stack.length > 0) {
    const [v, at] = stack.pop()!;
    if (typeof v === 'string') {
      if (v.includes('\u0000')) return at;
    } else if (Array.isArray(v)) {
      for (let i = v.length - 1; i >= 0; i--) stack.push([v[i], `${at}[${i}]`]);
    } else if (v !== null && typeof v === 'object') {
      const entries = Object.entries(v as Record<string, unknown>);
      for (let i = entries.length - 1; i >= 0; i--) {
        const [k, item] = entries[i]!;
        const field = /^[A-Za-z_$][\w$]*$/.test(k) ? `${at}.${k}` : `${at}[${JSON.stringify(k)}]`;
        if (k.includes('\u0000')) return field;
        stack.push([item, field]);
      }
    }
  }
  return undefined;
}

/** True when JSON text may hold a NUL character (only as the escape `\u0000`: JSON has no raw control characters). */
export function jsonMayHoldNul(text: string): boolean {
  return text.includes('\\u0000');
}
