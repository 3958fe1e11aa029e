/** Types of app.mjs, for the example's TypeScript tests. */
import type { FastifyInstance } from 'fastify';

export function buildBackend(options: { appid: string; secret: string; baseUrl?: string; staticDir?: string; logger?: boolean }): FastifyInstance;
