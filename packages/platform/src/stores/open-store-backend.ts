/**
 * Chooses and opens the store backend the configuration asks for: PostgreSQL + Redis when both URLs are given,
 * else the embedded SQLite file (or memory).
 */
import type { FastifyBaseLogger } from 'fastify';
import type { PlatformConfig } from '../config.js';
import { openSqliteBackend } from './sqlite/backend.js';
import type { StoreBackend } from './store-backend.js';
import { describeCause } from './store-unavailable.js';

/** Opens the configured backend; throws a message naming what to fix when it cannot. */
export async function openStoreBackend(config: PlatformConfig, log: FastifyBaseLogger): Promise<StoreBackend> {
  if (config.postgresUrl === undefined || config.redisUrl === undefined) return openSqliteBackend(config);
  // Loaded only for scale-out, so the embedded default starts without the pg and ioredis drivers.
  const { openScaleOutBackend } = await import('./scale-out-backend.js');
  return openScaleOutBackend({
    postgresUrl: config.postgresUrl,
    redisUrl: config.redisUrl,
    outages: {
      down: (store, cause) => log.error(`[openrun] the ${store} store is unavailable (${describeCause(cause)}); requests fail until it is back`),
      up: (store) => log.info(`[openrun] the ${store} store is available again`),
    },
  });
}
