/**
 * The route a fault rule names, normalised to the operation key the fault hook matches (`config.operation`, e.g.
 * "POST /openrun/runtime/v1/apps/:appid/werun"). A rule may name a route as a concrete path
 * (`…/apps/wx0123…/werun`), with `{param}` or with `:param` placeholders; anything that is not a real operation is
 * refused with the list of valid routes, so a rule never sits silently unused.
 */
import { OpenRunApiError } from './errors.js';

const PLACEHOLDER = /^(?::[A-Za-z_][A-Za-z0-9_]*|\{[A-Za-z_][A-Za-z0-9_]*\})$/;

function segmentsOf(path: string): string[] {
  const bare = path.split('?')[0]!.replace(/\/+$/, '');
  return bare.split('/').slice(1);
}

/** How well `template` (an operation's path) matches `wanted`: literal segments matched, or -1 when it does not. */
function matchScore(template: string[], wanted: string[]): number {
  if (template.length !== wanted.length) return -1;
  let literals = 0;
  for (let i = 0; i < template.length; i++) {
    const t = template[i]!;
    const w = wanted[i]!;
    if (t.startsWith(':')) {
      if (w === '') return -1;
      continue;
    }
    if (PLACEHOLDER.test(w) || t !== w) return -1;
    literals++;
  }
  return literals;
}

/** The operation `route` names, or a 400 listing every route a fault can apply to. */
export function normaliseFaultRoute(operations: ReadonlySet<string>, route: string): string {
  const m = /^\s*([A-Za-z]+)\s+(\/\S*)\s*$/.exec(route);
  if (m) {
    const method = m[1]!.toUpperCase();
    const wanted = segmentsOf(m[2]!);
    let best: { operation: string; score: number } | undefined;
    for (const operation of operations) {
      const [opMethod, opPath] = operation.split(' ') as [string, string];
      if (opMethod !== method) continue;
      const score = matchScore(segmentsOf(opPath), wanted);
      if (score >= 0 && (!best || score > best.score)) best = { operation, score };
    }
    if (best) return best.operation;
  }
  const valid = [...operations].sort((a, b) => (a.split(' ')[1]! < b.split(' ')[1]! ? -1 : 1));
  throw new OpenRunApiError(
    'VALIDATION',
    `"${route}" is not a route a fault can apply to; use one of: ${valid.join(', ')} (a concrete path, {param} or :param)`,
  );
}
