/**
 * Functions are discovered at start and on change: a new folder becomes callable, and an edited index.js replaces the
 * warm workers, without restarting the platform.
 */
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, expect, it } from 'vitest';
import { callFunction, startCloudSetup, type CloudSetup } from './helpers.js';

let dir: string;
let s: CloudSetup;

function writeFunction(name: string, version: number): void {
  mkdirSync(join(dir, name), { recursive: true });
  writeFileSync(join(dir, name, 'package.json'), JSON.stringify({ name, main: 'index.js' }));
  writeFileSync(join(dir, name, 'index.js'), `exports.main = async () => ({ version: ${version} });\n`);
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
