/**
 * `openrun functions calls`: the recent cloud-function calls with their result, duration, errors and console output.
 */
import type { FunctionCallView } from '@openrun/platform';
import type { Command } from 'commander';
import { withExample } from '../internal/help-example.js';
import { chinaTime, counted } from '../internal/format.js';
import { clientOf, stdoutOutput, withTarget, type CommandOutput, type TargetOptions } from '../internal/target.js';

/** Adds `functions calls`. */
export function registerFunctionsCommands(program: Command, output: CommandOutput = stdoutOutput): void {
  const functions = withExample(program.command('functions').description('cloud functions of a running platform (openrun start --functions DIR)'), 'openrun functions calls');
  withExample(withTarget(functions.command('calls')), 'openrun functions calls', 'openrun functions calls --json')
    .description('print the recent calls (newest last): result or error, duration and console output')
    .option('--json', 'print JSON')
    .action(async (o: TargetOptions & { json?: boolean }) => {
      const r = await clientOf(o).json<{ functions: string[]; calls: FunctionCallView[] }>('GET', '/functions/calls');
      if (o.json) return output.out(JSON.stringify(r, null, 2));
      output.out(`[openrun] ${counted(r.functions.length, 'function')}${r.functions.length ? `: ${r.functions.join(', ')}` : ''}`);
      if (r.calls.length === 0) return output.out('[openrun] no calls yet');
      for (const c of [...r.calls].reverse()) {
        const outcome = c.ok ? `ok  result ${c.result ?? 'undefined'}` : `FAILED ${c.failure ?? ''}${c.message ? `: ${c.message}` : ''}`;
        output.out(`${chinaTime(c.at)}  ${c.name}  ${c.appid}  ${c.durationMs} ms  ${outcome}  (${c.requestId})`);
        for (const l of c.logs) output.out(`    ${l.level.padEnd(5)} ${l.text}`);
      }
    });
}
