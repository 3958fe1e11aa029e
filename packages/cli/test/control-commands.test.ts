import { spawn } from 'node:child_process';
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { buildPlatform, listenPlatform } from '@openrun/platform';
import type { FastifyInstance } from 'fastify';
import { afterAll, afterEach, beforeAll, expect, it } from 'vitest';
import { BIN, openrun, requireBuiltCli } from './helpers/run-cli.js';

let dir: string;
let app: FastifyInstance;
let url: string;
beforeAll(() => {
  requireBuiltCli();
  dir = mkdtempSync(join(tmpdir(), 'openrun-cli-control-'));
});
afterAll(() => rmSync(dir, { recursive: true, force: true }));
afterEach(() => app?.close());

async function platform(options: Parameters<typeof buildPlatform>[0] = {}): Promise<void> {
  app = buildPlatform({ memory: true, ...options });
  url = await listenPlatform(app, { host: '127.0.0.1', port: 0 });
}

const control = async <T>(method: string, path: string, body?: unknown): Promise<T> => {
  const r = await fetch(`${url}/openrun/control/v1${path}`, {
    method,
    ...(body === undefined ? {} : { body: JSON.stringify(body), headers: { 'content-type': 'application/json' } }),
  });
  const text = await r.text();
  return (text ? JSON.parse(text) : undefined) as T;
};

it('users generate creates N users in chunks and prints their ids and device tokens (no progress bar off a terminal)', async () => {
  await platform();
  const r = await openrun(['users', 'generate', '--count', '1200', '--days', '1', '--url', url]);
  expect(r.code, r.stderr).toBe(0);
  expect(r.stderr).toBe('');
  const listed = JSON.parse((await openrun(['users', 'list', '--json', '--url', url])).stdout) as { users: { id: string; deviceToken: string }[] };
  const users = listed.users;
  expect(users).toHaveLength(1200);
  expect(new Set(users.map((u) => u.id)).size).toBe(1200);
  const lines = r.stdout.trimEnd().split('\n');
  expect(lines[0]).toMatch(/^ID +NICKNAME +DEVICE TOKEN$/);
  expect(lines).toHaveLength(1 + 1200 + 1);
  for (const u of users) expect(r.stdout).toMatch(new RegExp(`^${u.id} .* ${u.deviceToken}$`, 'm'));
  expect(lines.at(-1)).toBe('[openrun] generated 1200 users with 1 day of steps each');
  const one = await openrun(['users', 'generate', '--count', '1', '--days', '2', '--json', '--url', url]);
  expect((JSON.parse(one.stdout) as { users: { deviceToken: string }[] }).users[0]!.deviceToken).toMatch(/^ordev_/);
});

it('users list prints a table, or the JSON with --json', async () => {
  await platform();
  expect((await openrun(['users', 'list', '--url', url])).stdout).toBe('[openrun] no users\n');
  const alice = await control<{ id: string; deviceToken: string }>('POST', '/users', { nickname: 'Alice' });
  const table = (await openrun(['users', 'list', '--url', url])).stdout.split('\n');
  expect(table[0]).toMatch(/^ID +NICKNAME +DEVICE TOKEN +WERUN +ANSWERS$/);
  expect(table[1]).toMatch(new RegExp(`^${alice.id} +Alice +${alice.deviceToken} +on +accept$`));
  const json = JSON.parse((await openrun(['users', 'list', '--json', '--url', url])).stdout) as { users: { id: string }[] };
  expect(json.users.map((u) => u.id)).toEqual([alice.id]);
  await control('POST', '/users', { nickname: 'Bob' });
  expect((await openrun(['users', 'list', '--search', 'Bo', '--url', url])).stdout).toMatch(/^ID.*\n\S+ +Bob +ordev_\S+ +on +accept\n$/);
  expect((await openrun(['users', 'list', '--search', 'Zed', '--url', url])).stdout).toBe('[openrun] no user starts with "Zed"\n');
  expect((await openrun(['users', 'list', '--limit', '1', '--url', url])).stdout).toContain(alice.id);
  expect((await openrun(['users', 'list', '--limit', '1', '--url', url])).stdout).not.toContain('Bob');
});

