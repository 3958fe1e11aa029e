/**
 * `openrun export [FILE]`: the whole state as one JSON document, to a file or stdout, streamed (the bytes so far are
 * shown on a terminal).
 */
import { createWriteStream } from 'node:fs';
import { pipeline } from 'node:stream/promises';
import type { Command } from 'commander';
import { withExample } from '../internal/help-example.js';
import { createByteMeter } from '../internal/progress-bar.js';
import { clientOf, stdoutOutput, withTarget, type CommandOutput, type TargetOptions } from '../internal/target.js';

/** Adds `export`. */
export function registerExportCommand(program: Command, output: CommandOutput = stdoutOutput): void {
  withExample(withTarget(program.command('export')), 'openrun export state.json', 'openrun export | jq .users')
    .description('write the whole state as one JSON document (to FILE, else stdout)')
    .argument('[file]', 'where to write')
    .action(async (file: string | undefined, o: TargetOptions) => {
      const body = await clientOf(o).download('/export');
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
}
