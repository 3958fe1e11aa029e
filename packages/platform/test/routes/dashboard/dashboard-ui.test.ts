import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Fastify from 'fastify';
import { afterEach, expect, it } from 'vitest';
import { dashboardUi, resolveDashboardDir } from '../../../src/routes/dashboard/index.js';

const dirs: string[] = [];
afterEach(() => {
  for (const d of dirs.splice(0)) rmSync(d, { recursive: true, force: true });
});
const tempDir = () => {
  const d = mkdtempSync(join(tmpdir(), 'openrun-ui-'));
  dirs.push(d);
  return d;
};

it('serves the built dashboard under /ui/ and redirects /ui there', async () => {
  const dir = tempDir();
  writeFileSync(join(dir, 'index.html'), '<!doctype html><title>OpenRun dashboard</title>');
  const app = Fastify();
  await app.register(dashboardUi, { dir });
  const index = await app.inject('/ui/');
  expect(index.statusCode).toBe(200);
  expect(index.body).toContain('OpenRun dashboard');
  const bare = await app.inject('/ui');
  expect([301, 302]).toContain(bare.statusCode);
  expect(bare.headers.location).toBe('/ui/');
  await app.close();
});

it('answers /ui/ with how to build the dashboard when it is not built', async () => {
  const app = Fastify();
  await app.register(dashboardUi, { dir: tempDir() });
  const r = await app.inject('/ui/');
  expect(r.statusCode).toBe(503);
  expect(r.body).toContain('npm run build -w @openrun/dashboard');
  await app.close();
});

it('finds the dashboard of the workspace by default', () => {
  expect(resolveDashboardDir()).toMatch(/packages[/\\]dashboard[/\\]dist$/);
});
