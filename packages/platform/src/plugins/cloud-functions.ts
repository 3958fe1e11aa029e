/**
 * Decorates the root instance with the cloud-function runner (`app.functions`) and stops its workers on close. The
 * workers reach the cloud gateway of this same platform, whose address is known only after `listen`, so the runner
 * asks for it at the first call.
 * @see ARCHITECTURE.md §3.5, PROTOCOL.md §13.1
 */
import type { FastifyInstance } from 'fastify';
import fp from 'fastify-plugin';
import { StoreUnavailableError } from '../stores/store-unavailable.js';
import type {} from './platform-context.js';
import { createFunctionRunner, type FunctionConsoleLine, type FunctionRunner } from '../functions/function-runner.js';

declare module 'fastify' {
  interface FastifyInstance {
    /** The cloud-function runner (finds no function when the platform runs without a functions folder). */
    functions: FunctionRunner;
  }
}

/** Options of the cloud-functions plugin. */
export interface CloudFunctionsOptions {
  /** The functions folder, if any. */
  dir: string | undefined;
  /** Extra Node options for function workers (a test seam). */
  workerExecArgv?: string[];
  /** Receives the console lines of every finished call. */
  onConsole?: (line: FunctionConsoleLine) => void;
}

/** Calls kept in the call log. */
const CALL_LOG_SIZE = 100;

/** The path of the cloud gateway on this platform. */
export const CLOUD_GATEWAY_PATH = '/tcb/admin';

/** The loopback URL at which this platform's workers reach its cloud gateway. */
export function gatewayUrlOf(app: FastifyInstance): string {
  const address = app.server.address();
  if (address === null || typeof address === 'string') {
    throw new Error('[openrun] cloud functions need a listening platform: call listen() before invoking a function');
  }
  const wildcard = address.address === '0.0.0.0' || address.address === '::';
  const host = wildcard ? '127.0.0.1' : address.family === 'IPv6' ? `[${address.address}]` : address.address;
  return `http://${host}:${address.port}${CLOUD_GATEWAY_PATH}`;
}

/** Decorates `functions` on the root instance. */
export const cloudFunctions = fp<CloudFunctionsOptions>(
  async function cloudFunctions(app, opts) {
    const runner = createFunctionRunner({
      dir: opts.dir,
      gatewayUrl: () => gatewayUrlOf(app),
      now: () => app.openrun.clock.now(),
      ...(opts.workerExecArgv ? { workerExecArgv: opts.workerExecArgv } : {}),
      callLog: {
        append: (call) => app.openrun.ephemeral.appendFunctionCall(call, CALL_LOG_SIZE),
        list: () => app.openrun.ephemeral.listFunctionCalls(),
      },
      onLogError: (err) => {
        if (!(err instanceof StoreUnavailableError)) app.log.warn({ err }, 'a cloud-function call could not be logged');
      },
      ...(opts.onConsole ? { onConsole: opts.onConsole } : {}),
    });
    app.decorate('functions', runner);
    app.addHook('onClose', async () => runner.close());
  },
  { name: 'openrun-cloud-functions', dependencies: ['openrun-platform-context'] },
);
