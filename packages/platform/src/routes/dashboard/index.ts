/**
 * The dashboard at `/ui/`: the static files Vite built in `packages/dashboard/dist`, served by @fastify/static. When
 * the dashboard is not built, `/ui/` says so and how to build it, instead of a bare 404.
 */
import { existsSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import fastifyStatic from '@fastify/static';
import type { FastifyPluginAsync } from 'fastify';

/**
 * Where the built dashboard is: `dashboardDir` if given; else `ui/` inside this package (an installed tarball ships the
 * dashboard there, see `npm run pack`); else the @openrun/dashboard workspace; else the monorepo layout.
 */
export function resolveDashboardDir(dashboardDir?: string): string {
  if (dashboardDir) return resolve(dashboardDir);
  // src/routes/dashboard or dist/routes/dashboard → the package root.
  const here = dirname(fileURLToPath(import.meta.url));
  const packaged = resolve(here, '../../../ui');
  if (existsSync(join(packaged, 'index.html'))) return packaged;
  try {
    const pkg = createRequire(import.meta.url).resolve('@openrun/dashboard/package.json');
    return join(dirname(pkg), 'dist');
  } catch {
    return resolve(here, '../../../../dashboard/dist');
  }
}

/** Options of the dashboard plugin. */
export interface DashboardOptions {
  /** Folder of the built dashboard (tests, custom builds). */
  dir?: string;
}

const NOT_BUILT = (dir: string) => `<!doctype html><meta charset="utf-8"><title>OpenRun dashboard not built</title>
<h1>The OpenRun dashboard is not built</h1>
<p>No <code>index.html</code> in <code>${dir}</code>. Build it with <code>npm run build -w @openrun/dashboard</code>
(the root <code>npm run build</code> does it too), then reload. The control API works without it:
<a href="/openrun/openapi.json">/openrun/openapi.json</a>.</p>`;

/** Serves the dashboard under `/ui/`. */
export const dashboardUi: FastifyPluginAsync<DashboardOptions> = async (app, opts) => {
  const dir = resolveDashboardDir(opts.dir);
  if (!existsSync(join(dir, 'index.html'))) {
    const reply503 = async (_request: unknown, reply: import('fastify').FastifyReply) => reply.code(503).type('text/html; charset=utf-8').send(NOT_BUILT(dir));
    app.get('/ui', { schema: { hide: true } }, reply503);
    app.get('/ui/*', { schema: { hide: true } }, reply503);
    return;
  }
  app.get('/ui', { schema: { hide: true } }, async (_request, reply) => reply.redirect('/ui/'));
  await app.register(fastifyStatic, { root: dir, prefix: '/ui/', decorateReply: false, index: ['index.html'], schemaHide: true });
};
