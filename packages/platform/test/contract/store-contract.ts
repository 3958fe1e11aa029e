/**
 * The store contract: one suite that every store backend must pass, as dex runs `storage/conformance` against each of
 * its backends. `runStoreContract(name, factory)` registers the cases; a backend cannot opt out of a case.
 */
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { createClock } from '../../src/domain/clock.js';
import type { AccessTokenRecord, AppRecord, NewFunctionCallRecord, UserRecord } from '../../src/stores/records.js';
import type { StoreBackend } from '../../src/stores/store-backend.js';
import type { Page, PageRequest } from '../../src/stores/page.js';
import type { DurableSnapshot, EphemeralImport, EphemeralSnapshot } from '../../src/stores/state-snapshot.js';
import type { StateRecord } from '../../src/stores/state-store.js';

/** Opens a fresh, empty backend; `reopen` opens the same place again after `close`. */
export interface StoreFactory {
  open(): Promise<StoreBackend>;
  /** Whether a reopened store still holds the state (false only for the in-memory store). */
  durable: boolean;
  /** Opens the place the last `open` used again. */
  reopen(): Promise<StoreBackend>;
  /** Removes the place (files, schema, keys). */
  cleanup(): Promise<void>;
}

const T0 = Date.UTC(2026, 11, 1, 4, 0, 0);
const MIN = 60_000;

const app = (appid: string, createdAt = T0): AppRecord => ({
  appid, secret: 'ab'.repeat(16), platform: 'weapp', name: `App ${appid}`, cloud: true, cloudEnv: 'env-1', baseLibVersion: '3.7.0',
  openPlatformId: null, createdAt,
});
const user = (id: string, createdAt = T0): UserRecord => ({
  id, nickname: `nick ${id}`, deviceToken: `dt_${id}`, werunEnabled: true, hasStepCounter: true, promptAnswer: 'accept', createdAt,
});
const token = (t: string, issuedAt: number, kind: AccessTokenRecord['kind'] = 'normal'): AccessTokenRecord => ({
  token: t, appid: 'wxa', kind, issuedAt, expiresAt: issuedAt + 7200_000, supersededUntil: null,
});
const call = (requestId: string): NewFunctionCallRecord => ({
  requestId, name: 'f', appid: 'wxa', source: 'wx_client', at: T0, durationMs: 3.5, ok: false, failure: 'timeout', message: 'late',
  logs: [{ level: 'log', text: 'hi' }],
});
const ALL = { limit: 1000 };

/** A state with one of everything, for round trips. */
function sampleState(): { durable: DurableSnapshot; ephemeral: EphemeralImport } {
  return {
    durable: {
      apps: [app('wxa'), app('wxb', T0 + 1)],
      users: [
        { ...user('u1'), steps: [{ date: '2026-11-30', steps: 10 }, { date: '2026-12-01', steps: 20 }], stepModel: null },
        {
          ...user('u2', T0 + 5), steps: [],
          stepModel: { seed: 4_000_000_000, baseline: 8000, weekendFactor: 1.25, restDayChance: 0.1, through: '2026-12-01' },
        },
      ],
      appUsers: [
        { appid: 'wxa', userId: 'u1', openid: 'o_1', unionid: 'un_1', sessionKey: 'k1', sessionRotatedAt: T0, grants: { 'scope.werun': true, 'scope.userInfo': false } },
        { appid: 'wxb', userId: 'u2', openid: 'o_2', unionid: null, sessionKey: null, sessionRotatedAt: null, grants: {} },
      ],
    },
    ephemeral: {
      loginCodes: [
        { code: 'c1', appid: 'wxa', userId: 'u1', expiresAt: T0 + 5 * MIN, used: false },
        { code: 'c2', appid: 'wxa', userId: 'u1', expiresAt: T0 + 4 * MIN, used: true },
      ],
      accessTokens: [token('t1', T0), { ...token('t0', T0 - 10), supersededUntil: T0 + 5 * MIN }, token('s1', T0, 'stable')],
      cloudIds: [{ cloudId: 'cid1', appid: 'wxa', openid: 'o_1', payload: '{"stepInfoList":[]}', expiresAt: T0 + 5 * MIN }],
      counters: [{ key: 'c2s:wxa:u1:1', value: 3, expiresAt: T0 + MIN }],
      faults: [
        { id: 'fault_7', route: 'GET /sns/jscode2session', action: { errcode: -1 }, times: 2, uses: 1 },
        { id: 'fault_3', route: 'POST /wxa/getopendata', action: { delayMs: 10 }, probability: 0.5, uses: 0 },
      ],
      clock: { offsetMs: 0, frozenAt: T0 },
    },
  };
}

/** Reads every page of a snapshot list. */
async function allPages<T>(read: (request: PageRequest) => Promise<Page<T>>): Promise<T[]> {
  const out: T[] = [];
  let after: string | undefined;
  do {
    // Pages of one record, so that every position a store hands out is passed back.
    const page = await read({ limit: 1, after });
    out.push(...page.items);
    after = page.next;
  } while (after !== undefined);
  return out;
}

/** The durable records of a snapshot. */
async function exportDurable(s: StoreBackend): Promise<DurableSnapshot> {
  const snapshot = await s.state.openSnapshot();
  try {
    return { apps: await snapshot.apps(), users: await allPages((r) => snapshot.users(r)), appUsers: await allPages((r) => snapshot.appUsers(r)) };
  } finally {
    await snapshot.close();
  }
}

