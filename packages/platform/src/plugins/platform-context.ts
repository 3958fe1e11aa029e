/**
 * Opens the stores and decorates the instance with the platform context (stores, clock, ids, config); closes the
 * database when the instance closes. Registered once at the root.
 */
import { createIdGenerator, type RandomSource } from '@openrun/core';
import fp from 'fastify-plugin';
import type { PlatformConfig } from '../config.js';
import type { PlatformClock } from '../domain/clock.js';
import type { PlatformContext } from '../domain/context.js';
import { openSqliteDatabase } from '../stores/sqlite/database.js';
import { createSqliteDurableStore } from '../stores/sqlite/durable-store.js';
import { createSqliteEphemeralStore } from '../stores/sqlite/ephemeral-store.js';

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
}

/** How long expired records are kept so that "expired" can be told apart from "unknown". */
const KEEP_EXPIRED_MS = 24 * 3600 * 1000;

/** Decorates `openrun` on the root instance. */
export const platformContext = fp<PlatformContextOptions>(
  async function platformContext(app, opts) {
    const db = openSqliteDatabase(opts.config);
    const operations = new Set<string>();
    app.addHook('onRoute', (route) => {
      if (route.config?.operation) operations.add(route.config.operation);
    });
    const ctx: PlatformContext = {
      durable: createSqliteDurableStore(db),
      ephemeral: createSqliteEphemeralStore(db),
      clock: opts.clock,
      ids: createIdGenerator(opts.random),
      config: opts.config,
      operations,
    };
    app.decorate('openrun', ctx);
    const purge = setInterval(() => {
      void ctx.ephemeral.purgeExpired(ctx.clock.now() - KEEP_EXPIRED_MS).catch((err: unknown) => app.log.warn({ err }, 'purge failed'));
    }, 10 * 60 * 1000);
    purge.unref();
    app.addHook('onClose', async () => {
      clearInterval(purge);
      db.close();
    });
  },
  { name: 'openrun-platform-context' },
);
