/**
 * Export and import of the whole state as one JSON document (state-document.ts), streamed both ways. An export reads
 * a snapshot page by page and writes the document as text chunks, so memory stays flat whatever the size of the state.
 * An import reads the document as it arrives, checks each record (schema, calendar dates, duplicates, references) and
 * writes it into one transaction that replaces everything — durable records, ephemeral records, faults and clock; on
 * PostgreSQL + Redis the backend's all-or-nothing import across both (scale-out-backend.ts) — and anything wrong rolls
 * the whole import back. A round trip —
 * export, reset, import — gives an identical export.
 */
import { isChinaDate, type MiniProgramPlatform } from '@openrun/core';
import { Compile } from 'typebox/compile';
import type { Page, PageRequest } from '../stores/page.js';
import type { FaultRule } from '../stores/records.js';
import type { UserSnapshot } from '../stores/state-snapshot.js';
import { StateRecordRejected, type StateRecord, type StateRecordCounts } from '../stores/state-store.js';
import type { PlatformContext } from './context.js';
import { OpenRunApiError } from './errors.js';
import { clockInstantProblem } from './clock.js';
import { normaliseFaultRoute } from './fault-route.js';
import { knownScopes } from './grants.js';
import { findNulCharacter, jsonMayHoldNul, NUL_PROBLEM } from './nul-character.js';
import { explainSchemaError, type SchemaError } from './scenario/check-scenario.js';
import {
  AccessTokenState, AppState, AppUserState, CloudIdState, CounterState, LoginCodeState, StateDocument, UserState,
} from './state-document.js';
import { splitStateDocument, StateSyntaxError, type StateElement, type StateListName } from './state-stream/split-state-document.js';

/** Records read from the snapshot per page. */
const EXPORT_PAGE = 100;

/** What an import wrote. */
export type StateImportSummary = StateRecordCounts;

function invalid(path: string, what: string): OpenRunApiError {
  return new OpenRunApiError('IMPORT_INVALID', `${path}: ${what}; nothing was imported`);
}

const turn = (): Promise<void> => new Promise((done) => setImmediate(done));

async function* pages<T>(read: (request: PageRequest) => Promise<Page<T>>): AsyncGenerator<T[]> {
  let after: string | undefined;
  for (;;) {
    const page = await read({ limit: EXPORT_PAGE, after });
    yield page.items;
    if (page.next === undefined) return;
    after = page.next;
    await turn();
  }
}

/** Writes a list of records as a JSON array, page by page, one small piece of text per record. */
async function* jsonArray<T>(read: (request: PageRequest) => Promise<Page<T>>): AsyncGenerator<string> {
  yield '[';
  let first = true;
  for await (const items of pages(read)) {
    for (const item of items) {
      yield first ? JSON.stringify(item) : `,${JSON.stringify(item)}`;
      first = false;
    }
  }
  yield ']';
}

const faultView = (f: FaultRule): FaultRule => ({
  id: f.id, route: f.route, action: f.action,
  ...(f.times !== undefined ? { times: f.times } : {}),
  ...(f.probability !== undefined ? { probability: f.probability } : {}),
  uses: f.uses,
});

/** The whole state as the text chunks of one JSON document, read from a snapshot. */
export async function* streamState(ctx: PlatformContext): AsyncGenerator<string> {
  const faults = await ctx.ephemeral.listFaults();
  await ctx.clock.refresh();
  const clock = ctx.clock.state();
  const snapshot = await ctx.state.openSnapshot();
  try {
    const head = { format: 'openrun-state', version: 1, clock: { nowMs: clock.nowMs, frozen: clock.frozen }, faults: faults.map(faultView) };
    yield `${JSON.stringify(head).slice(0, -1)},"apps":${JSON.stringify(await snapshot.apps())},"users":`;
    yield* jsonArray((r) => snapshot.users(r));
    yield ',"appUsers":';
    yield* jsonArray((r) => snapshot.appUsers(r));
    yield ',"ephemeral":{"loginCodes":';
    yield* jsonArray((r) => snapshot.loginCodes(r));
    yield ',"accessTokens":';
    yield* jsonArray((r) => snapshot.accessTokens(r));
    yield ',"cloudIds":';
    yield* jsonArray((r) => snapshot.cloudIds(r));
    yield ',"counters":';
    yield* jsonArray((r) => snapshot.counters(r));
    yield '}}';
  } finally {
    await snapshot.close();
  }
}