/** The ephemeral records of a snapshot. */
async function exportEphemeral(s: StoreBackend): Promise<EphemeralSnapshot> {
  const snapshot = await s.state.openSnapshot();
  try {
    return {
      loginCodes: await allPages((r) => snapshot.loginCodes(r)),
      accessTokens: await allPages((r) => snapshot.accessTokens(r)),
      cloudIds: await allPages((r) => snapshot.cloudIds(r)),
      counters: await allPages((r) => snapshot.counters(r)),
    };
  } finally {
    await snapshot.close();
  }
}

/** Replaces the whole state with the records, one batch per list, with the faults and the clock. */
async function importInto(s: StoreBackend, durable: DurableSnapshot, ephemeral: EphemeralImport): Promise<void> {
  const batch = <K extends StateRecord['kind']>(kind: K, list: string, records: Extract<StateRecord, { kind: K }>['record'][]): StateRecord[] =>
    records.map((record, i) => ({ kind, path: `${list}[${i}]`, record }) as StateRecord);
  await s.state.replaceState(
    [
      batch('app', 'apps', durable.apps), batch('user', 'users', durable.users), batch('appUser', 'appUsers', durable.appUsers),
      batch('loginCode', 'ephemeral.loginCodes', ephemeral.loginCodes), batch('accessToken', 'ephemeral.accessTokens', ephemeral.accessTokens),
      batch('cloudId', 'ephemeral.cloudIds', ephemeral.cloudIds), batch('counter', 'ephemeral.counters', ephemeral.counters),
    ],
    () => ({ faults: ephemeral.faults, clock: ephemeral.clock }),
  );
}

