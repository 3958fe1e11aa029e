/**
 * `openrun start`: builds the platform, seeds the demo on an empty store, listens, prints what a developer needs, and
 * stops cleanly on SIGINT/SIGTERM.
 */
import { createIdGenerator } from '@openrun/core';
import { applyScenario, buildPlatform, listenPlatform, listenPlatformTls, listensOnLoopbackOnly, seedDemo } from '@openrun/platform';
import { lockDataDir, type DataLock } from '../internal/data-lock.js';
import { readScenarioFile } from '../scenario-file.js';
import { resolveStartSettings } from '../internal/start-settings.js';
import { listenOrExplain } from '../internal/listen-or-explain.js';
import { printFunctions } from '../internal/banner-functions.js';

/** Users the banner lists; a big store is summed up in one line after them. */
const BANNER_USERS = 5;

/** Options of `openrun start`. */
export interface StartOptions {
  /** Else env OPENRUN_PORT, else 9527. */
  port?: number;
  /** HTTPS port of the same app (routed by SNI/Host); else env OPENRUN_TLS_PORT, else 9528 (0 when port is 0). */
  tlsPort?: number;
  host: string;
  data?: string;
  memory?: boolean;
  controlToken?: string;
  seed: boolean;
  log?: boolean;
  /** Folder of cloud functions (else env OPENRUN_FUNCTIONS). */
  functions?: string;
  /** Scenario file (YAML or JSON) that replaces the state at start. */
  scenario?: string;
  /** PostgreSQL URL of the shared durable store (else env OPENRUN_POSTGRES_URL). */
  postgres?: string;
  /** Redis URL of the shared ephemeral store (else env OPENRUN_REDIS_URL). */
  redis?: string;
}

/** Starts the platform and returns a function that stops it. */
export async function startCommand(options: StartOptions, print: (line: string) => void): Promise<() => Promise<void>> {
  const settings = resolveStartSettings(options);
  // A scenario file with a syntax error stops the start before anything is built.
  const scenario = options.scenario === undefined ? undefined : await readScenarioFile(options.scenario);
  const chosenToken = options.controlToken ?? (process.env.OPENRUN_CONTROL_TOKEN?.trim() || undefined);
  const app = buildPlatform({
    host: options.host,
    // A generated token gives way to the one kept in the store, so all instances (and restarts) share one token.
    controlToken: chosenToken ?? createIdGenerator().controlToken(),
    controlTokenGenerated: chosenToken === undefined,
    memory: settings.memory,
    ...(settings.data !== undefined ? { dataDir: settings.data } : {}),
    ...(options.log ? { logger: true, logPretty: process.stdout.isTTY === true } : {}),
    ...(options.functions ? { functionsDir: options.functions } : {}),
    ...(options.postgres ? { postgresUrl: options.postgres } : {}),
    ...(options.redis ? { redisUrl: options.redis } : {}),
  }, {
    // A function's console lines reach this terminal too, each prefixed with the function's name.
    onFunctionConsole: (line) => print(`[${line.name}] ${line.level === 'log' ? '' : `${line.level}: `}${line.text}`),
  });
  // The store checks (reachable server, schema version, writable folder and file, PRAGMA quick_check) refuse the start
  // here, before it listens.
  try {
    await app.ready();
  } catch (error) {
    await app.close().catch(() => undefined);
    throw error;
  }
  const ctx = app.openrun;
  let lock: DataLock | undefined;
  try {
    // The lock guards the embedded SQLite file; instances on PostgreSQL + Redis are meant to run side by side.
    lock = ctx.backend.kind === 'sqlite' ? lockDataDir(ctx.config.dataDir) : undefined;
  } catch (error) {
    await app.close();
    throw error;
  }
  const fresh = (await ctx.durable.listApps()).length === 0;
  if (scenario !== undefined) {
    await applyScenario(ctx, scenario, options.scenario!).catch(async (error: unknown) => {
      await app.close();
      lock?.release();
      throw error;
    });
  } else if (fresh && options.seed) await seedDemo(ctx);
  // listenOrExplain closes the app on failure; the lock is released with it.
  const releasing = <T>(p: Promise<T>): Promise<T> =>
    p.catch((error: unknown) => {
      lock?.release();
      throw error;
    });
  const baseUrl = await releasing(
    listenOrExplain(app, { host: options.host, port: settings.port, option: '--port', variable: 'OPENRUN_PORT' }, () =>
      listenPlatform(app, { host: options.host, port: settings.port }),
    ),
  );
  const tlsUrl = await releasing(
    listenOrExplain(app, { host: options.host, port: settings.tlsPort, option: '--tls-port', variable: 'OPENRUN_TLS_PORT' }, () =>
      listenPlatformTls(app, { host: options.host, port: settings.tlsPort }),
    ),
  );
  lock?.listening(baseUrl);
  const ca = await app.tlsGateway.ca();
  const controlToken = await ctx.durable.getControlToken();

  print(`OpenRun listening on ${baseUrl}`);
  print(`  store: ${ctx.backend.description}${scenario !== undefined ? ` — scenario ${options.scenario} applied` : fresh && options.seed ? ' — demo data seeded' : ''}`);
  print(`  control API: ${baseUrl}/openrun/control/v1  token: ${controlToken}${listensOnLoopbackOnly(app) ? ' (not needed: listening on loopback only)' : ''}`);
  print(`  OpenAPI: ${baseUrl}/openrun/openapi.json`);
  print(`  TLS: ${tlsUrl} (the same app; api.weixin.qq.com, api.q.qq.com, *.tcb-api.tencentcloudapi.com by SNI/Host)`);
  print(`  local CA: ${ca.certPath ?? 'in memory (thrown away at stop)'} — also at ${baseUrl}/openrun/ca.pem`);
  print(`  proxy: HTTPS_PROXY=${baseUrl} reaches the real host names here; or eval "$(openrun env)", or openrun exec -- <command>`);
  print('  apps:');
  for (const a of await ctx.durable.listApps()) {
    const where = a.platform === 'qq' ? `${baseUrl}/qq` : baseUrl;
    print(`    ${a.platform.padEnd(5)} appid=${a.appid} secret=${a.secret} cloud=${a.cloud} developer API: ${where}  (${a.name})`);
  }
  if (ctx.config.functionsDir) await printFunctions(app, baseUrl, print);
  const users = await ctx.durable.listUsers({ limit: BANNER_USERS });
  const userCount = users.next === undefined ? users.items.length : await ctx.durable.countUsers();
  print('  users:');
  for (const u of users.items) print(`    ${u.id} ${u.nickname.padEnd(12)} deviceToken=${u.deviceToken}`);
  if (userCount > users.items.length) {
    print(`    … and ${userCount - users.items.length} more (${userCount} in all): see ${baseUrl}/ui/ or GET ${baseUrl}/openrun/control/v1/users?limit=100&q=<prefix>`);
  }

  let stopping: Promise<void> | undefined;
  return () => (stopping ??= app.close().finally(() => lock?.release()));
}
