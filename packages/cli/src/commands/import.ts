/**
 * `openrun import FILE`: replaces the whole state with an exported document.
 */
import type { Command } from 'commander';
import { withExample } from '../internal/help-example.js';
import { openReadableFile } from '../internal/readable-file.js';
import { clientOf, stdoutOutput, withTarget, type CommandOutput, type TargetOptions } from '../internal/target.js';

/** Adds `import`. */
export function registerImportCommand(program: Command, output: CommandOutput = stdoutOutput): void {
  withExample(withTarget(program.command('import')), 'openrun import state.json')
    .description('replace the whole state with an exported JSON document (checked first; all or nothing)')
    .argument('<file>', 'a file written by "openrun export"')
    .action(async (path: string, o: TargetOptions) => {
      const file = await openReadableFile(path);
      await clientOf(o).upload('/import', file, 'application/json');
      output.out(`[openrun] imported the state from ${path}`);
    });
}
