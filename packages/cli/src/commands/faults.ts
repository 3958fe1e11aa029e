/**
 * `openrun faults add|list|clear`: make platform routes fail on purpose.
 */
import type { FaultView } from '@openrun/platform';
import { InvalidArgumentError, type Command } from 'commander';
import { withExample } from '../internal/help-example.js';
import { table } from '../internal/format.js';
import { clientOf, stdoutOutput, whole, withTarget, type CommandOutput, type TargetOptions } from '../internal/target.js';

function actionText(action: FaultView['action']): string {
  if ('errcode' in action) return `errcode ${action.errcode}`;
  if ('delayMs' in action) return `delay ${action.delayMs} ms`;
  return 'drop';
}

/** Adds the faults subcommands. */
export function registerFaultsCommands(program: Command, output: CommandOutput = stdoutOutput): void {
  const faults = withExample(program.command('faults').description('injected faults'), 'openrun faults list');
  withExample(
    withTarget(faults.command('add')),
    'openrun faults add --route "GET /cgi-bin/token" --errcode -1 --times 1',
    'openrun faults add --route "POST /wxa/getopendata" --delay 2000 --probability 0.5',
  )
    .description('make a route fail: an errcode, a delay or a dropped connection')
    .requiredOption('--route <route>', 'method and path, e.g. "GET /sns/jscode2session"')
    .option('--errcode <n>', 'answer this errcode', whole('--errcode', -2_147_483_648, 2_147_483_647))
    .option('--delay <ms>', 'wait this long first', whole('--delay', 0, 60_000))
    .option('--drop', 'close the connection without a reply')
    .option('--times <n>', 'only for the next n calls', whole('--times', 1, 1_000_000_000))
    .option('--probability <p>', 'apply to this share of calls, 0..1', (v) => {
      const n = Number(v);
      if (v.trim() === '' || !(n >= 0 && n <= 1)) throw new InvalidArgumentError('--probability is a number from 0 to 1');
      return n;
    })
    .action(async (o: TargetOptions & { route: string; errcode?: number; delay?: number; drop?: boolean; times?: number; probability?: number }) => {
      const rule = await clientOf(o).json<FaultView>('POST', '/faults', {
        route: o.route,
        ...(o.errcode !== undefined ? { errcode: o.errcode } : {}),
        ...(o.delay !== undefined ? { delayMs: o.delay } : {}),
        ...(o.drop ? { drop: true } : {}),
        ...(o.times !== undefined ? { times: o.times } : {}),
        ...(o.probability !== undefined ? { probability: o.probability } : {}),
      });
      output.out(`[openrun] added ${rule.id} on ${o.route}`);
    });
  withExample(withTarget(faults.command('list')), 'openrun faults list', 'openrun faults list --json')
    .description('list the fault rules with their probability and use counts')
    .option('--json', 'print JSON')
    .action(async (o: TargetOptions & { json?: boolean }) => {
      const r = await clientOf(o).json<{ faults: FaultView[] }>('GET', '/faults');
      if (o.json) return output.out(JSON.stringify(r, null, 2));
      if (r.faults.length === 0) return output.out('[openrun] no faults');
      const rows = r.faults.map((f) => [
        f.id,
        f.route,
        actionText(f.action),
        f.probability === undefined ? '1' : String(f.probability),
        `${f.uses}${f.times !== undefined ? `/${f.times}` : ''}`,
      ]);
      for (const line of table(['ID', 'ROUTE', 'ACTION', 'PROBABILITY', 'USED'], rows)) output.out(line);
    });
  withExample(withTarget(faults.command('clear')), 'openrun faults clear')
    .description('remove every fault rule')
    .action(async (o: TargetOptions) => {
      await clientOf(o).json('DELETE', '/faults');
      output.out('[openrun] faults cleared');
    });
}