/** The whole state as one document (for small states and tests; the control API streams). */
export async function exportState(ctx: PlatformContext): Promise<StateDocument> {
  let text = '';
  for await (const chunk of streamState(ctx)) text += chunk;
  return JSON.parse(text) as StateDocument;
}

type Checker = ReturnType<typeof Compile>;
const ELEMENTS: Record<StateListName, { kind: StateRecord['kind']; check: Checker; pointer: string }> = {
  apps: { kind: 'app', check: Compile(AppState), pointer: '/apps' },
  users: { kind: 'user', check: Compile(UserState), pointer: '/users' },
  appUsers: { kind: 'appUser', check: Compile(AppUserState), pointer: '/appUsers' },
  'ephemeral.loginCodes': { kind: 'loginCode', check: Compile(LoginCodeState), pointer: '/ephemeral/loginCodes' },
  'ephemeral.accessTokens': { kind: 'accessToken', check: Compile(AccessTokenState), pointer: '/ephemeral/accessTokens' },
  'ephemeral.cloudIds': { kind: 'cloudId', check: Compile(CloudIdState), pointer: '/ephemeral/cloudIds' },
  'ephemeral.counters': { kind: 'counter', check: Compile(CounterState), pointer: '/ephemeral/counters' },
};
const checkDocument = Compile(StateDocument);

function schemaProblem(check: Checker, value: unknown, pointer: string): OpenRunApiError {
  const errors = [...check.Errors(value)] as SchemaError[];
  const first = errors.find((e) => e.keyword !== 'boolean') ?? errors[0];
  if (!first) return invalid(pointer, 'not what the schema expects');
  const { text } = explainSchemaError(first, value);
  return invalid(`${pointer}${first.instancePath}`, text);
}

/** Checks what the schema cannot inside one user: real dates, each at most once. */
function checkHistory(user: UserSnapshot, path: string): void {
  const dates = new Set<string>();
  for (const [j, d] of user.steps.entries()) {
    if (!isChinaDate(d.date)) throw invalid(`${path}.steps[${j}].date`, `"${d.date}" is not a calendar date`);
    if (dates.has(d.date)) throw invalid(`${path}.steps[${j}].date`, `"${d.date}" appears twice`);
    dates.add(d.date);
  }
  if (user.stepModel && !isChinaDate(user.stepModel.through)) throw invalid(`${path}.stepModel.through`, 'not a calendar date');
}

/** A cloudID's payload is the JSON text getopendata hands out as it is: it must parse. */
function checkCloudIdPayload(payload: string, path: string): void {
  try {
    JSON.parse(payload);
  } catch (error) {
    throw invalid(`${path}.payload`, `not valid JSON text (${(error as Error).message})`);
  }
}

/** Checks across records: each grant names a scope of its app's platform (either platform's while the app is unseen). */
function createRecordCheck(): (record: StateRecord) => void {
  const platforms = new Map<string, MiniProgramPlatform>();
  const anyScope = new Set([...knownScopes('weapp'), ...knownScopes('qq')]);
  return (r) => {
    if (r.kind === 'app') platforms.set(r.record.appid, r.record.platform);
    else if (r.kind === 'user') checkHistory(r.record, r.path);
    else if (r.kind === 'cloudId') checkCloudIdPayload(r.record.payload, r.path);
    else if (r.kind === 'appUser') {
      const platform = platforms.get(r.record.appid);
      for (const scope of Object.keys(r.record.grants)) {
        if (platform ? !knownScopes(platform).includes(scope) : !anyScope.has(scope)) {
          throw invalid(`${r.path}.grants`, `"${scope}" is not a scope of ${platform ?? 'weapp or qq'} apps`);
        }
      }
    }
  };
}

function recordOf(element: StateElement): StateRecord {
  const spec = ELEMENTS[element.list];
  const path = `${element.list}[${element.index}]`;
  let value: unknown;
  try {
    value = JSON.parse(element.text);
  } catch (error) {
    throw invalid(path, `not valid JSON (${(error as Error).message})`);
  }
  if (!spec.check.Check(value)) throw schemaProblem(spec.check, value, `${spec.pointer}/${element.index}`);
  const nul = jsonMayHoldNul(element.text) ? findNulCharacter(value, path) : undefined;
  if (nul !== undefined) throw invalid(nul, NUL_PROBLEM);
  return { kind: spec.kind, path, record: value } as StateRecord;
}

