/**
 * Group commit keeps acknowledged writes (issue 10, the hot routes made faster): the SQLite store commits the writes of
 * one event-loop turn together, and a write is answered only once its batch is committed. A platform killed with
 * kill -9 while logins stream in must, after a restart, still hold every login code it answered with — each one
 * exchanges once — and pass `PRAGMA integrity_check`.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import Database from 'better-sqlite3';
import { afterAll, afterEach, beforeAll, expect, it } from 'vitest';

const BIN = resolve(__dirname, '../../bin/openrun.js');
/** Starts the CLI twice; on a busy machine one start takes seconds. */
const SLOW = 120_000;

let dir: string;
const children: ChildProcess[] = [];
beforeAll(() => {
  if (!existsSync(resolve(__dirname, '../../dist/index.js'))) throw new Error('[openrun] the CLI is not built: run `npm run build` (npm test does it first)');
  dir = mkdtempSync(join(tmpdir(), 'openrun-ack-crash-'));
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
