/**
 * The cloud-function part of the `openrun start` banner: each function found, and for each cloud app the env id that
 * `POST /tcb/invokecloudfunction?env=` and `wx.cloud.init({ env })` take.
 */
// Imported for its declaration of `app.functions` on Fastify instances.
import type {} from '@openrun/platform';
import type { FastifyInstance } from 'fastify';

/** Prints the functions of `app`'s functions folder. */
export async function printFunctions(app: FastifyInstance, baseUrl: string, print: (line: string) => void): Promise<void> {
  const names = app.functions.list();
  print(`  cloud functions: ${app.openrun.config.functionsDir} (gateway ${baseUrl}/tcb/admin)`);
  if (names.length === 0) {
    print('    none found yet: add <name>/index.js exporting main(event, context); the folder is watched');
    return;
  }
  const envs = (await app.openrun.durable.listApps()).filter((a) => a.cloud && a.cloudEnv).map((a) => ({ appid: a.appid, env: a.cloudEnv! }));
  const width = Math.max(...names.map((n) => n.length));
  for (const name of names) {
    const where = envs.length === 0 ? 'no cloud app: PATCH an app with {"cloud": true}' : envs.map((e) => `env=${e.env}`).join(' ');
    print(`    ${name.padEnd(width)}  ${where}`);
  }
  const first = envs[0];
  if (first) print(`    call: POST ${baseUrl}/tcb/invokecloudfunction?access_token=<token of ${first.appid}>&env=${first.env}&name=${names[0]}`);
}
