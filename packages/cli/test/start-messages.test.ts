/**
 * What `openrun start` says at start-up: invalid values named, a port in use with the fix, the cloud functions it
 * found, function console lines on the terminal, and `--log` readable on a terminal but JSON in a pipe.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { createServer, type Server } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { BIN, openrun, requireBuiltCli } from './helpers/run-cli.js';

let dir: string;
beforeAll(() => {
  requireBuiltCli();
  dir = mkdtempSync(join(tmpdir(), 'openrun-start-'));
});
afterAll(() => rmSync(dir, { recursive: true, force: true }));

/** Starts `openrun start` and resolves once `ready` matches its output. */
function start(args: string[], ready: RegExp, env: Record<string, string> = {}): Promise<{ child: ChildProcess; out: () => string; exited: Promise<number | null> }> {
  const child = spawn(process.execPath, [BIN, 'start', ...args], { stdio: ['ignore', 'pipe', 'pipe'], env: { ...process.env, ...env } });
  let out = '';
  const exited = new Promise<number | null>((done) => child.on('exit', (code) => done(code)));
  return new Promise((resolveStart, reject) => {
    const timer = setTimeout(() => reject(new Error(`openrun start never printed ${ready}: ${out}`)), 20_000);
    const read = (d: Buffer) => {
      out += d.toString();
      if (ready.test(out)) {
        clearTimeout(timer);
        resolveStart({ child, out: () => out, exited });
      }
    };
    child.stdout!.on('data', read);
    child.stderr!.on('data', read);
    child.on('exit', (code) => reject(new Error(`openrun start exited ${code}: ${out}`)));
  });
}

it('OPENRUN_PORT=abc, OPENRUN_MEMORY=maybe and --data with --memory are errors that name the option or variable', async () => {
  const port = await openrun(['start', '--memory'], { env: { OPENRUN_PORT: 'abc' } });
  expect(port.code).not.toBe(0);
  expect(port.stderr).toBe('[openrun] OPENRUN_PORT="abc" is not a port: use a whole number from 0 to 65535 (0 picks a free one)\n');
  const flag = await openrun(['start', '--port', '0'], { env: { OPENRUN_MEMORY: 'maybe' } });
  expect(flag.code).not.toBe(0);
  expect(flag.stderr).toContain('OPENRUN_MEMORY="maybe" is not on or off');
  const both = await openrun(['start', '--port', '0', '--memory', '--data', join(dir, 'x')]);
  expect(both.code).not.toBe(0);
  expect(both.stderr).toContain('[openrun] --data and --memory contradict each other');
  const envBoth = await openrun(['start', '--port', '0', '--data', join(dir, 'x')], { env: { OPENRUN_MEMORY: 'yes' } });
  expect(envBoth.stderr).toContain('--data and OPENRUN_MEMORY contradict each other');
  const option = await openrun(['start', '--port', 'abc']);
  expect(option.stderr).toContain("option '-p, --port <port>' argument 'abc' is invalid");
});

it('OPENRUN_MEMORY=yes keeps the store in memory (it used to write ./.openrun)', async () => {
  const run = await start(['--no-seed'], /users:/, { OPENRUN_MEMORY: 'yes', OPENRUN_PORT: '0' });
  try {
    expect(run.out()).toContain('store: in memory (nothing is kept)');
  } finally {
    run.child.kill('SIGTERM');
    await run.exited;
  }
});

it('a port in use is named, with --port 0 and OPENRUN_PORT as the fix', async () => {
  const taken: Server = createServer();
  await new Promise<void>((done) => taken.listen(0, '127.0.0.1', done));
  const port = (taken.address() as { port: number }).port;
  try {
    const r = await openrun(['start', '--memory', '--port', String(port)]);
    expect(r.code).not.toBe(0);
    expect(r.stderr).toBe(
      `[openrun] port ${port} on 127.0.0.1 is already in use (another "openrun start"?). Pick another with --port ${port + 1} or OPENRUN_PORT=${port + 1}, or --port 0 for any free port.\n`,
    );
  } finally {
    taken.close();
  }
});

