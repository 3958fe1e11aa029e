/**
 * `buildPlatform(options)`: assembles the OpenRun platform as an unstarted Fastify instance. The CLI, the tests and
 * the examples all call it; only `startPlatform` (server.ts) listens.
 */
import swagger from '@fastify/swagger';
import type { TypeBoxTypeProvider } from '@fastify/type-provider-typebox';
import type { RandomSource } from '@openrun/core';
import Fastify, { type FastifyInstance } from 'fastify';
import pinoPretty from 'pino-pretty';
import { resolveConfig, type PlatformOptions } from './config.js';
import type { FunctionConsoleLine } from './functions/function-runner.js';
import { cloudFunctions } from './plugins/cloud-functions.js';
import { failureReport, type FailureSink } from './plugins/failure-report.js';
import { faults } from './plugins/faults.js';
import { idleClose } from './plugins/idle-close.js';
import { platformContext } from './plugins/platform-context.js';
import { requestLog } from './plugins/request-log.js';
import { cloudGateway } from './routes/cloud-gateway/index.js';
import { controlApi } from './routes/control/index.js';
import { dashboardUi } from './routes/dashboard/index.js';
import { qqApi } from './routes/qq/index.js';
import { rootIndex } from './routes/root-index.js';
import { runtimeApi } from './routes/runtime/index.js';
import { replyToFrameworkError } from './routes/shared/framework-errors.js';
import { tlsRoutes } from './routes/tls/index.js';
import { wechatApi } from './routes/wechat/index.js';
import { tlsGateway } from './plugins/tls-gateway.js';
import { routeByHost } from './tls/route-by-host.js';

/** Seams: a system clock or randomness of the caller's own, where logs and function console lines go. */
export interface PlatformSeams {
  /** The system clock the platform clock runs on (Date.now by default). */
  systemNow?: () => number;
  random?: RandomSource;
  /** Where log lines go (turns logging on); tests read it to prove no secret is logged. */
  logStream?: { write(line: string): void };
  /** Where unexpected failures are written at once (default stderr), whether or not logging is on. */
  failureStream?: FailureSink;
  /** Extra Node options for cloud-function workers (tests preload a connection recorder). */
  functionWorkerExecArgv?: string[];
  /** How often expired ephemeral records are purged, ms (default one minute). */
  purgeIntervalMs?: number;
  /** Receives the console lines of every finished cloud-function call (`openrun start` prints them). */
  onFunctionConsole?: (line: FunctionConsoleLine) => void;
}

/** The version of OpenRun's own APIs. */
export const OPENRUN_API_VERSION = '1.0.0';

/** Builds the platform: wire-compatible WeChat/QQ developer APIs, runtime API, control API and OpenAPI document. */
export function buildPlatform(options: PlatformOptions = {}, seams: PlatformSeams = {}): FastifyInstance {
  const config = resolveConfig(options);
  const app = Fastify({
    bodyLimit: config.bodyLimit,
    logger: config.logger || seams.logStream
      ? {
          ...(seams.logStream
            ? { stream: seams.logStream }
            : config.logPretty
              ? { stream: pinoPretty({ colorize: true, translateTime: 'SYS:HH:MM:ss.l', ignore: 'pid,hostname,reqId' }) }
              : {}),
          // Query strings carry secrets, codes and tokens: only the path is logged.
          serializers: {
            req: (req: { method: string; url: string }) => ({ method: req.method, url: req.url.split('?')[0] }),
          },
        }
      : false,
    routerOptions: { maxParamLength: 600 },
    frameworkErrors: replyToFrameworkError,
    // Requests for the real host names (tunnels, the TLS port, absolute-form proxy requests) reach their route group.
    rewriteUrl: routeByHost,
    // No coercion and no silent stripping: a string is not a one-element list, and an unknown field is an error.
    ajv: { customOptions: { coerceTypes: false, removeAdditional: false } },
  }).withTypeProvider<TypeBoxTypeProvider>();

  void app.register(failureReport, seams.failureStream ? { sink: seams.failureStream } : {});
  void app.register(idleClose);
  void app.register(platformContext, {
    config,
    ...(seams.systemNow ? { systemNow: seams.systemNow } : {}),
    ...(seams.random ? { random: seams.random } : {}),
    ...(seams.purgeIntervalMs !== undefined ? { purgeIntervalMs: seams.purgeIntervalMs } : {}),
  });
  // Hook order: the request log's onRequest runs before the faults' onRequest, so a faulted call is logged too.
  void app.register(requestLog);
  void app.register(faults);
  void app.register(cloudFunctions, {
    dir: config.functionsDir,
    ...(seams.functionWorkerExecArgv ? { workerExecArgv: seams.functionWorkerExecArgv } : {}),
    ...(seams.onFunctionConsole ? { onConsole: seams.onFunctionConsole } : {}),
  });
  void app.register(swagger, {
    openapi: {
      info: {
        title: 'OpenRun',
        version: OPENRUN_API_VERSION,
        description: 'WeChat/QQ developer APIs (wire-compatible), the OpenRun runtime API and the control API.',
      },
    },
  });
  void app.register(wechatApi);
  void app.register(qqApi, { prefix: '/qq' });
  void app.register(runtimeApi, { prefix: '/openrun/runtime/v1' });
  void app.register(controlApi, { prefix: '/openrun/control/v1' });
  void app.register(cloudGateway);
  void app.register(dashboardUi);
  void app.register(tlsGateway);
  void app.register(tlsRoutes);
  void app.register(rootIndex, { version: OPENRUN_API_VERSION });
  app.get('/openrun/openapi.json', { schema: { hide: true } }, async () => app.swagger());
  return app;
}
