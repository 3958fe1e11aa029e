/**
 * Opens the stores and decorates the instance with the platform context (stores, clock, ids, config); closes the
 * database when the instance closes. Registered once at the root.
 */
import { createIdGenerator, type RandomSource } from '@openrun/core';
import fp from 'fastify-plugin';
import type { PlatformConfig } from '../config.js';
import type { PlatformClock } from '../domain/clock.js';
import type { PlatformContext } from '../domain/context.js';
import { startRetentionPurge } from '../domain/retention.js';
import { createSqliteHandle } from '../stores/sqlite/bulk-work.js';
import { openSqliteDatabase } from '../stores/sqlite/database.js';
import { createSqliteDurableStore } from '../stores/sqlite/durable-store.js';
import { createSqliteEphemeralStore } from '../stores/sqlite/ephemeral-store.js';
import { createSqliteStateStore } from '../stores/sqlite/state-store.js';

declare module 'fastify' {
  interface FastifyInstance {
    /** The platform's stores, clock, id generator and configuration. */
    openrun: PlatformContext;
  }
}

/** Options of the context plugin. */
export interface PlatformContextOptions {
  config: PlatformConfig;
  clock: PlatformClock;
  random?: RandomSource;
  /** How often expired records are purged, ms (default: retention.ts). */
  purgeIntervalMs?: number;
}

/** Decorates `openrun` on the root instance. */
export const platformContext = fp<PlatformContextOptions>(
  async function platformContext(app, opts) {
    const db = openSqliteDatabase(opts.config);
    const handle = createSqliteHandle(db);
    const operations = new Set<string>();
    app.addHook('onRoute', (route) => {
      if (route.config?.operation) operations.add(route.config.operation);
    });
    const ctx: PlatformContext = {
      durable: createSqliteDurableStore(handle),
      ephemeral: createSqliteEphemeralStore(handle),
      state: createSqliteStateStore(handle),
      clock: opts.clock,
      ids: createIdGenerator(opts.random),
      config: opts.config,
      operations,
    };
    app.decorate('openrun', ctx);
    const purge = startRetentionPurge(ctx, {
      ...(opts.purgeIntervalMs !== undefined ? { intervalMs: opts.purgeIntervalMs } : {}),
      onError: (err) => app.log.warn({ err }, 'purge of expired records failed'),
    });
    app.addHook('onClose', async () => {
      await purge.stop();
      await handle.close();
      db.close();
    });
  },
  { name: 'openrun-platform-context' },
);