it('apps create registers an app and prints its credentials; apps list shows it (table and --json)', async () => {
  await platform();
  const created = await openrun(['apps', 'create', '--platform', 'weapp', '--name', 'Walk', '--cloud', '--url', url]);
  expect(created.code, created.stderr).toBe(0);
  const appid = /created weapp app (wx[0-9a-f]{16})/.exec(created.stdout)![1]!;
  expect(created.stdout).toMatch(new RegExp(`appid=${appid} secret=[0-9a-f]{32} cloud env=\\S+`));
  await openrun(['apps', 'create', '--platform', 'qq', '--url', url]);
  const list = (await openrun(['apps', 'list', '--url', url])).stdout.split('\n');
  expect(list[0]).toMatch(/^PLATFORM +APPID +SECRET +CLOUD ENV +BASE LIB +NAME$/);
  expect(list.some((l) => l.startsWith('weapp') && l.includes(appid) && l.endsWith('Walk'))).toBe(true);
  expect(list.some((l) => /^qq +\d{10} +[0-9a-f]{32} +off /.test(l))).toBe(true);
  const json = JSON.parse((await openrun(['apps', 'list', '--json', '--url', url])).stdout) as { apps: { appid: string }[] };
  expect(json.apps).toHaveLength(2);
  const bad = await openrun(['apps', 'create', '--platform', 'android', '--url', url]);
  expect(bad.code).not.toBe(0);
  expect(bad.stderr).toContain('the platform is weapp (WeChat) or qq');
});

it('clock advance takes 5m, 1d, 300s and negative durations in every position, and prints China time', async () => {
  await platform();
  await control('PUT', '/clock', { now: '2026-03-04T15:50:00Z', frozen: true });
  expect((await openrun(['clock', 'advance', '5m', '--url', url])).stdout).toBe('[openrun] platform time 2026-03-04 23:55:00 +08:00 (frozen)\n');
  expect((await openrun(['clock', 'advance', '1d', '--url', url])).stdout).toContain('2026-03-05 23:55:00 +08:00');
  expect((await openrun(['clock', 'advance', '300s', '--url', url])).stdout).toContain('2026-03-06 00:00:00 +08:00');
  const back = await openrun(['clock', 'advance', '-1d', '--url', url]);
  expect(back.code, back.stderr).toBe(0);
  expect(back.stdout).toContain('2026-03-05 00:00:00 +08:00');
  expect((await openrun(['clock', 'advance', '--url', url, '-90s'])).stdout).toContain('2026-03-04 23:58:30 +08:00');
  expect((await openrun(['clock', 'advance', '--url', url, '--', '-30s'])).stdout).toContain('2026-03-04 23:58:00 +08:00');
  expect((await openrun(['clock', 'advance', '-2h', `--url=${url}`])).stdout).toContain('2026-03-04 21:58:00 +08:00');
  const bad = await openrun(['clock', 'advance', 'soon', '--url', url]);
  expect(bad.code).not.toBe(0);
  expect(bad.stderr).toContain('"soon" is not a duration');
});

it('clock set takes an instant, or a date meaning 00:00 China time and saying so', async () => {
  await platform();
  const day = await openrun(['clock', 'set', '2026-03-04', '--url', url]);
  expect(day.stdout).toBe(
    "[openrun] 2026-03-04 is taken as 00:00 China time (UTC+8), the platform's day boundary\n[openrun] platform time 2026-03-04 00:00:00 +08:00\n",
  );
  expect((await control<{ now: string }>('GET', '/clock')).now.slice(0, 19)).toBe('2026-03-03T16:00:00');
  expect((await openrun(['clock', 'freeze', '--url', url])).stdout).toContain('(frozen)');
  expect((await openrun(['clock', 'set', '2026-03-04T23:59:00+08:00', '--url', url])).stdout).toContain('2026-03-04 23:59:00 +08:00');
  expect((await openrun(['clock', 'show', '--url', url])).stdout).toBe('[openrun] platform time 2026-03-04 23:59:00 +08:00 (frozen)\n');
  const bad = await openrun(['clock', 'set', '2026-02-30', '--url', url]);
  expect(bad.code).not.toBe(0);
  expect(bad.stderr).toContain('"2026-02-30" is not a calendar date');
});