/** Registers the contract for one backend. */
export function runStoreContract(name: string, factory: StoreFactory): void {
  describe(`store contract: ${name}`, () => {
    let s: StoreBackend;
    beforeEach(async () => {
      s = await factory.open();
    });
    afterEach(async () => {
      await s.close();
      await factory.cleanup();
    });

    it('apps: create, get, list in creation order, update', async () => {
      await s.durable.createApp(app('wxb', T0 + 1));
      await s.durable.createApp(app('wxa', T0));
      expect(await s.durable.getApp('wxa')).toEqual(app('wxa'));
      expect(await s.durable.getApp('nope')).toBeUndefined();
      expect((await s.durable.listApps()).map((a) => a.appid)).toEqual(['wxa', 'wxb']);
      expect(await s.durable.updateApp('wxa', { name: 'New', cloud: false, cloudEnv: null })).toEqual({ ...app('wxa'), name: 'New', cloud: false, cloudEnv: null });
      expect(await s.durable.getApp('wxa')).toMatchObject({ name: 'New', cloud: false, cloudEnv: null });
      expect(await s.durable.updateApp('nope', { name: 'x' })).toBeUndefined();
      await expect(s.durable.createApp(app('wxa'))).rejects.toThrow();
    });

    it('a read right after a change on the same store sees the change, the clock read at the start of each step as a request reads it', async () => {
      // A scale-out store answers reads from memory while the versions read with the clock hold: each change must
      // make the next read see it, and a record read before the change must not come back.
      const step = () => s.ephemeral.getClock();
      await s.durable.createApp(app('wxa'));
      await s.durable.createUser(user('u1'));
      await s.durable.recordLogin({ appid: 'wxa', userId: 'u1', newOpenid: 'o1', newUnionid: null, newSessionKey: 'k1', now: T0, minRotationMs: 0 });
      await s.ephemeral.issueAccessToken(token('t1', T0), T0);
      await s.ephemeral.issueCloudId({ cloudId: 'cid', appid: 'wxa', openid: 'o1', payload: '{}', expiresAt: T0 + MIN });
      for (let i = 0; i < 2; i++) {
        await step();
        expect((await s.durable.getApp('wxa'))?.name).toBe('App wxa');
        expect((await s.durable.getAppUser('wxa', 'u1'))?.sessionKey).toBe('k1');
        expect(await s.durable.getGrants('wxa', 'u1')).toEqual({});
        expect(await s.durable.getSteps('u1', '2026-11-01', '2026-12-01')).toEqual([]);
        expect((await s.ephemeral.getAccessToken('t1'))?.supersededUntil).toBeNull();
        expect(await s.ephemeral.getCloudId('cid')).toMatchObject({ openid: 'o1' });
        expect(await s.ephemeral.takeFault('GET /a', 0)).toBeUndefined();
      }
      await step();
      await s.durable.updateApp('wxa', { name: 'Renamed' });
      await s.durable.rotateSessionKey('wxa', 'u1', 'k2', T0 + 1);
      await s.durable.setGrants('wxa', 'u1', { 'scope.werun': true });
      await s.durable.putSteps('u1', [{ date: '2026-12-01', steps: 5 }]);
      await s.ephemeral.issueAccessToken(token('t2', T0 + 1), T0 + MIN);
      await s.ephemeral.addFault({ route: 'GET /a', action: { errcode: 7 }, times: 1 });
      for (const read of [async () => undefined, step]) {
        await read();
        expect((await s.durable.getApp('wxa'))?.name).toBe('Renamed');
        expect((await s.durable.getAppUser('wxa', 'u1'))?.sessionKey).toBe('k2');
        expect(await s.durable.getGrants('wxa', 'u1')).toEqual({ 'scope.werun': true });
        expect(await s.durable.getSteps('u1', '2026-11-01', '2026-12-01')).toEqual([{ date: '2026-12-01', steps: 5 }]);
        expect((await s.ephemeral.getAccessToken('t1'))?.supersededUntil).toBe(T0 + MIN);
      }
      expect((await s.ephemeral.takeFault('GET /a', 0))?.action).toEqual({ errcode: 7 });
      await step();
      expect(await s.ephemeral.takeFault('GET /a', 0)).toBeUndefined();
      await s.reset();
      await step();
      expect(await s.durable.getApp('wxa')).toBeUndefined();
      expect(await s.ephemeral.getAccessToken('t1')).toBeUndefined();
      expect(await s.ephemeral.getCloudId('cid')).toBeUndefined();
    });

    it('users: create, get by id and device token, list, update, delete with everything that hangs on them', async () => {
      await s.durable.createUser(user('u1'));
      await s.durable.createUser(user('u0', T0));
      expect(await s.durable.getUser('u1')).toEqual(user('u1'));
      expect(await s.durable.getUserByDeviceToken('dt_u1')).toEqual(user('u1'));
      expect(await s.durable.getUserByDeviceToken('dt_none')).toBeUndefined();
      expect((await s.durable.listUsers(ALL)).items.map((u) => u.id)).toEqual(['u1', 'u0']);
      expect(await s.durable.updateUser('u1', { nickname: 'Neo', promptAnswer: 'deny' })).toEqual({ ...user('u1'), nickname: 'Neo', promptAnswer: 'deny' });
      expect(await s.durable.updateUser('none', { nickname: 'x' })).toBeUndefined();
      await expect(s.durable.createUser({ ...user('u9'), deviceToken: 'dt_u1' })).rejects.toThrow();
      await s.durable.createApp(app('wxa'));
      await s.durable.putSteps('u1', [{ date: '2026-12-01', steps: 5 }]);
      await s.durable.recordLogin({ appid: 'wxa', userId: 'u1', newOpenid: 'o1', newUnionid: null, newSessionKey: 'k', now: T0, minRotationMs: 0 });
      await s.durable.setGrants('wxa', 'u1', { 'scope.werun': true });
      expect(await s.durable.deleteUser('u1')).toBe(true);
      expect(await s.durable.deleteUser('u1')).toBe(false);
      expect(await s.durable.getSteps('u1', '2026-01-01', '2026-12-31')).toEqual([]);
      expect(await s.durable.getAppUser('wxa', 'u1')).toBeUndefined();
      expect(await s.durable.getGrants('wxa', 'u1')).toEqual({});
    });

    it('steps: put replaces days, read a range oldest first; bulk creation is all or nothing; generated histories keep their model', async () => {
      await s.durable.createUser(user('u1'));
      await s.durable.putSteps('u1', [{ date: '2026-12-01', steps: 1 }, { date: '2026-11-29', steps: 2 }]);
      await s.durable.putSteps('u1', [{ date: '2026-12-01', steps: 3 }]);
      expect(await s.durable.getSteps('u1', '2026-11-30', '2026-12-31')).toEqual([{ date: '2026-12-01', steps: 3 }]);
      expect(await s.durable.getSteps('u1', '2026-01-01', '2026-12-31')).toEqual([{ date: '2026-11-29', steps: 2 }, { date: '2026-12-01', steps: 3 }]);
      const model = { seed: 1, baseline: 7000, weekendFactor: 1.5, restDayChance: 0.25, through: '2026-12-01' };
      await s.durable.createUsersWithSteps([
        [{ user: user('g1'), days: [{ date: '2026-12-01', steps: 9 }], stepModel: model }],
        [{ user: user('g2'), days: [], stepModel: null }],
      ]);
      expect(await s.durable.getStepModel('g1')).toEqual(model);
      expect(await s.durable.getStepModel('g2')).toBeUndefined();
      await expect(
        // The second batch repeats a user of the first store: the first batch is undone too.
        s.durable.createUsersWithSteps([[{ user: user('g3'), days: [], stepModel: null }], [{ user: user('g1'), days: [], stepModel: null }]]),
      ).rejects.toThrow();
      expect(await s.durable.getUser('g3')).toBeUndefined();
      await s.durable.saveGeneratedHistory('g1', [{ date: '2026-12-02', steps: 4 }], null);
      expect(await s.durable.getStepModel('g1')).toBeUndefined();
      expect(await s.durable.getSteps('g1', '2026-12-01', '2026-12-02')).toEqual([{ date: '2026-12-01', steps: 9 }, { date: '2026-12-02', steps: 4 }]);
    });

    it('deleteUsers removes the named users with their histories, models, openids and grants, and counts them', async () => {
      await s.durable.createApp(app('wxa'));
      const model = { seed: 1, baseline: 7000, weekendFactor: 1.5, restDayChance: 0.25, through: '2026-12-01' };
      const days = [{ date: '2026-12-01', steps: 9 }];
      await s.durable.createUsersWithSteps([['d1', 'd2', 'd3'].map((id) => ({ user: user(id), days, stepModel: model }))]);
      await s.durable.recordLogin({ appid: 'wxa', userId: 'd2', newOpenid: 'od2', newUnionid: null, newSessionKey: 'k', now: T0, minRotationMs: MIN });
      await s.durable.setGrants('wxa', 'd2', { 'scope.werun': true });
      expect(await s.durable.deleteUsers(['d1', 'd2', 'nobody'])).toBe(2);
      expect(await s.durable.getUser('d1')).toBeUndefined();
      expect(await s.durable.getUser('d2')).toBeUndefined();
      expect(await s.durable.getSteps('d2', '2026-12-01', '2026-12-01')).toEqual([]);
      expect(await s.durable.getStepModel('d1')).toBeUndefined();
      expect(await s.durable.getAppUser('wxa', 'd2')).toBeUndefined();
      expect(await s.durable.getGrants('wxa', 'd2')).toEqual({});
      expect(await s.durable.getSteps('d3', '2026-12-01', '2026-12-01')).toEqual(days);
      expect(await s.durable.deleteUsers([])).toBe(0);
    });

    it('app users: a login creates the openid once and rotates the session only when due; rotate, expire, list with grants', async () => {
      await s.durable.createApp(app('wxa'));
      await s.durable.createUser(user('u1'));
      const login = { appid: 'wxa', userId: 'u1', newUnionid: null, minRotationMs: 5 * MIN };
      const first = await s.durable.recordLogin({ ...login, newOpenid: 'o1', newSessionKey: 'k1', now: T0 });
      expect(first).toEqual({ appid: 'wxa', userId: 'u1', openid: 'o1', unionid: null, sessionKey: 'k1', sessionRotatedAt: T0 });
      expect(await s.durable.recordLogin({ ...login, newOpenid: 'oX', newSessionKey: 'k2', now: T0 + MIN })).toEqual(first);
      expect(await s.durable.recordLogin({ ...login, newOpenid: 'oX', newSessionKey: 'k3', now: T0 + 5 * MIN })).toMatchObject({ openid: 'o1', sessionKey: 'k3' });
      expect(await s.durable.getAppUserByOpenid('wxa', 'o1')).toMatchObject({ userId: 'u1', sessionKey: 'k3' });
      expect(await s.durable.rotateSessionKey('wxa', 'u1', 'k4', T0 + 6 * MIN)).toMatchObject({ sessionKey: 'k4', sessionRotatedAt: T0 + 6 * MIN });
      expect(await s.durable.expireSessionKey('wxa', 'u1')).toMatchObject({ sessionKey: null, sessionRotatedAt: T0 + 6 * MIN });
      expect(await s.durable.rotateSessionKey('wxa', 'nobody', 'k', T0)).toBeUndefined();
      expect(await s.durable.setGrants('wxa', 'u1', { 'scope.werun': true, 'scope.userInfo': false })).toEqual({ 'scope.userInfo': false, 'scope.werun': true });
      expect(await s.durable.setGrants('wxa', 'u1', { 'scope.userInfo': null })).toEqual({ 'scope.werun': true });
      expect((await s.durable.listAppUsers('wxa', ALL)).items).toEqual([{ ...(await s.durable.getAppUser('wxa', 'u1'))!, grants: { 'scope.werun': true } }]);
    });

    it('a login raced by 20 concurrent calls creates one openid', async () => {
      await s.durable.createApp(app('wxa'));
      await s.durable.createUser(user('u1'));
      const results = await Promise.all(
        Array.from({ length: 20 }, (_, i) =>
          s.durable.recordLogin({ appid: 'wxa', userId: 'u1', newOpenid: `o${i}`, newUnionid: null, newSessionKey: `k${i}`, now: T0, minRotationMs: MIN }),
        ),
      );
      expect(new Set(results.map((r) => r.openid)).size).toBe(1);
      expect(new Set(results.map((r) => r.sessionKey)).size).toBe(1);
    });

    it('long lists page with a stable position: users (with a prefix), app users, live codes, tokens and cloudIDs', async () => {
      await s.durable.createApp(app('wxa'));
      for (const id of ['ua', 'ub', 'xc', 'ud']) {
        await s.durable.createUser(user(id));
        await s.durable.recordLogin({ appid: 'wxa', userId: id, newOpenid: `o_${id}`, newUnionid: null, newSessionKey: null, now: T0, minRotationMs: 0 });
      }
      const users = async (request: { limit: number; prefix?: string }) => {
        const ids: string[] = [];
        let after: string | undefined;
        do {
          const page = await s.durable.listUsers({ ...request, after });
          expect(page.items.length).toBeLessThanOrEqual(request.limit);
          ids.push(...page.items.map((u) => u.id));
          after = page.next;
        } while (after !== undefined);
        return ids;
      };
      expect(await users({ limit: 3 })).toEqual(['ua', 'ub', 'xc', 'ud']);
      expect(await users({ limit: 1, prefix: 'u' })).toEqual(['ua', 'ub', 'ud']);
      expect(await users({ limit: 2, prefix: 'nick x' })).toEqual(['xc']);
      // Nicknames match without ASCII case; ids (and device tokens) are exact-case.
      expect(await users({ limit: 2, prefix: 'NiCK X' })).toEqual(['xc']);
      expect(await users({ limit: 2, prefix: 'U' })).toEqual([]);
      expect(await s.durable.countUsers()).toBe(4);
      const first = await s.durable.listAppUsers('wxa', { limit: 3 });
      expect(first.items.map((a) => a.userId)).toEqual(['ua', 'ub', 'xc']);
      expect((await s.durable.listAppUsers('wxa', { limit: 3, after: first.next })).items.map((a) => a.userId)).toEqual(['ud']);
      for (const [i, code] of ['c3', 'c1', 'c2'].entries()) await s.ephemeral.putLoginCode({ code, appid: 'wxa', userId: 'ua', expiresAt: T0 + (i === 0 ? 2 : 1) * MIN });
      const codes: string[] = [];
      let after: string | undefined;
      do {
        const page = await s.ephemeral.listLiveLoginCodes(T0, { limit: 1, after });
        codes.push(...page.items.map((c) => c.code));
        after = page.next;
      } while (after !== undefined);
      expect(codes).toEqual(['c1', 'c2', 'c3']);
      await s.ephemeral.issueAccessToken(token('t1', T0), T0);
      await s.ephemeral.issueAccessToken(token('t2', T0 + 1), T0 + MIN);
      const tokens = await s.ephemeral.listLiveAccessTokens(T0 + 2 * MIN, { limit: 1 });
      expect(tokens.items.map((t) => t.token)).toEqual(['t2']);
      expect(tokens.next).toBeUndefined();
      await s.ephemeral.issueCloudId({ cloudId: 'a', appid: 'wxa', openid: 'o', payload: '{}', expiresAt: T0 + MIN });
      await s.ephemeral.issueCloudId({ cloudId: 'b', appid: 'wxa', openid: 'o', payload: '{}', expiresAt: T0 + MIN });
      const ids = await s.ephemeral.listLiveCloudIds(T0, { limit: 1 });
      expect(ids.items.map((c) => c.cloudId)).toEqual(['a']);
      expect((await s.ephemeral.listLiveCloudIds(T0, { limit: 1, after: ids.next })).items.map((c) => c.cloudId)).toEqual(['b']);
    });

    it('login codes: exactly one of 50 concurrent takers gets the code; the others see it used; wrong app or expiry is invalid', async () => {
      await s.ephemeral.putLoginCode({ code: 'c1', appid: 'wxa', userId: 'u1', expiresAt: T0 + 5 * MIN });
      const results = await Promise.all(Array.from({ length: 50 }, () => s.ephemeral.takeLoginCode('c1', 'wxa', T0)));
      expect(results.filter((r) => r.status === 'ok')).toEqual([{ status: 'ok', userId: 'u1' }]);
      expect(results.filter((r) => r.status === 'used')).toHaveLength(49);
      await s.ephemeral.putLoginCode({ code: 'c2', appid: 'wxa', userId: 'u1', expiresAt: T0 + 5 * MIN });
      expect(await s.ephemeral.takeLoginCode('c2', 'wxb', T0)).toEqual({ status: 'invalid' });
      expect(await s.ephemeral.takeLoginCode('c2', 'wxa', T0 + 5 * MIN)).toEqual({ status: 'invalid' });
      expect(await s.ephemeral.takeLoginCode('nope', 'wxa', T0)).toEqual({ status: 'invalid' });
      expect((await s.ephemeral.listLiveLoginCodes(T0, ALL)).items).toEqual([
        { code: 'c1', appid: 'wxa', userId: 'u1', expiresAt: T0 + 5 * MIN, used: true },
        { code: 'c2', appid: 'wxa', userId: 'u1', expiresAt: T0 + 5 * MIN, used: false },
      ]);
    });

    it('take-and-count: a taken code counts in its user\'s counter in the same step; a code not taken counts nothing', async () => {
      const counter = { before: 'c2s:wxa:', after: ':7', expiresAt: T0 + MIN };
      for (let i = 0; i < 3; i++) await s.ephemeral.putLoginCode({ code: `c${i}`, appid: 'wxa', userId: 'u1', expiresAt: T0 + 5 * MIN });
      await s.ephemeral.putLoginCode({ code: 'other', appid: 'wxa', userId: 'u2', expiresAt: T0 + 5 * MIN });
      // 50 concurrent takers of one code: one takes it and counts once.
      const results = await Promise.all(Array.from({ length: 50 }, () => s.ephemeral.takeLoginCodeCounted('c0', 'wxa', T0, counter)));
      expect(results.filter((r) => r.status === 'ok')).toEqual([{ status: 'ok', userId: 'u1', count: 1 }]);
      expect(results.filter((r) => r.status === 'used')).toHaveLength(49);
      expect(await s.ephemeral.takeLoginCodeCounted('c1', 'wxb', T0, counter)).toEqual({ status: 'invalid' });
      expect(await s.ephemeral.takeLoginCodeCounted('c1', 'wxa', T0 + 5 * MIN, counter)).toEqual({ status: 'invalid' });
      expect(await s.ephemeral.takeLoginCodeCounted('nope', 'wxa', T0, counter)).toEqual({ status: 'invalid' });
      expect(await s.ephemeral.takeLoginCodeCounted('c2', 'wxa', T0, counter)).toEqual({ status: 'ok', userId: 'u1', count: 2 });
      expect(await s.ephemeral.takeLoginCodeCounted('c1', 'wxa', T0, counter)).toEqual({ status: 'ok', userId: 'u1', count: 3 });
      expect(await s.ephemeral.takeLoginCodeCounted('other', 'wxa', T0, counter)).toEqual({ status: 'ok', userId: 'u2', count: 1 });
      // The counter is the one incrementCounter names, with the expiry of its first count.
      expect(await s.ephemeral.incrementCounter('c2s:wxa:u1:7', T0 + 9 * MIN)).toBe(4);
      expect(await s.ephemeral.purgeExpired(T0 + MIN + 1, 100)).toBe(2);
      expect(await s.ephemeral.incrementCounter('c2s:wxa:u1:7', T0 + 9 * MIN)).toBe(1);
    });

    it('access tokens: a new token limits the previous ones of its kind; latest, get, live list', async () => {
      await s.ephemeral.issueAccessToken(token('t1', T0), T0);
      await s.ephemeral.issueAccessToken(token('s1', T0, 'stable'), T0);
      await s.ephemeral.issueAccessToken(token('t2', T0 + MIN), T0 + 6 * MIN);
      expect(await s.ephemeral.getAccessToken('t1')).toEqual({ ...token('t1', T0), supersededUntil: T0 + 6 * MIN });
      expect(await s.ephemeral.getAccessToken('s1')).toEqual(token('s1', T0, 'stable'));
      expect(await s.ephemeral.latestAccessToken('wxa', 'normal')).toEqual(token('t2', T0 + MIN));
      expect(await s.ephemeral.latestAccessToken('wxb', 'normal')).toBeUndefined();
      expect(await s.ephemeral.getAccessToken('nope')).toBeUndefined();
      expect((await s.ephemeral.listLiveAccessTokens(T0 + 2 * MIN, ALL)).items.map((t) => t.token)).toEqual(['s1', 't1', 't2']);
      expect((await s.ephemeral.listLiveAccessTokens(T0 + 7 * MIN, ALL)).items.map((t) => t.token)).toEqual(['s1', 't2']);
    });

    it('cloudIDs and counters: stored with their expiry; 50 concurrent increments count to 50', async () => {
      const rec = { cloudId: 'cid', appid: 'wxa', openid: 'o1', payload: '{"a":1}', expiresAt: T0 + 5 * MIN };
      await s.ephemeral.issueCloudId(rec);
      expect(await s.ephemeral.getCloudId('cid')).toEqual(rec);
      expect(await s.ephemeral.getCloudId('none')).toBeUndefined();
      expect((await s.ephemeral.listLiveCloudIds(T0, ALL)).items).toEqual([rec]);
      expect((await s.ephemeral.listLiveCloudIds(T0 + 5 * MIN, ALL)).items).toEqual([]);
      const values = await Promise.all(Array.from({ length: 50 }, () => s.ephemeral.incrementCounter('k', T0 + MIN)));
      expect([...values].sort((a, b) => a - b)).toEqual(Array.from({ length: 50 }, (_, i) => i + 1));
    });

    it('expiry follows the platform clock, advanced or frozen, whatever the real time', async () => {
      const clock = createClock(s.ephemeral);
      await clock.set({ nowMs: T0, frozen: true });
      const now = clock.now();
      await s.ephemeral.putLoginCode({ code: 'c1', appid: 'wxa', userId: 'u1', expiresAt: now + 5 * MIN });
      await s.ephemeral.issueCloudId({ cloudId: 'cid', appid: 'wxa', openid: 'o', payload: '{}', expiresAt: now + 5 * MIN });
      await new Promise((r) => setTimeout(r, 30));
      await clock.refresh();
      expect(clock.now()).toBe(T0);
      expect((await s.ephemeral.listLiveCloudIds(clock.now(), ALL)).items.map((c) => c.cloudId)).toEqual(['cid']);
      await clock.advance(301);
      expect(clock.now()).toBe(T0 + 301_000);
      expect((await s.ephemeral.listLiveCloudIds(clock.now(), ALL)).items).toEqual([]);
      expect(await s.ephemeral.takeLoginCode('c1', 'wxa', clock.now())).toEqual({ status: 'invalid' });
      // A clock set a year ahead keeps a code issued there valid for its five virtual minutes (the TTL only collects garbage).
      await clock.set({ nowMs: Date.now() + 365 * 86_400_000, frozen: false });
      await s.ephemeral.putLoginCode({ code: 'c2', appid: 'wxa', userId: 'u1', expiresAt: clock.now() + 5 * MIN });
      await clock.set({ nowMs: Date.now(), frozen: false });
      expect(await s.ephemeral.takeLoginCode('c2', 'wxa', clock.now())).toEqual({ status: 'ok', userId: 'u1' });
    });

    it('the clock: set and 50 concurrent advances add up on a running and on a frozen clock', async () => {
      expect(await s.ephemeral.getClock()).toEqual({ offsetMs: 0, frozenAt: null });
      await s.ephemeral.setClock({ offsetMs: 0, frozenAt: T0 });
      await Promise.all(Array.from({ length: 50 }, () => s.ephemeral.advanceClock(1000)));
      expect(await s.ephemeral.getClock()).toEqual({ offsetMs: 0, frozenAt: T0 + 50_000 });
      await s.ephemeral.setClock({ offsetMs: -5000, frozenAt: null });
      await Promise.all(Array.from({ length: 50 }, () => s.ephemeral.advanceClock(-1000)));
      expect(await s.ephemeral.getClock()).toEqual({ offsetMs: -55_000, frozenAt: null });
    });

    it('faults: newest first, ids never reused, a times-1 rule applies to exactly one of 50 concurrent calls, probabilities drawn', async () => {
      const a = await s.ephemeral.addFault({ route: 'GET /x', action: { errcode: -1 }, times: 1 });
      const b = await s.ephemeral.addFault({ route: 'GET /y', action: { drop: true } });
      expect(a).toEqual({ id: 'fault_1', route: 'GET /x', action: { errcode: -1 }, times: 1, uses: 0 });
      expect((await s.ephemeral.listFaults()).map((f) => f.id)).toEqual([b.id, a.id]);
      const taken = await Promise.all(Array.from({ length: 50 }, () => s.ephemeral.takeFault('GET /x', 0.5)));
      expect(taken.filter(Boolean)).toEqual([{ ...a, uses: 1 }]);
      expect(await s.ephemeral.takeFault('GET /none', 0)).toBeUndefined();
      const p = await s.ephemeral.addFault({ route: 'GET /p', action: { delayMs: 5 }, probability: 0.3 });
      expect(await s.ephemeral.takeFault('GET /p', 0.9)).toBeUndefined();
      expect(await s.ephemeral.takeFault('GET /p', 0.1)).toEqual({ ...p, uses: 1 });
      expect(await s.ephemeral.removeFault(b.id)).toBe(true);
      expect(await s.ephemeral.removeFault(b.id)).toBe(false);
      await s.ephemeral.clearFaults();
      expect(await s.ephemeral.listFaults()).toEqual([]);
      expect((await s.ephemeral.addFault({ route: 'GET /z', action: { errcode: 1 } })).id).toBe('fault_4');
    });

    it('the request log keeps the newest entries up to its capacity, numbered, filterable', async () => {
      const entry = (i: number) => ({ at: T0 + i, route: i % 2 ? 'GET /a' : 'GET /b', method: 'GET', url: `/a?i=${i}`, status: i % 3 ? 200 : 500, errcode: i % 3 ? null : -1, durationMs: 1.5, faultId: null, requestBody: i % 2 ? `{"i":${i}}` : null, responseBody: '{"errcode":0}' });
      await s.ephemeral.appendRequests(Array.from({ length: 8 }, (_, i) => entry(i)), 5);
      await s.ephemeral.appendRequests([entry(8), entry(9)], 5);
      const all = await s.ephemeral.listRequests({});
      expect(all.map((e) => e.at - T0)).toEqual([9, 8, 7, 6, 5]);
      expect(all[0]).toEqual({ seq: all[1]!.seq + 1, ...entry(9) });
      expect((await s.ephemeral.listRequests({ route: 'GET /a', status: 500 })).map((e) => e.at - T0)).toEqual([9]);
      expect((await s.ephemeral.listRequests({ since: T0 + 6, until: T0 + 9, limit: 2 })).map((e) => e.at - T0)).toEqual([8, 7]);
      await s.ephemeral.clearRequests();
      expect(await s.ephemeral.listRequests({})).toEqual([]);
    });

    it('the function-call log keeps the newest calls, newest first', async () => {
      for (const id of ['r1', 'r2', 'r3']) await s.ephemeral.appendFunctionCall(call(id), 2);
      const calls = await s.ephemeral.listFunctionCalls();
      expect(calls.map(({ seq: _seq, ...c }) => c)).toEqual([call('r3'), call('r2')]);
      expect(calls[0]!.seq).toBeGreaterThan(calls[1]!.seq);
    });

    it('the control token: the first claim wins, a chosen one replaces it, and reset keeps it', async () => {
      expect(await s.durable.getControlToken()).toBeUndefined();
      expect(await s.durable.claimControlToken('first', false)).toBe('first');
      expect(await s.durable.claimControlToken('second', false)).toBe('first');
      expect(await s.durable.claimControlToken('chosen', true)).toBe('chosen');
      await s.reset();
      expect(await s.durable.getControlToken()).toBe('chosen');
    });

    it('purge forgets records that expired before the instant, and only those', async () => {
      await s.ephemeral.putLoginCode({ code: 'old', appid: 'wxa', userId: 'u', expiresAt: T0 });
      await s.ephemeral.putLoginCode({ code: 'new', appid: 'wxa', userId: 'u', expiresAt: T0 + 2 * MIN });
      await s.ephemeral.issueAccessToken({ ...token('t-old', T0 - 7200_000) }, T0);
      await s.ephemeral.issueCloudId({ cloudId: 'c-old', appid: 'wxa', openid: 'o', payload: '{}', expiresAt: T0 });
      await s.ephemeral.incrementCounter('k-old', T0);
      expect(await s.ephemeral.purgeExpired(T0 + MIN, 2)).toBe(2);
      expect(await s.ephemeral.purgeExpired(T0 + MIN, 10)).toBe(2);
      expect(await s.ephemeral.purgeExpired(T0 + MIN, 10)).toBe(0);
      const left = await exportEphemeral(s);
      expect(left.loginCodes.map((c) => c.code)).toEqual(['new']);
      expect(left.accessTokens).toEqual([]);
      expect(left.cloudIds).toEqual([]);
      expect(left.counters).toEqual([]);
    });

    it('export then import gives the same state; reset forgets everything but the clock and function calls', async () => {
      const { durable, ephemeral } = sampleState();
      await importInto(s, durable, ephemeral);
      expect(await exportDurable(s)).toEqual(durable);
      const { faults, clock, ...records } = ephemeral;
      expect(await exportEphemeral(s)).toEqual(records);
      expect(await s.ephemeral.listFaults()).toEqual(faults);
      expect(await s.ephemeral.getClock()).toEqual(clock);
      expect((await s.ephemeral.addFault({ route: 'GET /n', action: { errcode: 1 } })).id).toBe('fault_8');
      await s.ephemeral.appendFunctionCall(call('r1'), 10);
      await s.ephemeral.appendRequests([{ at: T0, route: 'GET /a', method: 'GET', url: '/a', status: 200, errcode: null, durationMs: 1, faultId: null, requestBody: null, responseBody: null }], 10);
      await s.reset();
      expect(await exportDurable(s)).toEqual({ apps: [], users: [], appUsers: [] });
      expect(await exportEphemeral(s)).toEqual({ loginCodes: [], accessTokens: [], cloudIds: [], counters: [] });
      expect(await s.ephemeral.listFaults()).toEqual([]);
      expect(await s.ephemeral.listRequests({})).toEqual([]);
      expect(await s.ephemeral.getClock()).toEqual(clock);
      expect((await s.ephemeral.listFunctionCalls()).map((c) => c.requestId)).toEqual(['r1']);
    });

    it('each of several whole-state imports replaces the one before in full, ephemeral records, faults and clock too', async () => {
      const first = sampleState();
      await importInto(s, first.durable, first.ephemeral);
      await importInto(s, first.durable, first.ephemeral);
      const second = sampleState();
      second.durable.apps = second.durable.apps.map((a) => ({ ...a, name: `${a.name} again` }));
      second.ephemeral.loginCodes = [{ code: 'c9', appid: 'wxa', userId: 'u2', expiresAt: T0 + 3 * MIN, used: false }];
      second.ephemeral.faults = [{ id: 'fault_2', route: 'GET /x', action: { errcode: 5 }, uses: 0 }];
      second.ephemeral.clock = { offsetMs: 0, frozenAt: T0 + 7 * MIN };
      await importInto(s, second.durable, second.ephemeral);
      expect(await exportDurable(s)).toEqual(second.durable);
      expect((await exportEphemeral(s)).loginCodes).toEqual(second.ephemeral.loginCodes);
      expect(await s.ephemeral.listFaults()).toEqual(second.ephemeral.faults);
      expect(await s.ephemeral.getClock()).toEqual(second.ephemeral.clock);
    });

    it('single-record reads made before an import or a reset answer the new records after it, as a request reads them', async () => {
      const first = sampleState();
      await importInto(s, first.durable, first.ephemeral);
      // A request reads the clock first (on scale-out that read vouches for cached records), then the records.
      const reads = async () => {
        await s.ephemeral.getClock();
        return {
          app: (await s.durable.getApp('wxa'))?.name,
          user: (await s.durable.getUserByDeviceToken('dt_u1'))?.nickname,
          appUser: (await s.durable.getAppUser('wxa', 'u1'))?.sessionKey,
          grants: await s.durable.getGrants('wxa', 'u1'),
          steps: await s.durable.getSteps('u1', '2026-11-30', '2026-12-01'),
        };
      };
      expect(await reads()).toEqual(await reads());
      const second = sampleState();
      second.durable.apps = second.durable.apps.map((a) => ({ ...a, name: `${a.name} again` }));
      const [u1, u2] = second.durable.users;
      second.durable.users = [{ ...u1!, nickname: 'renamed', steps: [{ date: '2026-12-01', steps: 99 }] }, u2!];
      second.durable.appUsers = second.durable.appUsers.map((a) => (a.userId === 'u1' ? { ...a, sessionKey: 'k2', grants: { 'scope.werun': false } } : a));
      await importInto(s, second.durable, second.ephemeral);
      expect(await reads()).toEqual({
        app: 'App wxa again', user: 'renamed', appUser: 'k2', grants: { 'scope.werun': false }, steps: [{ date: '2026-12-01', steps: 99 }],
      });
      await s.reset();
      expect(await reads()).toEqual({ app: undefined, user: undefined, appUser: undefined, grants: {}, steps: [] });
    });

    it('a whole-state import that fails part-way leaves the old state, durable and ephemeral', async () => {
      const { durable, ephemeral } = sampleState();
      await importInto(s, durable, ephemeral);
      const bad = sampleState();
      bad.durable.apps = [app('wxNEW')];
      bad.ephemeral.loginCodes = [];
      bad.ephemeral.clock = { offsetMs: 0, frozenAt: T0 + 99 };
      // u1's app user names an app that is not in the snapshot: the durable part fails on its last rows.
      await expect(importInto(s, bad.durable, bad.ephemeral)).rejects.toThrow();
      expect(await exportDurable(s)).toEqual(durable);
      expect((await exportEphemeral(s)).loginCodes).toEqual(ephemeral.loginCodes);
      expect(await s.ephemeral.getClock()).toEqual(ephemeral.clock);
    });

    it('reopening the store finds the state again (the in-memory store starts empty)', async () => {
      const { durable, ephemeral } = sampleState();
      await importInto(s, durable, ephemeral);
      await s.durable.claimControlToken('kept', false);
      await s.close();
      s = await factory.reopen();
      if (factory.durable) {
        expect(await exportDurable(s)).toEqual(durable);
        expect((await exportEphemeral(s)).cloudIds).toEqual(ephemeral.cloudIds);
        expect(await s.ephemeral.listFaults()).toEqual(ephemeral.faults);
        expect(await s.durable.getControlToken()).toBe('kept');
      } else {
        expect(await exportDurable(s)).toEqual({ apps: [], users: [], appUsers: [] });
        expect(await s.durable.getControlToken()).toBeUndefined();
      }
    });
  });
}
