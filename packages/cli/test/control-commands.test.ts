import { spawn } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { buildPlatform, listenPlatform } from '@openrun/platform';
import type { FastifyInstance } from 'fastify';
import { afterAll, afterEach, beforeAll, beforeEach, expect, it } from 'vitest';

const BIN = resolve(__dirname, '../bin/openrun.js');

interface Run {
  code: number | null;
  stdout: string;
  stderr: string;
}

/** Runs the built CLI to completion (bounded by a timeout). */
function openrun(args: string[], timeoutMs = 20_000): Promise<Run> {
  const child = spawn(process.execPath, [BIN, ...args], { stdio: ['ignore', 'pipe', 'pipe'], env: { ...process.env, OPENRUN_CONTROL_TOKEN: '' } });
  let stdout = '';
  let stderr = '';
  child.stdout.on('data', (d: Buffer) => (stdout += d.toString()));
  child.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
  return new Promise((done, reject) => {
    const timer = setTimeout(() => {
      child.kill('SIGKILL');
      reject(new Error(`openrun ${args.join(' ')} did not finish: ${stdout}${stderr}`));
    }, timeoutMs);
    child.on('exit', (code) => {
      clearTimeout(timer);
      done({ code, stdout, stderr });
    });
  });
}

let dir: string;
let app: FastifyInstance;
let url: string;
beforeAll(() => {
  if (!existsSync(resolve(__dirname, '../dist/index.js'))) throw new Error('[openrun] the CLI is not built: run `npm run build` (npm test does it first)');
  dir = mkdtempSync(join(tmpdir(), 'openrun-cli-control-'));
});
afterAll(() => rmSync(dir, { recursive: true, force: true }));
beforeEach(async () => {
  app = buildPlatform({ memory: true });
  url = await listenPlatform(app, { host: '127.0.0.1', port: 0 });
});
afterEach(() => app.close());

const control = async <T>(method: string, path: string, body?: unknown): Promise<T> => {
  const r = await fetch(`${url}/openrun/control/v1${path}`, {
    method,
    ...(body === undefined ? {} : { body: JSON.stringify(body), headers: { 'content-type': 'application/json' } }),
  });
  const text = await r.text();
  return (text ? JSON.parse(text) : undefined) as T;
};

it('users generate creates N users in chunks and prints a summary (no progress bar when stderr is not a terminal)', async () => {
  const r = await openrun(['users', 'generate', '--count', '2500', '--days', '3', '--url', url]);
  expect(r.code, r.stderr).toBe(0);
  expect(r.stdout).toContain('generated 2500 users with 3 days of steps each');
  expect(r.stderr).toBe('');
  const first = await control<{ users: unknown[]; nextCursor: string }>('GET', '/users?limit=1000');
  const second = await control<{ users: unknown[]; nextCursor: string }>('GET', `/users?limit=1000&cursor=${first.nextCursor}`);
  const last = await control<{ users: unknown[]; nextCursor?: string }>('GET', `/users?limit=1000&cursor=${second.nextCursor}`);
  expect([first.users.length, second.users.length, last.users.length, last.nextCursor]).toEqual([1000, 1000, 500, undefined]);
});

it('clock advance takes 5m, 1d or 300s, and refuses a bad duration', async () => {
  await control('PUT', '/clock', { now: '2026-01-01T00:00:00Z', frozen: true });
  expect((await openrun(['clock', 'advance', '5m', '--url', url])).stdout).toContain('2026-01-01T00:05:00.000Z (frozen)');
  expect((await openrun(['clock', 'advance', '1d', '--url', url])).stdout).toContain('2026-01-02T00:05:00.000Z');
  expect((await openrun(['clock', 'advance', '300s', '--url', url])).stdout).toContain('2026-01-02T00:10:00.000Z');
  const bad = await openrun(['clock', 'advance', 'soon', '--url', url]);
  expect(bad.code).not.toBe(0);
  expect(bad.stderr).toContain('"soon" is not a duration');
});

it('faults add, list and clear work against the running platform', async () => {
  const added = await openrun(['faults', 'add', '--route', 'GET /sns/jscode2session', '--errcode', '-1', '--times', '1', '--url', url]);
  expect(added.stdout).toContain('added fault_1 on GET /sns/jscode2session');
  expect((await openrun(['faults', 'list', '--url', url])).stdout).toContain('fault_1  GET /sns/jscode2session  {"errcode":-1}  used 0/1');
  await openrun(['faults', 'clear', '--url', url]);
  expect((await control<{ faults: unknown[] }>('GET', '/faults')).faults).toEqual([]);
});

it('export writes the state to a file and import brings it back after a reset', async () => {
  await control('PUT', '/clock', { now: '2026-01-01T00:00:00Z', frozen: true });
  await control('POST', '/apps', { platform: 'weapp' });
  await control('POST', '/users/generate', { count: 3, days: 10 });
  const file = join(dir, 'state.json');
  expect((await openrun(['export', file, '--url', url])).code).toBe(0);
  const exported = readFileSync(file, 'utf8');
  await control('POST', '/reset');
  const imported = await openrun(['import', file, '--url', url]);
  expect(imported.code, imported.stderr).toBe(0);
  expect(JSON.stringify(await control('GET', '/export'))).toBe(JSON.stringify(JSON.parse(exported)));
});

it('steps import streams an Apple Health export into a user and reports a bad file precisely', async () => {
  const user = await control<{ id: string }>('POST', '/users', {});
  const xml = join(dir, 'export.xml');
  writeFileSync(
    xml,
    '<?xml version="1.0"?>\n<HealthData locale="en_US">\n' +
      '<Record type="HKQuantityTypeIdentifierStepCount" sourceName="iPhone" startDate="2026-01-01 10:00:00 +0800" endDate="2026-01-01 10:05:00 +0800" value="500"/>\n' +
      '<Record type="HKQuantityTypeIdentifierStepCount" sourceName="iPhone" startDate="2026-01-01 11:00:00 +0800" endDate="2026-01-01 11:05:00 +0800" value="250"/>\n' +
      '</HealthData>\n',
  );
  const ok = await openrun(['steps', 'import', user.id, xml, '--url', url]);
  expect(ok.stdout).toContain('imported 2 rows into 1 days (2026-01-01 … 2026-01-01)');
  const csv = join(dir, 'bad.csv');
  writeFileSync(csv, 'date,steps\n2026-01-02,5\n2026-13-02,5\n');
  const bad = await openrun(['steps', 'import', user.id, csv, '--url', url]);
  expect(bad.code).not.toBe(0);
  expect(bad.stderr).toContain('OR_ERR_CONTROL_IMPORT_INVALID: line 3: date "2026-13-02" is not a calendar date');
});

it('a command against a platform that is not there says so', async () => {
  const r = await openrun(['clock', 'show', '--url', 'http://127.0.0.1:9']);
  expect(r.code).not.toBe(0);
  expect(r.stderr).toContain('cannot reach the platform at http://127.0.0.1:9');
});
