/**
 * Functions are discovered at start and on change: a new folder becomes callable, and an edited index.js replaces the
 * warm workers, without restarting the platform.
 */
import { existsSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, expect, it } from 'vitest';
import { callFunction, startCloudSetup, type CloudSetup } from './helpers.js';

let dir: string;
let s: CloudSetup;

function writeFunction(name: string, version: number, body = `return { version: ${version} };`): void {
  mkdirSync(join(dir, name), { recursive: true });
  writeFileSync(join(dir, name, 'package.json'), JSON.stringify({ name, main: 'index.js' }));
  writeFileSync(join(dir, name, 'index.js'), `exports.main = async (event) => { ${body} };\n`);
}

/** Calls `name` until it answers `version` (bounded: 50 tries, 100 ms apart). */
async function eventuallyVersion(name: string, version: number): Promise<unknown> {
  let last: unknown;
  for (let i = 0; i < 50; i++) {
    const r = await callFunction(s, name);
    last = r.body.result ?? r.body.error;
    if ((r.body.result as { version?: number } | undefined)?.version === version) return last;
    await new Promise((done) => setTimeout(done, 100));
  }
  return last;
}

beforeEach(async () => {
  dir = mkdtempSync(join(tmpdir(), 'openrun-functions-'));
  writeFunction('steps', 1);
  s = await startCloudSetup(dir);
});
afterEach(async () => {
  await s.p.close();
  rmSync(dir, { recursive: true, force: true });
});

it('runs the new code of a function after its index.js changes', async () => {
  expect((await callFunction(s, 'steps')).body.result).toEqual({ version: 1 });
  writeFunction('steps', 2);
  expect(await eventuallyVersion('steps', 2)).toEqual({ version: 2 });
});

it('finds a function folder added after start', async () => {
  expect((await callFunction(s, 'later')).status).toBe(404);
  writeFunction('later', 7);
  expect(await eventuallyVersion('later', 7)).toEqual({ version: 7 });
});

it('lets a call in flight finish on the old code while new calls already run the new code', async () => {
  const started = join(dir, 'started');
  const release = join(dir, 'release');
  mkdirSync(join(dir, 'slow'));
  writeFileSync(join(dir, 'slow', 'config.json'), '{"timeout": 20}');
  writeFunction(
    'slow',
    1,
    `const fs = require('node:fs');
    fs.writeFileSync(${JSON.stringify(started)}, '');
    for (let i = 0; i < 500 && !fs.existsSync(${JSON.stringify(release)}); i++) await new Promise((done) => setTimeout(done, 20));
    return { version: 1 };`,
  );
  const inFlight = callFunction(s, 'slow');
  for (let i = 0; i < 250 && !existsSync(started); i++) await new Promise((done) => setTimeout(done, 20));
  expect(existsSync(started)).toBe(true);
  writeFunction('slow', 2);
  expect(await eventuallyVersion('slow', 2)).toEqual({ version: 2 });
  writeFileSync(release, '');
  expect((await inFlight).body.result).toEqual({ version: 1 });
});
