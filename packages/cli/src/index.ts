/**
 * The `openrun` command line.
 */
import { Command, InvalidArgumentError } from 'commander';
import { registerControlCommands } from './commands/control-commands.js';
import { startCommand, type StartOptions } from './commands/start.js';

function port(value: string): number {
  const n = Number(value);
  if (!Number.isInteger(n) || n < 0 || n > 65535) throw new InvalidArgumentError('a port is a whole number from 0 to 65535');
  return n;
}

/** Runs the CLI with `argv` (process.argv shape). */
export async function runCli(argv: string[]): Promise<void> {
  const program = new Command('openrun').description('A self-hosted WeChat WeRun / QQ Run open-data platform');
  program
    .command('start')
    .description('start the platform (embedded SQLite store by default)')
    .option('-p, --port <port>', 'port to listen on (env OPENRUN_PORT)', port, Number(process.env.OPENRUN_PORT?.trim() || 9527))
    .option('-H, --host <host>', 'address to listen on (env OPENRUN_HOST)', process.env.OPENRUN_HOST?.trim() || '127.0.0.1')
    .option('-d, --data <dir>', 'folder of the SQLite store (env OPENRUN_DATA)', process.env.OPENRUN_DATA?.trim() || './.openrun')
    .option('-m, --memory', 'keep everything in memory (a throw-away run)')
    .option('--control-token <token>', 'control API token (env OPENRUN_CONTROL_TOKEN; generated when absent)')
    .option('--no-seed', 'do not seed demo apps and users into an empty store')
    .option('--log', 'log requests (paths only; secrets are never logged)')
    .option('--functions <dir>', 'folder of cloud functions, <dir>/<name>/index.js (env OPENRUN_FUNCTIONS)')
    .option('--scenario <file>', 'replace the state with a scenario file (YAML or JSON): apps, users, histories, grants, faults, clock')
    .option('--postgres <url>', 'scale out: PostgreSQL for the durable state, shared by every instance (env OPENRUN_POSTGRES_URL; needs --redis)')
    .option('--redis <url>', 'scale out: Redis for the short-lived state, shared by every instance (env OPENRUN_REDIS_URL; needs --postgres)')
    .action(async (opts: StartOptions) => {
      const stop = await startCommand(opts, (line) => console.log(line));
      const shutdown = (signal: string) => {
        console.log(`[openrun] ${signal}: stopping`);
        void stop().then(() => process.exit(0));
      };
      process.once('SIGINT', () => shutdown('SIGINT'));
      process.once('SIGTERM', () => shutdown('SIGTERM'));
    });
  registerControlCommands(program);
  await program.parseAsync(argv);
}
