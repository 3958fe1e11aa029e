/**
 * Adds the "Example:" block that every command's `--help` ends with.
 */
import type { Command } from 'commander';

/** Appends `Example:` lines (each a full command line) to `command`'s help, and returns the command. */
export function withExample<C extends Command>(command: C, ...lines: string[]): C {
  command.addHelpText('after', `\nExample:\n${lines.map((l) => `  $ ${l}`).join('\n')}\n`);
  return command;
}
