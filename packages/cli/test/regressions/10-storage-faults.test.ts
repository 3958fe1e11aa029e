import { spawn, type ChildProcess } from 'node:child_process';
import { chmodSync, chownSync, existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import Database from 'better-sqlite3';
import { afterAll, afterEach, beforeAll, expect, it } from 'vitest';

const BIN = resolve(__dirname, '../../bin/openrun.js');
const NOBODY = 65534;
/** Each test starts the CLI several times; on a busy machine one start takes seconds. */
const SLOW = 90_000;

let dir: string;
const children: ChildProcess[] = [];
beforeAll(() => {
  if (!existsSync(resolve(__dirname, '../../dist/index.js'))) throw new Error('[openrun] the CLI is not built: run `npm run build` (npm test does it first)');
  dir = mkdtempSync(join(tmpdir(), 'openrun-storage-'));
  chmodSync(dir, 0o755);
});
afterEach(() => {
  for (const c of children.splice(0)) if (c.exitCode === null) c.kill('SIGKILL');
});
afterAll(() => rmSync(dir, { recursive: true, force: true }));

interface Run {
  child: ChildProcess;
  out: () => string;
  /** Resolves with the URL once the banner says it listens. */
  listening: Promise<string>;
  exit: Promise<number | null>;
}

function start(data: string, asUser?: number): Run {
  const args = [BIN, 'start', '--port', '0', '--data', data, '--no-seed'];
  const [cmd, argv] =
    asUser === undefined ? [process.execPath, args] : ['setpriv', [`--reuid=${asUser}`, `--regid=${asUser}`, '--clear-groups', process.execPath, ...args]];
  const child = spawn(cmd, argv, { stdio: ['ignore', 'pipe', 'pipe'], env: { ...process.env, HOME: dir } });
  children.push(child);
  let out = '';
  const listening = new Promise<string>((done) => {
    const read = (d: Buffer): void => {
      out += d.toString();
      // The banner ends with the users list; by then the signal handlers are installed.
      const m = /OpenRun listening on (\S+)[\s\S]*users:\n/.exec(out);
      if (m) done(m[1]!);
    };
    child.stdout!.on('data', read);
    child.stderr!.on('data', read);
  });
  const exit = new Promise<number | null>((done) => child.on('exit', (code) => done(code)));
  return { child, out: () => out, listening, exit };
}

async function storeIn(name: string): Promise<string> {
  const data = join(dir, name);
  const run = start(data);
  await run.listening;
  run.child.kill('SIGTERM');
  await run.exit;
  return data;
}

it('a damaged database file stops the start before it listens, naming the file and what to do', async () => {
  const garbage = join(dir, 'garbage');
  mkdirSync(garbage);
  writeFileSync(join(garbage, 'openrun.sqlite'), 'this is not a database at all, just text '.repeat(200));
  const a = start(garbage);
  expect(await a.exit).not.toBe(0);
  expect(a.out()).toMatch(/the database file .*garbage\/openrun\.sqlite is damaged .*move it away/);
  expect(a.out()).not.toContain('listening');

  // A real store with a page overwritten fails PRAGMA quick_check.
  const data = await storeIn('damaged');
  const file = join(data, 'openrun.sqlite');
  const db = new Database(file);
  db.pragma('journal_mode = DELETE');
  db.exec('CREATE TABLE filler (x TEXT); ' + Array.from({ length: 50 }, (_, i) => `INSERT INTO filler VALUES ('${'x'.repeat(500)}${i}');`).join(' '));
  db.close();
  const bytes = readFileSync(file);
  for (let i = 4096 * 3; i < 4096 * 3 + 600; i++) bytes[i] = 0xff;
  writeFileSync(file, bytes);
  const b = start(data);
  expect(await b.exit).not.toBe(0);
  expect(b.out()).toMatch(/openrun\.sqlite is damaged \((PRAGMA quick_check|SQLITE_CORRUPT)/);
}, SLOW);

it('a store folder or database file this user cannot write stops the start with the --data path', async () => {
  const data = await storeIn('owned-by-root');
  if (process.getuid?.() === 0) {
    // Running as root (CI): start it as "nobody", the real case of a store created by another user.
    const a = start(data, NOBODY);
    expect(await a.exit).not.toBe(0);
    expect(a.out()).toMatch(/--data .*owned-by-root is not writable by this process .*run openrun as the user that owns/);
    // The folder writable but the database file not: still refused.
    chownSync(data, NOBODY, NOBODY);
    const b = start(data, NOBODY);
    expect(await b.exit).not.toBe(0);
    expect(b.out()).toMatch(/the database file .*openrun\.sqlite is not writable by this process/);
  } else {
    chmodSync(data, 0o555);
    const a = start(data);
    expect(await a.exit).not.toBe(0);
    expect(a.out()).toMatch(/is not writable by this process/);
    chmodSync(data, 0o755);
  }
  const notAFolder = join(dir, 'a-file');
  writeFileSync(notAFolder, '');
  const c = start(join(notAFolder, 'store'));
  expect(await c.exit).not.toBe(0);
  expect(c.out()).toMatch(/cannot create the store folder --data/);
}, SLOW);

it('a second start on the same --data refuses with the first one\'s pid and address; a lock left by kill -9 is taken over', async () => {
  const data = join(dir, 'locked');
  const first = start(data);
  const url = await first.listening;
  const second = start(data);
  expect(await second.exit).not.toBe(0);
  expect(second.out()).toContain(`another openrun (pid ${first.child.pid}, listening on ${url}) is using --data`);
  first.child.kill('SIGKILL');
  await first.exit;
  expect(existsSync(join(data, 'openrun.lock'))).toBe(true);
  const third = start(data);
  await third.listening;
  expect(JSON.parse(readFileSync(join(data, 'openrun.lock'), 'utf8')).pid).toBe(third.child.pid);
  third.child.kill('SIGTERM');
  expect(await third.exit).toBe(0);
  expect(existsSync(join(data, 'openrun.lock'))).toBe(false);
}, SLOW);

it('a store that breaks while running says so on stderr at once, without --log, once per cause per minute', async () => {
  const data = join(dir, 'breaks');
  const run = start(data);
  const url = await run.listening;
  const db = new Database(join(data, 'openrun.sqlite'));
  db.exec('DROP TABLE users');
  db.close();
  const create = () => fetch(`${url}/openrun/control/v1/users`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: '{}' });
  expect((await create()).status).toBe(500);
  expect((await create()).status).toBe(500);
  await new Promise((r) => setTimeout(r, 300));
  const lines = run.out().split('\n').filter((l) => l.includes('unexpected failure'));
  expect(lines).toHaveLength(1);
  expect(lines[0]).toMatch(/POST \/openrun\/control\/v1\/users: SqliteError: no such table: users/);
  run.child.kill('SIGTERM');
  await run.exit;
}, SLOW);
