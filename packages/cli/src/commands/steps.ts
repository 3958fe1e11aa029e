/**
 * `openrun steps import USER FILE`: streams a CSV, JSON or Apple Health export into a user's step history.
 */
import { InvalidArgumentError, type Command } from 'commander';
import { withExample } from '../internal/help-example.js';
import { counted } from '../internal/format.js';
import { openReadableFile } from '../internal/readable-file.js';
import { clientOf, stdoutOutput, withTarget, type CommandOutput, type TargetOptions } from '../internal/target.js';

function contentTypeOf(file: string, format: string | undefined): string {
  const f = format ?? (/\.csv$/i.test(file) ? 'csv' : /\.xml$/i.test(file) ? 'apple-health' : 'json');
  if (f === 'csv') return 'text/csv';
  if (f === 'apple-health') return 'application/xml';
  if (f === 'json') return 'application/json';
  throw new InvalidArgumentError('--format is csv, json or apple-health');
}

/** Adds `steps import`. */
export function registerStepsCommands(program: Command, output: CommandOutput = stdoutOutput): void {
  const steps = withExample(program.command('steps').description('step histories of a running platform'), 'openrun steps import alice export.xml');
  withExample(withTarget(steps.command('import')), 'openrun steps import alice export.xml --source "Alice’s iPhone"', 'openrun steps import bob steps.csv')
    .description('stream a CSV, JSON or Apple Health export.xml into a user\'s history (all or nothing)')
    .argument('<user>', 'user id')
    .argument('<file>', 'the file (.csv, .json, .xml)')
    .option('--format <format>', 'csv | json | apple-health (default: from the file name)')
    .option('--source <a,b>', 'Apple Health: the sources to count, highest priority first (default: watch over phone); overlapping time is counted once')
    .action(async (user: string, path: string, o: TargetOptions & { format?: string; source?: string }) => {
      const contentType = contentTypeOf(path, o.format);
      const file = await openReadableFile(path);
      const query = new URLSearchParams(o.source ? { source: o.source } : {}).toString();
      output.out(`[openrun] importing ${path} (${(file.size / 1e6).toFixed(1)} MB) into ${user}`);
      const r = await clientOf(o).upload<{ rows: number; days: number; from: string | null; to: string | null; sources?: { name: string; samples: number }[] }>(
        `/users/${encodeURIComponent(user)}/steps/import${query ? `?${query}` : ''}`,
        file,
        contentType,
      );
      output.out(`[openrun] imported ${counted(r.rows, 'row')} into ${counted(r.days, 'day')}${r.from ? ` (${r.from} … ${r.to})` : ''}`);
      if (r.sources) output.out(`[openrun] sources in the file: ${r.sources.map((s) => `${s.name} (${counted(s.samples, 'sample')})`).join(', ') || 'none'}`);
    });
}
