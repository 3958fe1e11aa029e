import { spawn } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { buildPlatform } from '@openrun/platform';
import { afterAll, beforeAll, expect, it } from 'vitest';

const BIN = resolve(__dirname, '../bin/openrun.js');

let dir: string;
beforeAll(() => {
  if (!existsSync(resolve(__dirname, '../dist/index.js'))) throw new Error('[openrun] the CLI is not built: run `npm run build` (npm test does it first)');
  dir = mkdtempSync(join(tmpdir(), 'openrun-big-'));
});
afterAll(() => rmSync(dir, { recursive: true, force: true }));

/** Runs `openrun start` on `data` and returns what it printed up to the end of the banner. */
function banner(data: string): Promise<string> {
  const child = spawn(process.execPath, [BIN, 'start', '--port', '0', '--data', data], { stdio: ['ignore', 'pipe', 'pipe'] });
  let out = '';
  return new Promise((done, fail) => {
    const timer = setTimeout(() => {
      child.kill('SIGKILL');
      fail(new Error(`openrun start printed no user summary: ${out}`));
    }, 20_000);
    const read = (d: Buffer): void => {
      out += d.toString();
      if (/in all\).*\n/.test(out)) child.kill('SIGTERM');
    };
    child.stdout.on('data', read);
    child.stderr.on('data', read);
    child.on('exit', () => {
      clearTimeout(timer);
      done(out);
    });
  });
}

it('on a store of 3000 users the banner lists five and says how many more there are and where to list them', async () => {
  const data = join(dir, 'store');
  // A platform that is not listening requires the control token.
  const app = buildPlatform({ dataDir: data, controlToken: 'orctl_test' });
  const headers = { authorization: 'Bearer orctl_test' };
  await app.inject({ method: 'POST', url: '/openrun/control/v1/apps', payload: { platform: 'weapp' }, headers });
  for (let i = 0; i < 3; i++) {
    const r = await app.inject({ method: 'POST', url: '/openrun/control/v1/users/generate', payload: { count: 1000, days: 0 }, headers });
    expect(r.statusCode).toBe(201);
  }
  await app.close();

  const out = await banner(data);
  expect(out.match(/deviceToken=/g)).toHaveLength(5);
  expect(out).toMatch(/… and 2995 more \(3000 in all\): see http:\/\/127\.0\.0\.1:\d+\/ui\/ or GET http:\/\/127\.0\.0\.1:\d+\/openrun\/control\/v1\/users\?limit=100/);
  expect(out.split('\n').length).toBeLessThan(20);
});
