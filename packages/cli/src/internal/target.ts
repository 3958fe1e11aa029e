/**
 * What every control subcommand shares: the `--url` and `--token` options (env OPENRUN_URL, OPENRUN_CONTROL_TOKEN), the
 * client built from them, where output goes, and argument parsers.
 */
import { InvalidArgumentError, Option, type Command } from 'commander';
import { createControlClient, type ControlClient } from './control-client.js';

/** Where the output of a command goes. */
export interface CommandOutput {
  out(line: string): void;
}

/** The options every control subcommand takes. */
export interface TargetOptions {
  url: string;
  token?: string;
}

/** Where `openrun start` listens by default. */
export const DEFAULT_URL = 'http://127.0.0.1:9527';

/** Prints to stdout. */
export const stdoutOutput: CommandOutput = { out: (line) => console.log(line) };

/** Adds `--url` and `--token` to `command`. */
export function withTarget(command: Command): Command {
  return command
    .addOption(new Option('--url <url>', 'the running platform (env OPENRUN_URL)').default(process.env.OPENRUN_URL?.trim() || DEFAULT_URL))
    .addOption(new Option('--token <token>', 'control API token (env OPENRUN_CONTROL_TOKEN)').default(process.env.OPENRUN_CONTROL_TOKEN?.trim() || undefined));
}

/** The control client for a command's target options. */
export const clientOf = (o: TargetOptions): ControlClient => createControlClient({ url: o.url, ...(o.token ? { token: o.token } : {}) });

/** A parser of a whole number from `min` to `max` for option `name`. */
export function whole(name: string, min: number, max: number) {
  return (value: string): number => {
    const n = Number(value);
    if (!Number.isInteger(n) || n < min || n > max) throw new InvalidArgumentError(`${name} is a whole number from ${min} to ${max}`);
    return n;
  };
}
