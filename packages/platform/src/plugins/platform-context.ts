/**
 * Opens the store backend and decorates the instance with the platform context (stores, clock, ids, config); re-reads
 * the shared clock at the start of every request; purges expired records on a timer (retention.ts); closes the stores
 * when the instance closes. Registered once at the root, before every other hook.
 */
import { createIdGenerator, pooledWebCryptoRandom, type RandomSource } from '@openrun/core';
import fp from 'fastify-plugin';
import type { PlatformConfig } from '../config.js';
import { createClock } from '../domain/clock.js';
import type { PlatformContext } from '../domain/context.js';
import { startRetentionPurge } from '../domain/retention.js';
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
  /** How often expired records are purged, ms (default: retention.ts). */
  purgeIntervalMs?: number;
}

/** Decorates `openrun` on the root instance. */
export const platformContext = fp<PlatformContextOptions>(
  async function platformContext(app, opts) {
    const backend = await openStoreBackend(opts.config, app.log);
    const ids = createIdGenerator(opts.random ?? pooledWebCryptoRandom());
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
    const ctx: PlatformContext = {
      durable: backend.durable,
      ephemeral: backend.ephemeral,
      state: backend.state,
      backend,
      clock,
      ids,
      config: opts.config,
      operations,
    };
    app.decorate('openrun', ctx);
    // Every instance on one store runs on the clock as the last control call left it.
    app.addHook('onRequest', (_request, _reply, done) => {
      clock.refresh().then(() => done(), done);
    });
    // A reply may have read what a concurrent request wrote in this turn's batch: it goes out once that is committed.
    const settled = backend.settled;
    if (settled) {
      app.addHook('onSend', (_request, _reply, payload, done) => {
        const pending = settled();
        if (!pending) return done(null, payload);
        pending.then(() => done(null, payload), done);
      });
    }
    const purge = startRetentionPurge(ctx, {
      ...(opts.purgeIntervalMs !== undefined ? { intervalMs: opts.purgeIntervalMs } : {}),
      onError: (err) => {
        if (!(err instanceof StoreUnavailableError)) app.log.warn({ err }, 'purge of expired records failed');
      },
    });
    app.addHook('onClose', async () => {
      await purge.stop();
      await backend.close();
    });
  },
  { name: 'openrun-platform-context' },
);
