/**
 * `openrun start`: builds the platform, seeds the demo on an empty store, listens, prints what a developer needs, and
 * stops cleanly on SIGINT/SIGTERM.
 */
import { createIdGenerator } from '@openrun/core';
import { applyScenario, buildPlatform, isLoopbackHost, listenPlatform, seedDemo } from '@openrun/platform';
import { readScenarioFile } from '../scenario-file.js';

/** Options of `openrun start`. */
export interface StartOptions {
  port: number;
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
  // A scenario file with a syntax error stops the start before anything is built.
  const scenario = options.scenario === undefined ? undefined : await readScenarioFile(options.scenario);
  const chosenToken = options.controlToken ?? (process.env.OPENRUN_CONTROL_TOKEN?.trim() || undefined);
  const app = buildPlatform({
    host: options.host,
    // A generated token gives way to the one kept in the store, so all instances (and restarts) share one token.
    controlToken: chosenToken ?? createIdGenerator().controlToken(),
    controlTokenGenerated: chosenToken === undefined,
    ...(options.memory ? { memory: true } : {}),
    ...(options.data ? { dataDir: options.data } : {}),
    ...(options.log ? { logger: true } : {}),
    ...(options.functions ? { functionsDir: options.functions } : {}),
    ...(options.postgres ? { postgresUrl: options.postgres } : {}),
    ...(options.redis ? { redisUrl: options.redis } : {}),
  });
  // A store that cannot be opened (unreachable server, newer schema) ends the start with its message.
  try {
    await app.ready();
  } catch (error) {
    await app.close().catch(() => undefined);
    throw error;
  }
  const ctx = app.openrun;
  const fresh = (await ctx.durable.listApps()).length === 0;
  if (scenario !== undefined) {
    await applyScenario(ctx, scenario, options.scenario!).catch(async (error: unknown) => {
      await app.close();
      throw error;
    });
  } else if (fresh && options.seed) await seedDemo(ctx);
  const baseUrl = await listenPlatform(app, { host: options.host, port: options.port });
  const controlToken = await ctx.durable.getControlToken();

  print(`OpenRun listening on ${baseUrl}`);
  print(`  store: ${ctx.backend.description}${scenario !== undefined ? ` — scenario ${options.scenario} applied` : fresh && options.seed ? ' — demo data seeded' : ''}`);
  print(`  control API: ${baseUrl}/openrun/control/v1  token: ${controlToken}${isLoopbackHost(options.host) ? ' (not needed on loopback)' : ''}`);
  print(`  OpenAPI: ${baseUrl}/openrun/openapi.json`);
  if (ctx.config.functionsDir) print(`  cloud functions: ${ctx.config.functionsDir} (gateway ${baseUrl}/tcb/admin)`);
  print('  apps:');
  for (const a of await ctx.durable.listApps()) {
    const where = a.platform === 'qq' ? `${baseUrl}/qq` : baseUrl;
    print(`    ${a.platform.padEnd(5)} appid=${a.appid} secret=${a.secret} cloud=${a.cloud} developer API: ${where}  (${a.name})`);
  }
  print('  users:');
  for (const u of await ctx.durable.listUsers()) print(`    ${u.id} ${u.nickname.padEnd(12)} deviceToken=${u.deviceToken}`);

  let stopping: Promise<void> | undefined;
  return () => (stopping ??= app.close());
}