/** The rest of the document: format, version, clock, faults (routes normalised), and lists that are lists. */
function checkSkeleton(text: string, operations: ReadonlySet<string>): StateDocument {
  let doc: unknown;
  try {
    doc = JSON.parse(text);
  } catch (error) {
    throw invalid('(top level)', `not valid JSON (${(error as Error).message})`);
  }
  if (!checkDocument.Check(doc)) throw schemaProblem(checkDocument, doc, '');
  const nul = jsonMayHoldNul(text) ? findNulCharacter(doc) : undefined;
  if (nul !== undefined) throw invalid(nul.replace(/^\./, ''), NUL_PROBLEM);
  const skeleton = doc as StateDocument;
  const ids = new Set<string>();
  for (const [i, f] of skeleton.faults.entries()) {
    if (ids.has(f.id)) throw invalid(`faults[${i}].id`, `"${f.id}" appears twice`);
    ids.add(f.id);
  }
  const clockProblem = clockInstantProblem(skeleton.clock.nowMs);
  if (clockProblem) throw invalid('clock.nowMs', clockProblem);
  const rules = skeleton.faults.map((f, i) => {
    try {
      return { ...f, route: normaliseFaultRoute(operations, f.route) };
    } catch (error) {
      throw invalid(`faults[${i}].route`, (error as Error).message);
    }
  });
  return { ...skeleton, faults: rules };
}

/** Turns the split document into checked record batches; the skeleton is checked before the last batch is handed on. */
async function* recordBatches(
  source: AsyncIterable<string>,
  maxDepth: number,
  operations: ReadonlySet<string>,
  done: (skeleton: StateDocument) => void,
): AsyncGenerator<StateRecord[]> {
  const split = splitStateDocument(source, maxDepth);
  const check = createRecordCheck();
  for (;;) {
    const step = await split.next();
    if (step.done) {
      done(checkSkeleton(step.value, operations));
      return;
    }
    const records = step.value.map(recordOf);
    records.forEach(check);
    yield records;
  }
}

async function replaceAll(
  ctx: PlatformContext,
  batches: (done: (skeleton: StateDocument) => void) => AsyncIterable<StateRecord[]> | Iterable<StateRecord[]>,
): Promise<StateImportSummary> {
  let skeleton: StateDocument | undefined;
  let counts: StateRecordCounts;
  try {
    counts = await ctx.state.replaceState(batches((s) => (skeleton = s)), () => ({
      faults: skeleton!.faults as FaultRule[],
      clock: ctx.clock.recordOf(skeleton!.clock),
    }));
  } catch (error) {
    if (error instanceof StateRecordRejected) throw invalid(error.path, error.problem);
    if (error instanceof StateSyntaxError) throw invalid(error.path, error.message.slice(error.path.length + 2));
    throw error;
  }
  await ctx.clock.refresh();
  return counts;
}

/**
 * Replaces the whole state with a document read as a stream of text, nested at most `maxDepth` deep; nothing changes
 * when any part is wrong.
 */
export async function importStateStream(
  ctx: PlatformContext,
  source: AsyncIterable<string>,
  maxDepth: number,
): Promise<StateImportSummary> {
  return replaceAll(ctx, (done) => recordBatches(source, maxDepth, ctx.operations, done));
}

function* documentRecords(doc: StateDocument, operations: ReadonlySet<string>, done: (skeleton: StateDocument) => void): Generator<StateRecord[]> {
  const check = createRecordCheck();
  const lists: [StateListName, unknown[]][] = [
    ['apps', doc.apps], ['users', doc.users], ['appUsers', doc.appUsers],
    ['ephemeral.loginCodes', doc.ephemeral.loginCodes], ['ephemeral.accessTokens', doc.ephemeral.accessTokens],
    ['ephemeral.cloudIds', doc.ephemeral.cloudIds], ['ephemeral.counters', doc.ephemeral.counters],
  ];
  for (const [list, items] of lists) {
    const kind = ELEMENTS[list].kind;
    const batch = items.map((record, index) => ({ kind, path: `${list}[${index}]`, record }) as StateRecord);
    for (const r of batch) {
      const nul = findNulCharacter(r.record, r.path);
      if (nul !== undefined) throw invalid(nul, NUL_PROBLEM);
    }
    batch.forEach(check);
    yield batch;
  }
  const rest = { ...doc, apps: [], users: [], appUsers: [], ephemeral: { loginCodes: [], accessTokens: [], cloudIds: [], counters: [] } };
  done(checkSkeleton(JSON.stringify(rest), operations));
}

/** Replaces the whole state with a document already in memory (a scenario, a test); nothing changes when it is wrong. */
export async function importState(ctx: PlatformContext, doc: StateDocument): Promise<StateImportSummary> {
  return replaceAll(ctx, (done) => documentRecords(doc, ctx.operations, done));
}
