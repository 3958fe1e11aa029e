/**
 * The CLI's `Command` class: commander's, except that a leaf command reads a negative duration (`-1d`, `-90s`) as an
 * argument, not as an unknown option, in any position (commander itself only knows negative plain numbers).
 */
import { Command } from 'commander';

const NEGATIVE_DURATION = /^-\d+(?:\.\d+)?[smhdw]$/;
/** Stands in for a negative duration while commander sorts options from arguments (never starts with `-`). */
const MARK = '\u0000negative:';

/** A commander command whose subcommands are OpenRunCommands too. */
export class OpenRunCommand extends Command {
  override createCommand(name?: string): OpenRunCommand {
    return new OpenRunCommand(name);
  }

  override parseOptions(args: string[]): { operands: string[]; unknown: string[] } {
    if (this.commands.length > 0) return super.parseOptions(args);
    const takesValue = (flag: string | undefined): boolean =>
      flag !== undefined && this.options.some((o) => (o.short === flag || o.long === flag) && (o.required || o.optional));
    const marked = args.map((arg, i) => (NEGATIVE_DURATION.test(arg) && !takesValue(args[i - 1]) ? MARK + arg : arg));
    const parsed = super.parseOptions(marked);
    const unmark = (a: string) => (a.startsWith(MARK) ? a.slice(MARK.length) : a);
    return { operands: parsed.operands.map(unmark), unknown: parsed.unknown.map(unmark) };
  }
}