it('faults add, list (with probability and use counts) and clear work against the running platform', async () => {
  await platform();
  const added = await openrun(['faults', 'add', '--route', 'GET /sns/jscode2session', '--errcode', '-1', '--times', '1', '--url', url]);
  expect(added.stdout).toContain('added fault_1 on GET /sns/jscode2session');
  await openrun(['faults', 'add', '--route', 'GET /cgi-bin/token', '--delay', '10', '--probability', '0.25', '--url', url]);
  const list = (await openrun(['faults', 'list', '--url', url])).stdout.split('\n');
  expect(list[0]).toMatch(/^ID +ROUTE +ACTION +PROBABILITY +USED$/);
  expect(list).toContainEqual(expect.stringMatching(/^fault_1 +GET \/sns\/jscode2session +errcode -1 +1 +0\/1$/));
  expect(list).toContainEqual(expect.stringMatching(/^fault_2 +GET \/cgi-bin\/token +delay 10 ms +0\.25 +0$/));
  expect(JSON.parse((await openrun(['faults', 'list', '--json', '--url', url])).stdout)).toMatchObject({ faults: [{ id: 'fault_2', probability: 0.25 }, { id: 'fault_1' }] });
  await openrun(['faults', 'clear', '--url', url]);
  expect((await control<{ faults: unknown[] }>('GET', '/faults')).faults).toEqual([]);
});

