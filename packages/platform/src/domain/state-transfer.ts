/**
 * Export and import of the whole state as one document. An import checks the document completely (calendar dates,
 * duplicates, references between records) before it replaces anything; the backend then swaps the whole state —
 * durable records, ephemeral records, faults and clock — as one all-or-nothing step. A round trip — export, reset,
 * import — gives an identical export.
 */
import { isChinaDate } from '@openrun/core';
import type { FaultRule } from '../stores/records.js';
import type { PlatformContext } from './context.js';
import { OpenRunApiError } from './errors.js';
import { clockInstantProblem } from './clock.js';
import { normaliseFaultRoute } from './fault-route.js';
import { knownScopes } from './grants.js';
import type { StateDocument } from './state-document.js';

/** Writes the whole state as one document. */
export async function exportState(ctx: PlatformContext): Promise<StateDocument> {
  const durable = await ctx.durable.exportState();
  const ephemeral = await ctx.ephemeral.exportState();
  const faults = await ctx.ephemeral.listFaults();
  await ctx.clock.refresh();
  const clock = ctx.clock.state();
  return {
    format: 'openrun-state',
    version: 1,
    clock: { nowMs: clock.nowMs, frozen: clock.frozen },
    faults,
    apps: durable.apps,
    users: durable.users,
    appUsers: durable.appUsers,
    ephemeral,
  };
}

function invalid(path: string, what: string): OpenRunApiError {
  return new OpenRunApiError('IMPORT_INVALID', `${path}: ${what}; nothing was imported`);
}

function unique<T>(items: T[], key: (item: T) => string, path: string, field: string): Set<string> {
  const seen = new Set<string>();
  for (const [i, item] of items.entries()) {
    const k = key(item);
    if (seen.has(k)) throw invalid(`${path}[${i}].${field}`, `"${k}" appears twice`);
    seen.add(k);
  }
  return seen;
}

/** Checks what the schema cannot: real dates, unique keys, and that every reference names a record. */
export function checkStateDocument(doc: StateDocument): void {
  const appids = unique(doc.apps, (a) => a.appid, 'apps', 'appid');
  const userIds = unique(doc.users, (u) => u.id, 'users', 'id');
  unique(doc.users, (u) => u.deviceToken, 'users', 'deviceToken');
  for (const [i, u] of doc.users.entries()) {
    const dates = new Set<string>();
    for (const [j, d] of u.steps.entries()) {
      if (!isChinaDate(d.date)) throw invalid(`users[${i}].steps[${j}].date`, `"${d.date}" is not a calendar date`);
      if (dates.has(d.date)) throw invalid(`users[${i}].steps[${j}].date`, `"${d.date}" appears twice`);
      dates.add(d.date);
    }
    if (u.stepModel && !isChinaDate(u.stepModel.through)) throw invalid(`users[${i}].stepModel.through`, 'not a calendar date');
  }
  unique(doc.appUsers, (a) => `${a.appid} ${a.userId}`, 'appUsers', 'userId');
  unique(doc.appUsers, (a) => `${a.appid} ${a.openid}`, 'appUsers', 'openid');
  for (const [i, au] of doc.appUsers.entries()) {
    if (!appids.has(au.appid)) throw invalid(`appUsers[${i}].appid`, `no app has appid "${au.appid}"`);
    if (!userIds.has(au.userId)) throw invalid(`appUsers[${i}].userId`, `no user has id "${au.userId}"`);
    const platform = doc.apps.find((app) => app.appid === au.appid)!.platform;
    for (const scope of Object.keys(au.grants)) {
      if (!knownScopes(platform).includes(scope)) throw invalid(`appUsers[${i}].grants`, `"${scope}" is not a scope of ${platform} apps`);
    }
  }
  unique(doc.ephemeral.loginCodes, (c) => c.code, 'ephemeral.loginCodes', 'code');
  unique(doc.ephemeral.accessTokens, (t) => t.token, 'ephemeral.accessTokens', 'token');
  unique(doc.ephemeral.cloudIds, (c) => c.cloudId, 'ephemeral.cloudIds', 'cloudId');
  unique(doc.ephemeral.counters, (c) => c.key, 'ephemeral.counters', 'key');
  unique(doc.faults, (f) => f.id, 'faults', 'id');
  const clockProblem = clockInstantProblem(doc.clock.nowMs);
  if (clockProblem) throw invalid('clock.nowMs', clockProblem);
}

/** Replaces the whole state with the document, after checking all of it. */
export async function importState(ctx: PlatformContext, doc: StateDocument): Promise<void> {
  checkStateDocument(doc);
  const rules = (doc.faults as FaultRule[]).map((f, i) => {
    try {
      return { ...f, route: normaliseFaultRoute(ctx.operations, f.route) };
    } catch (error) {
      throw invalid(`faults[${i}].route`, (error as Error).message);
    }
  });
  await ctx.backend.importState(
    { apps: doc.apps, users: doc.users, appUsers: doc.appUsers },
    { ...doc.ephemeral, faults: rules, clock: ctx.clock.recordOf(doc.clock) },
  );
  await ctx.clock.refresh();
}
