/**
 * `openrun reset`: forgets the whole state of a running platform. Asks first on a terminal; `--yes` skips the
 * question, and without a terminal the command refuses unless `--yes` is given.
 */
import { createInterface } from 'node:readline/promises';
import type { Command } from 'commander';
import { withExample } from '../internal/help-example.js';
import { clientOf, stdoutOutput, withTarget, type CommandOutput, type TargetOptions } from '../internal/target.js';

/** Adds `reset`. */
export function registerResetCommand(program: Command, output: CommandOutput = stdoutOutput): void {
  withExample(withTarget(program.command('reset')), 'openrun reset', 'openrun reset --yes')
    .description('forget every app, user, history, grant, code, token, cloudID, fault and logged request')
    .option('-y, --yes', 'do not ask (needed when stdin is not a terminal)')
    .action(async (o: TargetOptions & { yes?: boolean }) => {
      if (!o.yes) {
        if (!process.stdin.isTTY) {
          throw new Error(`[openrun] reset forgets everything on ${o.url} and stdin is not a terminal to ask on: run "openrun reset --yes" to confirm`);
        }
        const rl = createInterface({ input: process.stdin, output: process.stderr });
        const answer = await rl.question(`Forget every app, user, history and grant on ${o.url}? [y/N] `).finally(() => rl.close());
        if (!/^y(es)?$/i.test(answer.trim())) return output.out('[openrun] nothing was reset');
      }
      await clientOf(o).json('POST', '/reset');
      output.out(`[openrun] ${o.url} was reset: the store is empty`);
    });
}
