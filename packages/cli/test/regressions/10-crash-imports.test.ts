import { spawn, type ChildProcess } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { request } from 'node:http';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import Database from 'better-sqlite3';
import { afterAll, afterEach, beforeAll, expect, it } from 'vitest';

const BIN = resolve(__dirname, '../../bin/openrun.js');
/** Each test starts the CLI several times; on a busy machine one start takes seconds. */
const SLOW = 120_000;

let dir: string;
const children: ChildProcess[] = [];
beforeAll(() => {
  if (!existsSync(resolve(__dirname, '../../dist/index.js'))) throw new Error('[openrun] the CLI is not built: run `npm run build` (npm test does it first)');
  dir = mkdtempSync(join(tmpdir(), 'openrun-crash-'));
});
afterEach(() => {
  for (const c of children.splice(0)) if (c.exitCode === null) c.kill('SIGKILL');
});
afterAll(() => rmSync(dir, { recursive: true, force: true }));

/** Starts `openrun start` on `data` and resolves with it and its URL once the banner is printed. */
function start(data: string): Promise<{ child: ChildProcess; url: string }> {
  const child = spawn(process.execPath, [BIN, 'start', '--port', '0', '--data', data, '--no-seed'], { stdio: ['ignore', 'pipe', 'pipe'] });
  children.push(child);
  let out = '';
  return new Promise((done, fail) => {
    const read = (d: Buffer): void => {
      out += d.toString();
      const m = /OpenRun listening on (\S+)[\s\S]*users:\n/.exec(out);
      if (m) done({ child, url: m[1]! });
    };
    child.stdout!.on('data', read);
    child.stderr!.on('data', read);
    child.on('exit', (code) => fail(new Error(`openrun start exited (${code}): ${out}`)));
  });
}

async function kill9(child: ChildProcess): Promise<void> {
  const exited = new Promise((done) => child.once('exit', done));
  child.kill('SIGKILL');
  await exited;
}

async function json<T>(url: string, method = 'GET', body?: unknown, headers: Record<string, string> = {}): Promise<T> {
  const r = await fetch(url, {
    method,
    headers: { ...headers, ...(body === undefined ? {} : { 'content-type': 'application/json' }) },
    ...(body === undefined ? {} : { body: JSON.stringify(body) }),
  });
  if (r.status >= 300) throw new Error(`${method} ${url}: ${r.status} ${await r.text()}`);
  const text = await r.text();
  return (text ? JSON.parse(text) : {}) as T;
}

/**
 * Sends `body` to `url` in pieces and kills the platform once `killAfter` bytes are written (or, when `killAfter` is
 * the whole body, `lingerMs` after the last byte, while the platform is writing).
 */
function sendThenKill(url: string, contentType: string, body: Buffer, killAfter: number, lingerMs: number, child: ChildProcess): Promise<void> {
  return new Promise((done) => {
    const req = request(url, { method: 'POST', headers: { 'content-type': contentType, 'content-length': body.length } });
    req.on('error', () => undefined);
    req.on('response', (res) => res.resume());
    let sent = 0;
    const piece = 64 * 1024;
    const next = (): void => {
      if (sent >= killAfter) {
        setTimeout(() => void kill9(child).then(() => done()), sent >= body.length ? lingerMs : 0);
        return;
      }
      const end = Math.min(body.length, sent + piece, killAfter);
      const chunk = body.subarray(sent, end);
      sent = end;
      if (sent >= body.length) req.end(chunk, next);
      else req.write(chunk, next);
    };
    next();
  });
}

function integrity(data: string): string {
  const db = new Database(join(data, 'openrun.sqlite'), { readonly: true });
  try {
    return (db.pragma('integrity_check') as { integrity_check: string }[]).map((r) => r.integrity_check).join('; ');
  } finally {
    db.close();
  }
}

const DAYS = 40_000;
const csvOfDays = (steps: number): Buffer => {
  const lines = ['date,steps'];
  const first = Date.UTC(1900, 0, 1);
  for (let i = 0; i < DAYS; i++) lines.push(`${new Date(first + i * 86_400_000).toISOString().slice(0, 10)},${steps}`);
  return Buffer.from(`${lines.join('\n')}\n`);
};

it('kill -9 during a streamed steps import leaves the old history or the whole new one, and an intact database', async () => {
  const body = csvOfDays(2);
  // Mid-upload, and just after the last byte (while the days are checked and written).
  for (const [i, [killAfter, linger]] of ([[Math.floor(body.length / 2), 0], [body.length, 15]] as const).entries()) {
    const data = join(dir, `steps-${i}`);
    let { child, url } = await start(data);
    const user = await json<{ id: string }>(`${url}/openrun/control/v1/users`, 'POST', {});
    await json(`${url}/openrun/control/v1/users/${user.id}/steps`, 'PUT', { days: [{ date: '1900-01-01', steps: 1 }, { date: '2026-01-01', steps: 1 }] });
    await sendThenKill(`${url}/openrun/control/v1/users/${user.id}/steps/import`, 'text/csv', body, killAfter, linger, child);
    expect(integrity(data)).toBe('ok');
    ({ child, url } = await start(data));
    const days = (await json<{ days: { date: string; steps: number }[] }>(`${url}/openrun/control/v1/users/${user.id}/steps?from=1900-01-01&to=2026-01-01`)).days;
    const imported = days.filter((d) => d.steps === 2).length;
    expect([0, DAYS], `kill point ${i}: ${imported} of ${DAYS} new days`).toContain(imported);
    expect(days.find((d) => d.date === '2026-01-01')?.steps).toBe(1);
    if (killAfter < body.length) expect(imported).toBe(0);
    await kill9(child);
  }
}, SLOW);

