/**
 * `openrun import FILE`: replaces the whole state with an exported document, streamed (a progress bar on a terminal),
 * and says how many records of each kind it wrote.
 */
import type { Command } from 'commander';
import { withExample } from '../internal/help-example.js';
import { createProgressBar } from '../internal/progress-bar.js';
import { openReadableFile } from '../internal/readable-file.js';
import { clientOf, stdoutOutput, withTarget, type CommandOutput, type TargetOptions } from '../internal/target.js';

/** Adds `import`. */
export function registerImportCommand(program: Command, output: CommandOutput = stdoutOutput): void {
  withExample(withTarget(program.command('import')), 'openrun import state.json')
    .description('replace the whole state with an exported JSON document (checked first; all or nothing)')
    .argument('<file>', 'a file written by "openrun export"')
    .action(async (path: string, o: TargetOptions) => {
      const file = await openReadableFile(path);
      const bar = createProgressBar(file.size, 'importing');
      type Counts = Record<'app' | 'user' | 'appUser' | 'loginCode' | 'accessToken' | 'cloudId' | 'counter', number>;
      const r = await clientOf(o).upload<{ imported: Counts }>('/import', file, 'application/json', (bytes) => bar.update(bytes));
      bar.finish();
      const n = r.imported;
      output.out(
        `[openrun] imported the state from ${path}: ${n.app} apps, ${n.user} users, ${n.appUser} app users, ` +
          `${n.loginCode + n.accessToken + n.cloudId + n.counter} codes, tokens, cloudIDs and counters`,
      );
    });
}
