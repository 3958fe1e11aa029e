/**
 * `openrun start --functions DIR` from the built CLI: the seeded cloud app calls a fixture function through the runtime
 * API (the worker script resolves from `dist/`), and SIGTERM still stops the platform and its workers cleanly.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { existsSync } from 'node:fs';
import { resolve } from 'node:path';
import { createInterface } from 'node:readline';
import { beforeAll, expect, it } from 'vitest';

const BIN = resolve(__dirname, '../bin/openrun.js');
const FUNCTIONS = resolve(__dirname, '../../platform/test/fixtures/functions');

beforeAll(() => {
  if (!existsSync(resolve(__dirname, '../dist/index.js'))) {
    throw new Error('[openrun] the CLI is not built: run `npm run build` (npm test does it first)');
  }
});

/** Starts the CLI and resolves with its output once it printed the user lines. */
function start(args: string[]): Promise<{ child: ChildProcess; lines: string[]; exited: Promise<number | null> }> {
  const child = spawn(process.execPath, [BIN, 'start', '--port', '0', ...args], { stdio: ['ignore', 'pipe', 'pipe'] });
  const exited = new Promise<number | null>((done) => child.on('exit', (code) => done(code)));
  const lines: string[] = [];
  return new Promise((resolveStart, reject) => {
    const timer = setTimeout(() => reject(new Error(`openrun start printed no users: ${lines.join('\n')}`)), 20_000);
    child.stderr!.on('data', (d: Buffer) => lines.push(d.toString()));
    createInterface({ input: child.stdout! }).on('line', (line) => {
      lines.push(line);
      if (line.includes('deviceToken=')) {
        clearTimeout(timer);
        resolveStart({ child, lines, exited });
      }
    });
    child.on('exit', (code) => reject(new Error(`openrun start exited ${code}: ${lines.join('\n')}`)));
  });
}

it('openrun start --functions DIR runs the folder\'s functions for the seeded cloud app', async () => {
  const run = await start(['--memory', '--functions', FUNCTIONS]);
  try {
    const out = run.lines.join('\n');
    expect(out).toContain(`cloud functions: ${FUNCTIONS}`);
    const baseUrl = /listening on (http:\/\/\S+)/.exec(out)![1]!;
    const appid = /weapp +appid=(wx[0-9a-f]{16})/.exec(out)![1]!;
    const deviceToken = /deviceToken=(ordev_\w+)/.exec(out)![1]!;
    const r = await fetch(`${baseUrl}/openrun/runtime/v1/apps/${appid}/functions/echo`, {
      method: 'POST',
      headers: { authorization: `Bearer ${deviceToken}`, 'content-type': 'application/json' },
      body: JSON.stringify({ data: { from: 'cli' } }),
    });
    const body = (await r.json()) as { result: { event: { from: string; userInfo: { appId: string } }; wxContext: { APPID: string } } };
    expect(r.status).toBe(200);
    expect(body.result.event).toMatchObject({ from: 'cli', userInfo: { appId: appid } });
    expect(body.result.wxContext.APPID).toBe(appid);
  } finally {
    run.child.kill('SIGTERM');
    expect(await run.exited).toBe(0);
  }
});
