/**
 * `openrun env [--url URL]`: prints `export` lines for `eval "$(openrun env)"` that point a shell's backends at a
 * running OpenRun (proxy, CA trust for Node, OpenSSL, Python and Go, and the server SDK's emulator host).
 */
import { Option, type Command } from 'commander';
import { droppedNoProxyWarning, resolveBackendEnvironment, shellQuote } from '../internal/backend-environment.js';
import { withExample } from '../internal/help-example.js';
import { DEFAULT_URL, type CommandOutput } from '../internal/target.js';

/** Adds `openrun env` to `program`. */
export function registerEnvCommand(program: Command, output: CommandOutput = { out: (line) => console.log(line) }): void {
  withExample(program.command('env'), 'openrun env --url http://127.0.0.1:9527', 'eval "$(openrun env)"')
    .description('print export lines that point backends at OpenRun: eval "$(openrun env)"')
    .addOption(new Option('--url <url>', 'the running platform (env OPENRUN_URL)').default(process.env.OPENRUN_URL?.trim() || DEFAULT_URL))
    .action(async (o: { url: string }) => {
      const { variables, droppedNoProxy } = await resolveBackendEnvironment(o.url);
      if (droppedNoProxy.length > 0) process.stderr.write(`${droppedNoProxyWarning(droppedNoProxy)}\n`);
      for (const [name, value] of variables) output.out(`export ${name}=${shellQuote(value)}`);
    });
}