it('export writes the state to a file and import brings it back after a reset', async () => {
  await platform();
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

it('a missing or unreadable file is its own error, never "cannot reach the platform"', async () => {
  await platform();
  const user = await control<{ id: string }>('POST', '/users', {});
  const missing = await openrun(['import', join(dir, 'nonexist.json'), '--url', url]);
  expect(missing.code).not.toBe(0);
  expect(missing.stderr).toBe(`[openrun] cannot read ${join(dir, 'nonexist.json')}: no such file\n`);
  const folder = await openrun(['steps', 'import', user.id, dir, '--format', 'csv', '--url', url]);
  expect(folder.stderr).toBe(`[openrun] cannot read ${dir}: it is a folder, not a file\n`);
  const scenario = await openrun(['scenario', 'apply', join(dir, 'nope.yaml'), '--url', url]);
  expect(scenario.code).not.toBe(0);
  expect(scenario.stderr).toContain(`cannot read the scenario file ${join(dir, 'nope.yaml')}`);
  expect(missing.stderr + folder.stderr + scenario.stderr).not.toContain('cannot reach');
});

it('export into a pipe that closes early ends quietly (no "write EPIPE")', async () => {
  await platform();
  await control('POST', '/users/generate', { count: 2000, days: 60 });
  const r = await new Promise<{ code: number | null; stderr: string; head: string }>((done) => {
    const child = spawn('bash', ['-o', 'pipefail', '-c', `"${process.execPath}" "${BIN}" export --url ${url} | head -c 64`], { stdio: ['ignore', 'pipe', 'pipe'] });
    let stderr = '';
    let head = '';
    child.stdout.on('data', (d: Buffer) => (head += d.toString()));
    child.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
    child.on('exit', (code) => done({ code, stderr, head }));
  });
  expect(r.head).toHaveLength(64);
  expect(r.stderr).toBe('');
  expect(r.code).toBe(0);
  const list = await new Promise<{ code: number | null; stderr: string }>((done) => {
    const child = spawn('bash', ['-o', 'pipefail', '-c', `"${process.execPath}" "${BIN}" users list --url ${url} | head -n 1`], { stdio: ['ignore', 'ignore', 'pipe'] });
    let stderr = '';
    child.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
    child.on('exit', (code) => done({ code, stderr }));
  });
  expect(list).toEqual({ code: 0, stderr: '' });
});

it('steps import streams an Apple Health export into a user, counts in singular and plural, and reports a bad file precisely', async () => {
  await platform();
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
  expect(ok.stdout).toContain('imported 2 rows into 1 day (2026-01-01 … 2026-01-01)');
  const one = join(dir, 'one.csv');
  writeFileSync(one, 'date,steps\n2026-01-02,5\n');
  expect((await openrun(['steps', 'import', user.id, one, '--url', url])).stdout).toContain('imported 1 row into 1 day (');
  const csv = join(dir, 'bad.csv');
  writeFileSync(csv, 'date,steps\n2026-01-02,5\n2026-13-02,5\n');
  const bad = await openrun(['steps', 'import', user.id, csv, '--url', url]);
  expect(bad.code).not.toBe(0);
  expect(bad.stderr).toContain('OR_ERR_CONTROL_IMPORT_INVALID: line 3: date "2026-13-02" is not a calendar date');
});

it('reset refuses without a terminal unless --yes, and --yes empties the store', async () => {
  await platform();
  await control('POST', '/users', {});
  const refused = await openrun(['reset', '--url', url], { stdin: '' });
  expect(refused.code).not.toBe(0);
  expect(refused.stderr).toContain('stdin is not a terminal to ask on: run "openrun reset --yes" to confirm');
  expect((await control<{ users: unknown[] }>('GET', '/users')).users).toHaveLength(1);
  const done = await openrun(['reset', '--yes', '--url', url]);
  expect(done.stdout).toBe(`[openrun] ${url} was reset: the store is empty\n`);
  expect((await control<{ users: unknown[] }>('GET', '/users')).users).toEqual([]);
});

it('reset on a terminal asks, and only "y" resets', async () => {
  await platform();
  await control('POST', '/users', {});
  // `script` gives the CLI a pseudo-terminal, as a user's shell would.
  const onTty = (answer: string) =>
    new Promise<string>((done) => {
      const child = spawn('script', ['-qec', `"${process.execPath}" "${BIN}" reset --url ${url}`, '/dev/null'], { stdio: ['pipe', 'pipe', 'pipe'] });
      let out = '';
      let answered = false;
      // The CLI may exit before the pty has passed the answer on: a late write must not fail the run.
      child.stdin.on('error', () => {});
      child.stdout.on('data', (d: Buffer) => {
        out += d.toString();
        if (!answered && out.includes('[y/N]')) {
          answered = true;
          child.stdin.write(`${answer}\n`);
        }
      });
      child.on('exit', () => done(out));
    });
  const no = await onTty('n');
  expect(no).toContain(`Forget every app, user, history and grant on ${url}? [y/N]`);
  expect(no).toContain('nothing was reset');
  expect((await control<{ users: unknown[] }>('GET', '/users')).users).toHaveLength(1);
  expect(await onTty('y')).toContain('was reset');
  expect((await control<{ users: unknown[] }>('GET', '/users')).users).toEqual([]);
});

it('scenario apply replaces the state with a YAML file and reports what it holds', async () => {
  await platform();
  const file = join(dir, 'team.yaml');
  writeFileSync(
    file,
    'apps:\n  - { platform: weapp, appid: wx0123456789abcdef, secret: 0123456789abcdef0123456789abcdef }\nusers:\n  - { id: alice, generate: { seed: 1, days: 3 } }\n  - { id: bob }\n',
  );
  const r = await openrun(['scenario', 'apply', file, '--url', url]);
  expect(r.stdout).toBe(`[openrun] applied ${file}: 1 app, 2 users\n`);
  const bad = join(dir, 'bad.yaml');
  writeFileSync(bad, 'users:\n  - { id: 7 }\n');
  const refused = await openrun(['scenario', 'apply', bad, '--url', url]);
  expect(refused.code).not.toBe(0);
  expect(refused.stderr).toContain('HTTP 400');
  expect((await control<{ users: { id: string }[] }>('GET', '/users')).users.map((u) => u.id).sort()).toEqual(['alice', 'bob']);
});

it('requests prints the recent log oldest first and exits; --follow keeps printing new calls', async () => {
  await platform();
  await control('PUT', '/clock', { now: '2026-03-04T15:50:00Z', frozen: true });
  await fetch(`${url}/sns/jscode2session?appid=wx0000000000000000&secret=s&js_code=c&grant_type=authorization_code`);
  await fetch(`${url}/cgi-bin/token?grant_type=client_credential&appid=wx0000000000000000&secret=topsecret`);
  const r = await openrun(['requests', '--url', url]);
  expect(r.code, r.stderr).toBe(0);
  const lines = r.stdout.trimEnd().split('\n');
  expect(lines).toHaveLength(2);
  expect(lines[0]).toMatch(/^2026-03-04 23:50:00 \+08:00  200  GET    \/sns\/jscode2session\?.*js_code=\[redacted\].* ms  errcode 40013$/);
  expect(lines[1]).toContain('/cgi-bin/token?');
  expect(r.stdout).not.toContain('topsecret');

  const child = spawn(process.execPath, [BIN, 'requests', '--follow', '--url', url], { stdio: ['ignore', 'pipe', 'pipe'] });
  try {
    let out = '';
    const seen = (n: number) =>
      new Promise<void>((done) => {
        const check = () => out.trimEnd().split('\n').filter(Boolean).length >= n && done();
        child.stdout.on('data', (d: Buffer) => {
          out += d.toString();
          check();
        });
        check();
      });
    await seen(2);
    await fetch(`${url}/wxa/checksession?access_token=x&openid=y&signature=z&sig_method=hmac_sha256`);
    await seen(3);
    expect(out.trimEnd().split('\n')[2]).toContain('GET    /wxa/checksession?');
    expect(child.exitCode).toBeNull();
  } finally {
    child.kill('SIGINT');
  }
});

it('functions calls prints each call with its result, duration, errors and console output', async () => {
  const functions = join(dir, 'functions');
  mkdirSync(join(functions, 'hello'), { recursive: true });
  writeFileSync(join(functions, 'hello', 'index.js'), "exports.main = async (event) => { console.log('hi from hello', event.n); return { twice: event.n * 2 }; };\n");
  mkdirSync(join(functions, 'broken'), { recursive: true });
  writeFileSync(join(functions, 'broken', 'index.js'), "exports.main = async () => { console.error('about to fail'); throw new Error('no steps'); };\n");
  await platform({ functionsDir: functions });
  const wx = await control<{ appid: string }>('POST', '/apps', { platform: 'weapp', cloud: true });
  const user = await control<{ deviceToken: string }>('POST', '/users', {});
  const call = (name: string) =>
    fetch(`${url}/openrun/runtime/v1/apps/${wx.appid}/functions/${name}`, {
      method: 'POST',
      headers: { authorization: `Bearer ${user.deviceToken}`, 'content-type': 'application/json' },
      body: JSON.stringify({ data: { n: 21 } }),
    });
  expect((await call('hello')).status).toBe(200);
  await call('broken');
  const r = await openrun(['functions', 'calls', '--url', url]);
  expect(r.code, r.stderr).toBe(0);
  const lines = r.stdout.trimEnd().split('\n');
  expect(lines[0]).toBe('[openrun] 2 functions: broken, hello');
  expect(lines[1]).toMatch(new RegExp(`^\\d{4}-\\d\\d-\\d\\d \\d\\d:\\d\\d:\\d\\d \\+08:00  hello  ${wx.appid}  [\\d.]+ ms  ok  result \\{"twice":42\\}  \\(\\S+\\)$`));
  expect(lines[2]).toBe('    log   hi from hello 21');
  expect(lines[3]).toMatch(/ broken  .* ms  FAILED \w+: .*no steps/);
  expect(lines).toContain('    error about to fail');
});

it('a command against a platform that is not there says so', async () => {
  const r = await openrun(['clock', 'show', '--url', 'http://127.0.0.1:9']);
  expect(r.code).not.toBe(0);
  expect(r.stderr).toContain('cannot reach the platform at http://127.0.0.1:9');
});
