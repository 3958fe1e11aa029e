/**
 * Group commit on the embedded store: the writes of one event-loop turn share one commit, yet each stays on its own —
 * a write that fails (a duplicate key, half-way through a multi-statement change) leaves the others of its batch and
 * changes nothing itself — and what a write resolved with is in the file when it resolves.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { afterEach, beforeEach, expect, it } from 'vitest';
import { openSqliteBackend } from '../../src/stores/sqlite/backend.js';
import type { StoreBackend } from '../../src/stores/store-backend.js';
import type { UserWithSteps } from '../../src/stores/durable-store.js';
import type { AccessTokenRecord, AppRecord } from '../../src/stores/records.js';

const T0 = Date.UTC(2026, 4, 1);
const app = (appid: string): AppRecord => ({
  appid, secret: '0'.repeat(32), platform: 'weapp', name: appid, cloud: false, cloudEnv: null, baseLibVersion: '3.7.0',
  openPlatformId: null, createdAt: T0,
});
const token = (name: string): AccessTokenRecord => ({
  token: `1_${name.padEnd(24, 'x')}`, appid: 'wx00000000000000a1', kind: 'normal', issuedAt: T0, expiresAt: T0 + 7_200_000, supersededUntil: null,
});

let dir: string;
let backend: StoreBackend;
beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), 'openrun-group-commit-'));
  backend = openSqliteBackend({ memory: false, dataDir: dir });
});
afterEach(async () => {
  await backend.close();
  rmSync(dir, { recursive: true, force: true });
});

/** What another connection to the file sees: committed rows only. */
const committedApps = (): string[] => {
  const db = new Database(join(dir, 'openrun.sqlite'), { readonly: true });
  try {
    return db.prepare<[], { appid: string }>('SELECT appid FROM apps ORDER BY appid').all().map((r) => r.appid);
  } finally {
    db.close();
  }
};

it('writes started in one turn are committed together, a failing one alone refused, and each is in the file once it resolves', async () => {
  await backend.durable.createApp(app('wx00000000000000a1'));
  const writes = [
    backend.durable.createApp(app('wx00000000000000a2')),
    backend.durable.createApp(app('wx00000000000000a1')), // a duplicate: refused
    backend.durable.createApp(app('wx00000000000000a3')),
  ];
  // Not yet committed: another connection does not see them before the end of the turn.
  expect(committedApps()).toEqual(['wx00000000000000a1']);
  const results = await Promise.allSettled(writes);
  expect(results.map((r) => r.status)).toEqual(['fulfilled', 'rejected', 'fulfilled']);
  expect(committedApps()).toEqual(['wx00000000000000a1', 'wx00000000000000a2', 'wx00000000000000a3']);
  expect(backend.settled?.()).toBeUndefined();
});

it('a multi-statement write that fails half-way inside a batch is undone entirely, the rest of the batch kept', async () => {
  await backend.ephemeral.issueAccessToken(token('first'), T0 + 300_000);
  const same = [
    // Supersedes "first", then fails on the insert (the token exists): the supersede must not stay.
    backend.ephemeral.issueAccessToken(token('first'), T0 + 300_000),
    backend.ephemeral.incrementCounter('k', T0 + 60_000),
  ];
  const results = await Promise.allSettled(same);
  expect(results.map((r) => r.status)).toEqual(['rejected', 'fulfilled']);
  expect(await backend.ephemeral.getAccessToken(token('first').token)).toMatchObject({ supersededUntil: null });
  expect(await backend.ephemeral.incrementCounter('k', T0 + 60_000)).toBe(2);
});

it('the write gate is fair: a write that waited for a bulk job goes before the bulk job queued behind it', async () => {
  const user = (id: string): UserWithSteps => ({
    user: { id, nickname: id, deviceToken: `ordev_${id}`, werunEnabled: true, hasStepCounter: true, promptAnswer: 'accept', createdAt: T0 },
    days: [],
    stepModel: null,
  });
  const order: string[] = [];
  let endFirst!: () => void;
  const firstMayEnd = new Promise<void>((done) => (endFirst = done));
  async function* first(): AsyncGenerator<UserWithSteps[]> {
    yield [user('a1')];
    order.push('first job writing');
    await firstMayEnd;
  }
  async function* second(): AsyncGenerator<UserWithSteps[]> {
    order.push(committedApps().includes('wxwaited') ? 'second job, after the write committed' : 'second job, before the write');
    yield [user('b1')];
  }
  const jobs = [backend.durable.createUsersWithSteps(first()), backend.durable.createUsersWithSteps(second())];
  while (!order.includes('first job writing')) await new Promise((done) => setImmediate(done));
  const waited = backend.durable.createApp(app('wxwaited'));
  endFirst();
  await Promise.all([...jobs, waited]);
  expect(order).toEqual(['first job writing', 'second job, after the write committed']);
});