it('the banner lists the cloud functions with the env id to call them with, and their console lines reach the terminal', async () => {
  const functions = join(dir, 'functions');
  mkdirSync(join(functions, 'hello'), { recursive: true });
  writeFileSync(join(functions, 'hello', 'index.js'), "exports.main = async () => { console.log('hi from hello'); console.warn('careful'); return 1; };\n");
  mkdirSync(join(functions, 'steps'), { recursive: true });
  writeFileSync(join(functions, 'steps', 'index.js'), 'exports.main = async () => 2;\n');
  const run = await start(['--memory', '--port', '0', '--functions', functions], /deviceToken=/);
  try {
    const out = run.out();
    const env = /^ {4}hello {2}env=(\S+)$/m.exec(out)?.[1];
    expect(env, out).toBeDefined();
    expect(out).toMatch(new RegExp(`^ {4}steps {2}env=${env}$`, 'm'));
    const baseUrl = /listening on (http:\/\/\S+)/.exec(out)![1]!;
    const appid = /weapp +appid=(wx[0-9a-f]{16})/.exec(out)![1]!;
    expect(out).toContain(`call: POST ${baseUrl}/tcb/invokecloudfunction?access_token=<token of ${appid}>&env=${env}&name=hello`);
    const device = /deviceToken=(ordev_\w+)/.exec(out)![1]!;
    const r = await fetch(`${baseUrl}/openrun/runtime/v1/apps/${appid}/functions/hello`, {
      method: 'POST',
      headers: { authorization: `Bearer ${device}`, 'content-type': 'application/json' },
      body: '{"data":{}}',
    });
    expect(r.status).toBe(200);
    await expect.poll(() => run.out(), { timeout: 5000 }).toContain('[hello] hi from hello\n');
    expect(run.out()).toContain('[hello] warn: careful\n');
  } finally {
    run.child.kill('SIGTERM');
    await run.exited;
  }
});

it('--log prints JSON lines when stdout is a pipe, and readable lines on a terminal', async () => {
  const piped = await start(['--memory', '--port', '0', '--log'], /deviceToken=/);
  try {
    const baseUrl = /listening on (http:\/\/\S+)/.exec(piped.out())![1]!;
    await fetch(`${baseUrl}/cgi-bin/token?grant_type=client_credential&appid=wx0000000000000000&secret=s`);
    await expect.poll(() => piped.out(), { timeout: 5000 }).toMatch(/^\{"level":30,.*"url":"\/cgi-bin\/token"/m);
  } finally {
    piped.child.kill('SIGTERM');
    await piped.exited;
  }
  // `script` runs the CLI on a pseudo-terminal, as a user's shell would.
  const tty = spawn('script', ['-qec', `"${process.execPath}" "${BIN}" start --memory --port 0 --log`, '/dev/null'], { stdio: ['pipe', 'pipe', 'pipe'] });
  let out = '';
  tty.stdout.on('data', (d: Buffer) => (out += d.toString()));
  try {
    await expect.poll(() => out, { timeout: 20_000 }).toContain('deviceToken=');
    const baseUrl = /listening on (http:\/\/[\d.:]+)/.exec(out)![1]!;
    await fetch(`${baseUrl}/cgi-bin/token?grant_type=client_credential&appid=wx0000000000000000&secret=s`);
    await expect.poll(() => out, { timeout: 5000 }).toMatch(/INFO.*request completed/);
    const plain = out.replace(/\u001b\[[0-9;]*m/g, '');
    expect(plain).toMatch(/^\[\d\d:\d\d:\d\d\.\d{3}\] INFO: incoming request/m);
    expect(plain).not.toMatch(/^\{"level"/m);
    expect(plain).not.toContain('secret=s');
  } finally {
    tty.kill('SIGTERM');
  }
});
