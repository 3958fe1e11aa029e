/**
 * Regression (issue #9): a NUL character (\u0000) in a string made PostgreSQL answer 500 (its text cannot hold one).
 * The rule is the same on every backend, so that a state moves between SQLite and PostgreSQL unchanged: a body or an
 * imported state holding one is a 400 naming the field, and nothing is written; a key holding one names nothing.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { PlatformOptions } from '@openrun/platform';
import { code2sessionPath, startTestPlatform, type TestApp, type TestPlatform, type TestUser } from '../helpers/platform.js';
import { createScaleOutPlace, scaleOutServers, warnScaleOutSkipped, type ScaleOutPlace } from '../helpers/scale-out-servers.js';

const servers = scaleOutServers();
if (!servers) warnScaleOutSkipped('the NUL character regression');

type ErrorReply = { error: { code: string; message: string } };

const backends: [string, () => Promise<{ options: PlatformOptions; drop(): Promise<void> }>][] = [
  ['SQLite', async () => ({ options: { memory: true }, drop: async () => undefined })],
];
if (servers) {
  backends.push([
    'PostgreSQL + Redis',
    async () => {
      const place: ScaleOutPlace = await createScaleOutPlace(servers);
      return { options: { memory: false, postgresUrl: place.postgresUrl, redisUrl: place.redisUrl }, drop: () => place.drop() };
    },
  ]);
}

describe.each(backends)('a NUL character on %s', (_name, open) => {
  let p: TestPlatform;
  let drop: () => Promise<void>;
  let app: TestApp;
  let user: TestUser;
  beforeAll(async () => {
    const backend = await open();
    drop = backend.drop;
    p = await startTestPlatform(backend.options);
    await p.freezeClock('2026-12-01T04:00:00Z');
    app = await p.createApp({ platform: 'weapp', name: 'Plain' });
    user = await p.createUser({ nickname: 'Plain' });
  });
  afterAll(async () => {
    await p?.close();
    await drop?.();
  });

  it('in a nickname, an app name or a fault route is a 400 naming the field, and nothing is written', async () => {
    const created = await p.control<ErrorReply>('POST', '/users', { nickname: 'Mal\u0000lory' });
    expect(created.status).toBe(400);
    expect(created.body.error.code).toBe('OR_ERR_REQUEST_INVALID');
    expect(created.body.error.message).toMatch(/^body\.nickname contains a NUL character/);
    const patched = await p.control<ErrorReply>('PATCH', `/users/${user.id}`, { nickname: '\u0000' });
    expect(patched.status).toBe(400);
    expect(patched.body.error.message).toMatch(/^body\.nickname /);
    expect((await p.control<{ nickname: string }>('GET', `/users/${user.id}`)).body.nickname).toBe('Plain');
    const renamed = await p.control<ErrorReply>('PATCH', `/apps/${app.appid}`, { name: 'a\u0000' });
    expect(renamed.status).toBe(400);
    expect(renamed.body.error.message).toMatch(/^body\.name /);
    const fault = await p.control<ErrorReply>('POST', '/faults', { route: 'GET /sns/jscode2session\u0000', errcode: -1 });
    expect(fault.status).toBe(400);
    expect((await p.control<{ users: unknown[] }>('GET', '/users')).body.users).toHaveLength(1);
  });

  it('in an imported state is a 400 naming the record and field, and the state stays as it was', async () => {
    const state = (await p.control<{ users: { nickname: string }[] }>('GET', '/export')).body;
    const before = JSON.stringify(state);
    state.users[0]!.nickname = 'Eve\u0000';
    const imported = await p.control<ErrorReply>('POST', '/import', state);
    expect(imported.status).toBe(400);
    expect(imported.body.error.code).toBe('OR_ERR_CONTROL_IMPORT_INVALID');
    expect(imported.body.error.message).toMatch(/^users\[0\]\.nickname: contains a NUL character/);
    const withFault = JSON.parse(before) as { faults: unknown[] };
    withFault.faults = [{ id: 'fault_1', route: 'GET /sns/jscode2session\u0000', action: { errcode: -1 }, uses: 0 }];
    const faulted = await p.control<ErrorReply>('POST', '/import', withFault);
    expect(faulted.status).toBe(400);
    expect(faulted.body.error.message).toMatch(/^faults\[0\]\.route: contains a NUL character/);
    expect(JSON.stringify((await p.control('GET', '/export')).body)).toBe(before);
  });

  it('in a key names nothing: 404 or the platform errcode, never a 500', async () => {
    expect((await p.control('GET', '/users/u%00')).status).toBe(404);
    expect((await p.control('PATCH', '/users/u%00', { nickname: 'x' })).status).toBe(404);
    expect((await p.control('DELETE', '/users/u%00')).status).toBe(404);
    expect((await p.control('GET', `/apps/wx%00`)).status).toBe(404);
    expect((await p.control<{ users: unknown[] }>('GET', '/users?q=%00')).body.users).toEqual([]);
    const exchanged = await p.request<{ errcode: number }>('GET', code2sessionPath(app, 'c', { appid: `${app.appid}\u0000` }));
    expect(exchanged.body.errcode).toBe(40013);
    expect((await p.control('GET', `/apps/${app.appid}/users/u%00/grants`)).status).toBeLessThan(500);
  });
});
