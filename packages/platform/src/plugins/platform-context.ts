/**
 * Opens the store backend and decorates the instance with the platform context (stores, clock, ids, config); re-reads
 * the shared clock at the start of every request; closes the stores when the instance closes. Registered once at the
 * root, before every other hook.
 */
import { createIdGenerator, type RandomSource } from '@openrun/core';
import fp from 'fastify-plugin';
import type { PlatformConfig } from '../config.js';
import { createClock } from '../domain/clock.js';
import type { PlatformContext } from '../domain/context.js';
import { openStoreBackend } from '../stores/open-store-backend.js';
import { StoreUnavailableError } from '../stores/store-unavailable.js';

declare module 'fastify' {
  interface FastifyInstance {
    /** The platform's stores, clock, id generator and configuration. */
    openrun: PlatformContext;
  }
}

/** Options of the context plugin. */
export interface PlatformContextOptions {
  config: PlatformConfig;
  /** The system clock the platform clock runs on (a test seam). */
  systemNow?: () => number;
  random?: RandomSource;
}

/** How long expired records are kept so that "expired" can be told apart from "unknown". */
const KEEP_EXPIRED_MS = 24 * 3600 * 1000;

/** Decorates `openrun` on the root instance. */
export const platformContext = fp<PlatformContextOptions>(
  async function platformContext(app, opts) {
    const backend = await openStoreBackend(opts.config, app.log);
    const ids = createIdGenerator(opts.random);
    const clock = createClock(backend.ephemeral, opts.systemNow);
    try {
      await clock.refresh();
      const { controlToken, controlTokenGenerated } = opts.config;
      await backend.durable.claimControlToken(controlToken ?? ids.controlToken(), controlToken !== undefined && !controlTokenGenerated);
    } catch (error) {
      await backend.close();
      throw error;
    }
    const operations = new Set<string>();
    app.addHook('onRoute', (route) => {
      if (route.config?.operation) operations.add(route.config.operation);
    });
    const ctx: PlatformContext = { durable: backend.durable, ephemeral: backend.ephemeral, backend, clock, ids, config: opts.config, operations };
    app.decorate('openrun', ctx);
    // Every instance on one store runs on the clock as the last control call left it.
    app.addHook('onRequest', async () => clock.refresh());
    const purge = setInterval(() => {
      void clock
        .refresh()
        .then(() => ctx.ephemeral.purgeExpired(clock.now() - KEEP_EXPIRED_MS))
        .catch((err: unknown) => {
          if (!(err instanceof StoreUnavailableError)) app.reportFailure(err);
        });
    }, 10 * 60 * 1000);
    purge.unref();
    app.addHook('onClose', async () => {
      clearInterval(purge);
      await backend.close();
    });
  },
  { name: 'openrun-platform-context' },
);
