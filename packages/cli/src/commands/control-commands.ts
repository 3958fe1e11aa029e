/**
 * The CLI's control subcommands, run against a running platform (`--url`, default http://127.0.0.1:9527, and
 * `--token` or OPENRUN_CONTROL_TOKEN): `users generate`, `steps import`, `export`, `import`, `clock`, `faults`.
 * Long work shows a progress bar on stderr when it is a terminal.
 */
import { createWriteStream } from 'node:fs';
import { stat } from 'node:fs/promises';
import { pipeline } from 'node:stream/promises';
import { Command, InvalidArgumentError, Option } from 'commander';
import { createControlClient, type ControlClient } from '../internal/control-client.js';
import { parseDuration } from '../internal/duration.js';
import { createByteMeter, createProgressBar } from '../internal/progress-bar.js';

/** Where the output of a command goes. */
export interface CommandOutput {
  out(line: string): void;
}

interface TargetOptions {
  url: string;
  token?: string;
}

const DEFAULT_URL = 'http://127.0.0.1:9527';
/** Users created per request by `users generate` (each request is one transaction). */
const GENERATE_CHUNK = 1000;

function whole(name: string, min: number, max: number) {
  return (value: string): number => {
    const n = Number(value);
    if (!Number.isInteger(n) || n < min || n > max) throw new InvalidArgumentError(`${name} is a whole number from ${min} to ${max}`);
    return n;
  };
}

function withTarget(command: Command): Command {
  return command
    .addOption(new Option('--url <url>', 'the running platform').default(process.env.OPENRUN_URL?.trim() || DEFAULT_URL))
    .addOption(new Option('--token <token>', 'control API token (env OPENRUN_CONTROL_TOKEN)').default(process.env.OPENRUN_CONTROL_TOKEN?.trim() || undefined));
}

const client = (o: TargetOptions): ControlClient => createControlClient({ url: o.url, ...(o.token ? { token: o.token } : {}) });

function contentTypeOf(file: string, format: string | undefined): string {
  const f = format ?? (/\.csv$/i.test(file) ? 'csv' : /\.xml$/i.test(file) ? 'apple-health' : 'json');
  if (f === 'csv') return 'text/csv';
  if (f === 'apple-health') return 'application/xml';
  if (f === 'json') return 'application/json';
  throw new InvalidArgumentError('--format is csv, json or apple-health');
}

