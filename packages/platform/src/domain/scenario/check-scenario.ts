/**
 * Checks a parsed scenario file against its schema and its own references, with messages that say the file, the
 * JSON path and what was expected: `team.yaml: users[1].generate.days: expected an integer ≤ 3660, got 5000`.
 */
import { isChinaDate, QQ_APPID_PATTERN, WECHAT_APPID_PATTERN } from '@openrun/core';
import { Compile } from 'typebox/compile';
import { OpenRunApiError } from '../errors.js';
import { clockInstantProblem } from '../clock.js';
import { knownScopes } from '../grants.js';
import { Scenario } from './scenario-schema.js';

const check = Compile(Scenario);

/** A scenario that is not valid: the message names the file, the path and what was expected. */
export class ScenarioError extends OpenRunApiError {
  constructor(message: string) {
    super('VALIDATION', message);
  }
}

/** `/users/1/generate/days` → `users[1].generate.days`. */
export function jsonPath(pointer: string): string {
  const parts = pointer.split('/').slice(1).map((p) => p.replace(/~1/g, '/').replace(/~0/g, '~'));
  let out = '';
  for (const p of parts) out += /^\d+$/.test(p) ? `[${p}]` : out === '' ? p : `.${p}`;
  return out === '' ? '(top level)' : out;
}

function describe(value: unknown): string {
  const text = JSON.stringify(value);
  return text === undefined ? 'nothing' : text.length > 60 ? `${text.slice(0, 57)}...` : text;
}

function valueAt(root: unknown, pointer: string): unknown {
  let at: unknown = root;
  for (const p of pointer.split('/').slice(1)) at = at !== null && typeof at === 'object' && Object.hasOwn(at, p) ? (at as Record<string, unknown>)[p] : undefined;
  return at;
}

/** One error of a compiled TypeBox check. */
export interface SchemaError {
  keyword: string;
  instancePath: string;
  params: Record<string, unknown>;
  message: string;
}

/** Says where a schema error is (`users[1].generate.days`) and what was expected there. */
export function explainSchemaError(error: SchemaError, root: unknown): { path: string; text: string } {
  const p = error.params;
  const got = `got ${describe(valueAt(root, error.instancePath))}`;
  switch (error.keyword) {
    case 'additionalProperties': {
      const names = (p.additionalProperties as string[] | undefined) ?? [];
      return { path: jsonPath(error.instancePath), text: `unknown field ${names.map((n) => `"${n}"`).join(', ')}` };
    }
    case 'required': {
      const names = (p.requiredProperties as string[] | undefined) ?? [];
      return { path: jsonPath(error.instancePath), text: `missing field ${names.map((n) => `"${n}"`).join(', ')}` };
    }
    case 'enum':
      return { path: jsonPath(error.instancePath), text: `expected one of ${(p.allowedValues as unknown[]).map((v) => describe(v)).join(', ')}, ${got}` };
    case 'const':
      return { path: jsonPath(error.instancePath), text: `expected ${describe(p.allowedValue)}, ${got}` };
    case 'type':
      return { path: jsonPath(error.instancePath), text: `expected ${String(p.type)}, ${got}` };
    case 'pattern':
      return { path: jsonPath(error.instancePath), text: `expected text matching ${String(p.pattern)}, ${got}` };
    default:
      return { path: jsonPath(error.instancePath), text: `${error.message}, ${got}` };
  }
}

function fail(file: string, path: string, text: string): never {
  throw new ScenarioError(`[openrun] ${file}: ${path}: ${text}`);
}

/** Returns the scenario when `value` is one, else throws a ScenarioError naming `file`, the path and the problem. */
export function checkScenario(value: unknown, file: string): Scenario {
  if (!check.Check(value)) {
    const errors = [...check.Errors(value)] as SchemaError[];
    // The first error that is not the bare `false` of a closed object carries the useful words.
    const first = errors.find((e) => e.keyword !== 'boolean') ?? errors[0];
    if (!first) fail(file, '(top level)', 'not a scenario');
    const { path, text } = explainSchemaError(first, value);
    fail(file, path, text);
  }
  const scenario = value as Scenario;
  const apps = scenario.apps ?? [];
  const users = scenario.users ?? [];
  const appids = new Set<string>();
  for (const [i, a] of apps.entries()) {
    if (a.appid === undefined) continue;
    const pattern = a.platform === 'weapp' ? WECHAT_APPID_PATTERN : QQ_APPID_PATTERN;
    if (!pattern.test(a.appid)) {
      fail(file, `apps[${i}].appid`, `expected a ${a.platform === 'weapp' ? 'WeChat appid "wx" + 16 hex digits' : 'QQ appid of 10 digits'}, got "${a.appid}"`);
    }
    if (a.cloud && a.platform === 'qq') fail(file, `apps[${i}].cloud`, 'cloud development exists only for weapp apps');
    if (appids.has(a.appid)) fail(file, `apps[${i}].appid`, `"${a.appid}" is declared twice`);
    appids.add(a.appid);
  }
  const ids = new Set<string>();
  const tokens = new Set<string>();
  for (const [i, u] of users.entries()) {
    if (u.id !== undefined) {
      if (ids.has(u.id)) fail(file, `users[${i}].id`, `"${u.id}" is declared twice`);
      ids.add(u.id);
    }
    if (u.deviceToken !== undefined) {
      if (tokens.has(u.deviceToken)) fail(file, `users[${i}].deviceToken`, 'declared twice');
      tokens.add(u.deviceToken);
    }
    if (u.steps && u.generate) fail(file, `users[${i}]`, 'give either "steps" (literal days) or "generate" (a model), not both');
    const dates = new Set<string>();
    for (const [j, d] of (u.steps ?? []).entries()) {
      if (!isChinaDate(d.date)) fail(file, `users[${i}].steps[${j}].date`, `expected a calendar date YYYY-MM-DD, got "${d.date}"`);
      if (dates.has(d.date)) fail(file, `users[${i}].steps[${j}].date`, `"${d.date}" appears twice`);
      dates.add(d.date);
    }
  }
  for (const [i, g] of (scenario.grants ?? []).entries()) {
    if (!appids.has(g.app)) fail(file, `grants[${i}].app`, `expected the appid of an app declared under "apps", got "${g.app}"`);
    if (!ids.has(g.user)) fail(file, `grants[${i}].user`, `expected the id of a user declared under "users", got "${g.user}"`);
    const platform = apps.find((a) => a.appid === g.app)!.platform;
    if (!knownScopes(platform).includes(g.scope)) {
      fail(file, `grants[${i}].scope`, `expected a scope of ${platform} apps (${knownScopes(platform).join(', ')}), got "${g.scope}"`);
    }
  }
  for (const [i, f] of (scenario.faults ?? []).entries()) {
    const actions = [f.errcode !== undefined, f.delayMs !== undefined, f.drop === true].filter(Boolean).length;
    if (actions !== 1) fail(file, `faults[${i}]`, 'expected exactly one of "errcode", "delayMs" or "drop"');
  }
  if (scenario.clock?.now !== undefined && !Number.isFinite(Date.parse(scenario.clock.now))) {
    fail(file, 'clock.now', `expected an ISO-8601 instant such as "2026-03-04T08:00:00+08:00", got "${scenario.clock.now}"`);
  }
  const clockProblem = scenario.clock?.now === undefined ? undefined : clockInstantProblem(Date.parse(scenario.clock.now));
  if (clockProblem) fail(file, 'clock.now', clockProblem);
  return scenario;
}