interface Doc {
  users: { id: string }[];
  ephemeral: { loginCodes: { code: string; userId: string }[] };
}

it('kill -9 during a whole-state import leaves the old state or the whole new one: never new users with old codes', async () => {
  for (const [i, linger] of [5, 40].entries()) {
    const data = join(dir, `state-${i}`);
    let { child, url } = await start(data);
    const app = await json<{ appid: string }>(`${url}/openrun/control/v1/apps`, 'POST', { platform: 'weapp' });
    const old = await json<{ id: string; deviceToken: string }>(`${url}/openrun/control/v1/users`, 'POST', {});
    await fetch(`${url}/openrun/runtime/v1/apps/${app.appid}/login`, { method: 'POST', headers: { authorization: `Bearer ${old.deviceToken}` } });
    const before = await json<Doc & Record<string, unknown>>(`${url}/openrun/control/v1/export`);
    // The new state: other users, each with a login code, and the old user gone.
    await json(`${url}/openrun/control/v1/users/generate`, 'POST', { count: 400, days: 31 });
    const generated = await json<{ items?: { id: string; deviceToken: string }[]; users?: { id: string; deviceToken: string }[] }>(`${url}/openrun/control/v1/users?limit=500`);
    const users = (generated.items ?? generated.users ?? []).filter((u) => u.id !== old.id);
    for (const u of users.slice(0, 50)) {
      await fetch(`${url}/openrun/runtime/v1/apps/${app.appid}/login`, { method: 'POST', headers: { authorization: `Bearer ${u.deviceToken}` } });
    }
    await fetch(`${url}/openrun/control/v1/users/${old.id}`, { method: 'DELETE' });
    const after = await json<Doc>(`${url}/openrun/control/v1/export`);
    // Back to the old state, then import the new one and kill the platform while it is written.
    await json(`${url}/openrun/control/v1/import`, 'POST', before);
    const body = Buffer.from(JSON.stringify(after));
    await sendThenKill(`${url}/openrun/control/v1/import`, 'application/json', body, body.length, linger, child);
    expect(integrity(data)).toBe('ok');
    ({ child, url } = await start(data));
    const now = await json<Doc>(`${url}/openrun/control/v1/export`);
    const ids = now.users.map((u) => u.id).sort();
    const codes = now.ephemeral.loginCodes.map((c) => c.code).sort();
    const whole = (d: Doc) => ({ ids: d.users.map((u) => u.id).sort(), codes: d.ephemeral.loginCodes.map((c) => c.code).sort() });
    expect([whole(before), whole(after)], `kill after ${linger} ms`).toContainEqual({ ids, codes });
    await kill9(child);
  }
}, SLOW);

/**
 * Group commit keeps acknowledged writes (the hot routes made faster): the SQLite store commits the writes of one
 * event-loop turn together, and a write is answered only once its batch is committed. A platform killed with kill -9
 * while logins stream in must, after a restart, still hold every login code it answered with — each one exchanges
 * once — and pass `PRAGMA integrity_check`.
 */
it(
  'every login code answered before a kill -9 exchanges once after the restart',
  async () => {
    const data = join(dir, 'logins');
    const first = await start(data);
    const control = `${first.url}/openrun/control/v1`;
    const app = await json<{ appid: string; secret: string }>(`${control}/apps`, 'POST', { platform: 'weapp' });
    const users = await Promise.all(Array.from({ length: 8 }, () => json<{ deviceToken: string }>(`${control}/users`, 'POST', {})));

    // 16 logins in flight at a time, so several share each commit; the kill comes while they are still streaming.
    const answered: { code: string }[] = [];
    let stop = false;
    let sent = 0;
    const worker = async (): Promise<void> => {
      while (!stop) {
        const user = users[sent++ % users.length]!;
        try {
          const { code } = await json<{ code: string }>(`${first.url}/openrun/runtime/v1/apps/${app.appid}/login`, 'POST', undefined, {
            authorization: `Bearer ${user.deviceToken}`,
          });
          answered.push({ code });
        } catch {
          // The connection died with the platform: this login was never answered.
          return;
        }
        if (answered.length >= 400) {
          stop = true;
          first.child.kill('SIGKILL');
        }
      }
    };
    const exited = new Promise((done) => first.child.once('exit', done));
    await Promise.all(Array.from({ length: 16 }, worker));
    await exited;
    expect(answered.length).toBeGreaterThanOrEqual(400);

    const db = new Database(join(data, 'openrun.sqlite'), { readonly: true });
    expect(db.pragma('integrity_check', { simple: true })).toBe('ok');
    db.close();

    const second = await start(data);
    const errcodes = new Map<number, number>();
    for (const { code } of answered) {
      const reply = await json<{ errcode?: number; openid?: string }>(
        `${second.url}/sns/jscode2session?appid=${app.appid}&secret=${app.secret}&js_code=${code}&grant_type=authorization_code`,
      );
      const errcode = reply.errcode ?? 0;
      errcodes.set(errcode, (errcodes.get(errcode) ?? 0) + 1);
    }
    expect(Object.fromEntries(errcodes)).toEqual({ 0: answered.length });
  },
  SLOW,
);
