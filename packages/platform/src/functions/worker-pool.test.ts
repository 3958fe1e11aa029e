import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { createWorkerPool, type WorkerPool } from './worker-pool.js';

let dir: string;
let pool: WorkerPool | undefined;

beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), 'openrun-pool-'));
  writeFileSync(join(dir, 'package.json'), '{"name":"counter"}');
  writeFileSync(join(dir, 'index.js'), 'let calls = 0;\nexports.main = async (event) => ({ calls: ++calls, openid: process.env.WX_OPENID ?? null, event });\n');
});
afterEach(async () => {
  await pool?.close();
  rmSync(dir, { recursive: true, force: true });
});

const call = (id: string, env: Record<string, string | null> = {}) => ({ id, env, event: { id }, context: {}, timeoutMs: 3000 });

/** Waits (bounded: 100 × 50 ms) until `check` holds. */
async function eventually(check: () => boolean): Promise<boolean> {
  for (let i = 0; i < 100 && !check(); i++) await new Promise((done) => setTimeout(done, 50));
  return check();
}

describe('worker pool', () => {
  it('keeps the module loaded between calls and sets and removes per-call environment variables', async () => {
    pool = createWorkerPool({ entry: join(dir, 'index.js'), cwd: dir, env: { PATH: process.env.PATH ?? '' }, maxWorkers: 1 });
    expect(await pool.invoke(call('a', { WX_OPENID: 'o1' }))).toMatchObject({ ok: true, json: '{"calls":1,"openid":"o1","event":{"id":"a"}}' });
    expect(await pool.invoke(call('b', { WX_OPENID: null }))).toMatchObject({ ok: true, json: '{"calls":2,"openid":null,"event":{"id":"b"}}' });
  });

  it('queues calls beyond maxWorkers instead of starting more processes', async () => {
    pool = createWorkerPool({ entry: join(dir, 'index.js'), cwd: dir, env: {}, maxWorkers: 1 });
    const outcomes = await Promise.all(['a', 'b', 'c'].map((id) => pool!.invoke(call(id))));
    expect(outcomes.map((o) => (o.ok ? JSON.parse(o.json!).calls : o.message))).toEqual([1, 2, 3]);
    expect(pool.size()).toBe(1);
  });

  it('lets an idle worker exit after idleMs and starts a new one for the next call', async () => {
    pool = createWorkerPool({ entry: join(dir, 'index.js'), cwd: dir, env: {}, idleMs: 100 });
    expect(await pool.invoke(call('a'))).toMatchObject({ ok: true });
    expect(await eventually(() => pool!.size() === 0)).toBe(true);
    expect(await pool.invoke(call('b'))).toMatchObject({ ok: true, json: '{"calls":1,"openid":null,"event":{"id":"b"}}' });
  });
});
