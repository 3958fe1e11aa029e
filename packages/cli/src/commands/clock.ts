/**
 * `openrun clock advance|freeze|run|set|show`: the platform clock, printed in China time with its offset.
 */
import { chinaMidnightOf, isChinaDate } from '@openrun/core';
import type { ClockView } from '@openrun/platform';
import { InvalidArgumentError, type Command } from 'commander';
import { withExample } from '../internal/help-example.js';
import { chinaTime } from '../internal/format.js';
import { parseDuration } from '../internal/duration.js';
import { clientOf, stdoutOutput, withTarget, type CommandOutput, type TargetOptions } from '../internal/target.js';

/** Adds the clock subcommands. */
export function registerClockCommands(program: Command, output: CommandOutput = stdoutOutput): void {
  const clock = withExample(program.command('clock').description('the platform clock (shown in China time, UTC+8)'), 'openrun clock advance 5m');
  const show = (c: ClockView) => output.out(`[openrun] platform time ${chinaTime(c.nowMs)}${c.frozen ? ' (frozen)' : ''}`);

  withExample(withTarget(clock.command('advance')), 'openrun clock advance 5m', 'openrun clock advance -1d')
    .description('move the clock forward (or back with a minus): 300s, 5m, 2h, 1d, 1w, -1d')
    .argument('<duration>', 'how far')
    .action(async (duration: string, o: TargetOptions) => {
      const seconds = parseDuration(duration);
      if (seconds === undefined) throw new InvalidArgumentError(`"${duration}" is not a duration such as 300s, 5m, 2h, 1d or -1d`);
      show(await clientOf(o).json('POST', '/clock/advance', { seconds }));
    });
  withExample(withTarget(clock.command('freeze')), 'openrun clock freeze')
    .description('stop the clock')
    .action(async (o: TargetOptions) => show(await clientOf(o).json('PUT', '/clock', { frozen: true })));
  withExample(withTarget(clock.command('run')), 'openrun clock run')
    .description('let the clock run again')
    .action(async (o: TargetOptions) => show(await clientOf(o).json('PUT', '/clock', { frozen: false })));
  withExample(withTarget(clock.command('set')), 'openrun clock set 2026-03-04T23:59:00+08:00', 'openrun clock set 2026-03-04')
    .description('set the clock to an ISO-8601 instant, or to a date: that day\'s 00:00 China time (the platform\'s day boundary)')
    .argument('<instant>', 'e.g. 2026-03-04T23:59:00+08:00, or 2026-03-04')
    .action(async (now: string, o: TargetOptions) => {
      if (/^\d{4}-\d{2}-\d{2}$/.test(now)) {
        if (!isChinaDate(now)) throw new InvalidArgumentError(`"${now}" is not a calendar date`);
        output.out(`[openrun] ${now} is taken as 00:00 China time (UTC+8), the platform's day boundary`);
        return show(await clientOf(o).json('PUT', '/clock', { now: chinaMidnightOf(now) * 1000 }));
      }
      show(await clientOf(o).json('PUT', '/clock', { now }));
    });
  withExample(withTarget(clock.command('show')), 'openrun clock show')
    .description('print the platform time')
    .action(async (o: TargetOptions) => show(await clientOf(o).json('GET', '/clock')));
}
