/**
 * `openrun start`: builds the platform, seeds the demo on an empty store, listens, prints what a developer needs, and
 * stops cleanly on SIGINT/SIGTERM.
 */
import { createIdGenerator } from '@openrun/core';
import { applyScenario, buildPlatform, listenPlatform, listenPlatformTls, listensOnLoopbackOnly, seedDemo } from '@openrun/platform';
import { readScenarioFile } from '../scenario-file.js';

/** Users the banner lists; a big store is summed up in one line after them. */
const BANNER_USERS = 5;

/** Options of `openrun start`. */
export interface StartOptions {
  port: number;
  /** HTTPS port of the same app (routed by SNI/Host); 0 picks a free one. */
  tlsPort: number;
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
}

/** Starts the platform and returns a function that stops it. */
export async function startCommand(options: StartOptions, print: (line: string) => void): Promise<() => Promise<void>> {
  // A scenario file with a syntax error stops the start before anything is built.
  const scenario = options.scenario === undefined ? undefined : await readScenarioFile(options.scenario);
  const controlToken = options.controlToken ?? process.env.OPENRUN_CONTROL_TOKEN?.trim() ?? createIdGenerator().controlToken();
  const app = buildPlatform({
    host: options.host,
    controlToken,
    ...(options.memory ? { memory: true } : {}),
    ...(options.data ? { dataDir: options.data } : {}),
    ...(options.log ? { logger: true } : {}),
    ...(options.functions ? { functionsDir: options.functions } : {}),
  });
  await app.ready();
  const ctx = app.openrun;
  const fresh = (await ctx.durable.listApps()).length === 0;
  if (scenario !== undefined) {
    await applyScenario(ctx, app.faults, scenario, options.scenario!).catch(async (error: unknown) => {
      await app.close();
      throw error;
    });
  } else if (fresh && options.seed) await seedDemo(ctx);
  const baseUrl = await listenPlatform(app, { host: options.host, port: options.port });
  const tlsUrl = await listenPlatformTls(app, { host: options.host, port: options.tlsPort }).catch(async (error: unknown) => {
    await app.close();
    throw error;
  });
  const ca = await app.tlsGateway.ca();

  print(`OpenRun listening on ${baseUrl}`);
  print(`  store: ${ctx.config.memory ? 'in memory (nothing is kept)' : `SQLite in ${ctx.config.dataDir}`}${scenario !== undefined ? ` — scenario ${options.scenario} applied` : fresh && options.seed ? ' — demo data seeded' : ''}`);
  print(`  control API: ${baseUrl}/openrun/control/v1  token: ${controlToken}${listensOnLoopbackOnly(app) ? ' (not needed: listening on loopback only)' : ''}`);
  print(`  OpenAPI: ${baseUrl}/openrun/openapi.json`);
  print(`  TLS: ${tlsUrl} (the same app; api.weixin.qq.com, api.q.qq.com, *.tcb-api.tencentcloudapi.com by SNI/Host)`);
  print(`  local CA: ${ca.certPath ?? 'in memory (thrown away at stop)'} — also at ${baseUrl}/openrun/ca.pem`);
  print(`  proxy: HTTPS_PROXY=${baseUrl} reaches the real host names here; or eval "$(openrun env)", or openrun exec -- <command>`);
  if (ctx.config.functionsDir) print(`  cloud functions: ${ctx.config.functionsDir} (gateway ${baseUrl}/tcb/admin)`);
  print('  apps:');
  for (const a of await ctx.durable.listApps()) {
    const where = a.platform === 'qq' ? `${baseUrl}/qq` : baseUrl;
    print(`    ${a.platform.padEnd(5)} appid=${a.appid} secret=${a.secret} cloud=${a.cloud} developer API: ${where}  (${a.name})`);
  }
  const users = await ctx.durable.listUsers({ limit: BANNER_USERS });
  const userCount = users.next === undefined ? users.items.length : await ctx.durable.countUsers();
  print('  users:');
  for (const u of users.items) print(`    ${u.id} ${u.nickname.padEnd(12)} deviceToken=${u.deviceToken}`);
  if (userCount > users.items.length) {
    print(`    … and ${userCount - users.items.length} more (${userCount} in all): see ${baseUrl}/ui/ or GET ${baseUrl}/openrun/control/v1/users?limit=100&q=<prefix>`);
  }

  let stopping: Promise<void> | undefined;
  return () => (stopping ??= app.close());
}