/** Adds the control subcommands to `program`. */
export function registerControlCommands(program: Command, output: CommandOutput = { out: (line) => console.log(line) }): void {
  const users = program.command('users').description('users of a running platform');
  withTarget(users.command('generate'))
    .description('create users with realistic seeded step histories')
    .requiredOption('-n, --count <n>', 'how many users', whole('--count', 1, 10_000_000))
    .option('--days <days>', 'days of history per user', whole('--days', 0, 3660), 60)
    .option('--seed <seed>', 'base seed (user i gets seed + i)', whole('--seed', 0, 4_294_967_295))
    .action(async (o: TargetOptions & { count: number; days: number; seed?: number }) => {
      const api = client(o);
      const bar = createProgressBar(o.count, 'generating users');
      let done = 0;
      while (done < o.count) {
        const count = Math.min(GENERATE_CHUNK, o.count - done);
        await api.json('POST', '/users/generate', { count, days: o.days, ...(o.seed !== undefined ? { seed: o.seed + done } : {}) });
        done += count;
        bar.update(done);
      }
      bar.finish();
      output.out(`[openrun] generated ${done} users with ${o.days} days of steps each`);
    });

  const steps = program.command('steps').description('step histories of a running platform');
  withTarget(steps.command('import'))
    .description('stream a CSV, JSON or Apple Health export.xml into a user\'s history (all or nothing)')
    .argument('<user>', 'user id')
    .argument('<file>', 'the file (.csv, .json, .xml)')
    .option('--format <format>', 'csv | json | apple-health (default: from the file name)')
    .option('--source <name>', 'Apple Health: only samples of this sourceName')
    .action(async (user: string, file: string, o: TargetOptions & { format?: string; source?: string }) => {
      const query = new URLSearchParams(o.source ? { source: o.source } : {}).toString();
      const size = (await stat(file)).size;
      output.out(`[openrun] importing ${file} (${(size / 1e6).toFixed(1)} MB) into ${user}`);
      const r = await client(o).upload<{ rows: number; days: number; from: string | null; to: string | null }>(
        `/users/${encodeURIComponent(user)}/steps/import${query ? `?${query}` : ''}`,
        file,
        contentTypeOf(file, o.format),
      );
      output.out(`[openrun] imported ${r.rows} rows into ${r.days} days${r.from ? ` (${r.from} … ${r.to})` : ''}`);
    });

  withTarget(program.command('export'))
    .description('write the whole state as one JSON document (to FILE, else stdout)')
    .argument('[file]', 'where to write')
    .action(async (file: string | undefined, o: TargetOptions) => {
      const body = await client(o).download('/export');
      const meter = createByteMeter('exporting');
      let bytes = 0;
      body.on('data', (chunk: Buffer) => meter.update((bytes += chunk.length)));
      if (file) {
        await pipeline(body, createWriteStream(file));
        meter.finish();
        output.out(`[openrun] exported the state to ${file} (${(bytes / 1048576).toFixed(1)} MB)`);
      } else {
        await pipeline(body, process.stdout, { end: false });
        meter.finish();
      }
    });

  withTarget(program.command('import'))
    .description('replace the whole state with an exported JSON document (checked first; all or nothing)')
    .argument('<file>', 'a file written by "openrun export"')
    .action(async (file: string, o: TargetOptions) => {
      const bar = createProgressBar((await stat(file)).size, 'importing');
      type Counts = Record<'app' | 'user' | 'appUser' | 'loginCode' | 'accessToken' | 'cloudId' | 'counter', number>;
      const r = await client(o).upload<{ imported: Counts }>('/import', file, 'application/json', (bytes) => bar.update(bytes));
      bar.finish();
      const n = r.imported;
      output.out(
        `[openrun] imported the state from ${file}: ${n.app} apps, ${n.user} users, ${n.appUser} app users, ` +
          `${n.loginCode + n.accessToken + n.cloudId + n.counter} codes, tokens, cloudIDs and counters`,
      );
    });

  const clock = program.command('clock').description('the platform clock');
  const showClock = (c: { now: string; frozen: boolean }) => output.out(`[openrun] platform time ${c.now}${c.frozen ? ' (frozen)' : ''}`);
  withTarget(clock.command('advance'))
    .description('move the clock forward (or back with a minus): 300s, 5m, 2h, 1d, 1w')
    .argument('<duration>', 'how far')
    .action(async (duration: string, o: TargetOptions) => {
      const seconds = parseDuration(duration);
      if (seconds === undefined) throw new InvalidArgumentError(`"${duration}" is not a duration such as 300s, 5m, 2h or 1d`);
      showClock(await client(o).json('POST', '/clock/advance', { seconds }));
    });
  withTarget(clock.command('freeze')).description('stop the clock').action(async (o: TargetOptions) => showClock(await client(o).json('PUT', '/clock', { frozen: true })));
  withTarget(clock.command('run')).description('let the clock run again').action(async (o: TargetOptions) => showClock(await client(o).json('PUT', '/clock', { frozen: false })));
  withTarget(clock.command('set'))
    .description('set the clock to an ISO-8601 instant')
    .argument('<instant>', 'e.g. 2026-03-04T23:59:00+08:00')
    .action(async (now: string, o: TargetOptions) => showClock(await client(o).json('PUT', '/clock', { now })));
  withTarget(clock.command('show')).description('print the platform time').action(async (o: TargetOptions) => showClock(await client(o).json('GET', '/clock')));

  const faults = program.command('faults').description('injected faults');
  withTarget(faults.command('add'))
    .description('make a route fail: an errcode, a delay or a dropped connection')
    .requiredOption('--route <route>', 'method and path, e.g. "GET /sns/jscode2session"')
    .option('--errcode <n>', 'answer this errcode', (v) => whole('--errcode', -2_147_483_648, 2_147_483_647)(v))
    .option('--delay <ms>', 'wait this long first', whole('--delay', 0, 60_000))
    .option('--drop', 'close the connection without a reply')
    .option('--times <n>', 'only for the next n calls', whole('--times', 1, 1_000_000_000))
    .option('--probability <p>', 'apply to this share of calls, 0..1', (v) => {
      const n = Number(v);
      if (!(n >= 0 && n <= 1)) throw new InvalidArgumentError('--probability is a number from 0 to 1');
      return n;
    })
    .action(async (o: TargetOptions & { route: string; errcode?: number; delay?: number; drop?: boolean; times?: number; probability?: number }) => {
      const rule = await client(o).json<{ id: string }>('POST', '/faults', {
        route: o.route,
        ...(o.errcode !== undefined ? { errcode: o.errcode } : {}),
        ...(o.delay !== undefined ? { delayMs: o.delay } : {}),
        ...(o.drop ? { drop: true } : {}),
        ...(o.times !== undefined ? { times: o.times } : {}),
        ...(o.probability !== undefined ? { probability: o.probability } : {}),
      });
      output.out(`[openrun] added ${rule.id} on ${o.route}`);
    });
  withTarget(faults.command('list'))
    .description('list the fault rules with their use counts')
    .action(async (o: TargetOptions) => {
      const r = await client(o).json<{ faults: { id: string; route: string; action: Record<string, unknown>; times?: number; uses: number }[] }>('GET', '/faults');
      if (r.faults.length === 0) output.out('[openrun] no faults');
      for (const f of r.faults) output.out(`${f.id}  ${f.route}  ${JSON.stringify(f.action)}  used ${f.uses}${f.times !== undefined ? `/${f.times}` : ''}`);
    });
  withTarget(faults.command('clear'))
    .description('remove every fault rule')
    .action(async (o: TargetOptions) => {
      await client(o).json('DELETE', '/faults');
      output.out('[openrun] faults cleared');
    });
}
