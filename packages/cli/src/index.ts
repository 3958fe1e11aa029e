/**
 * The `openrun` command line.
 */
import { readFileSync } from 'node:fs';
import { InvalidArgumentError, type Command } from 'commander';
import { registerAppsCommands } from './commands/apps.js';
import { registerClockCommands } from './commands/clock.js';
import { registerExportCommand } from './commands/export.js';
import { registerFaultsCommands } from './commands/faults.js';
import { registerFunctionsCommands } from './commands/functions.js';
import { registerImportCommand } from './commands/import.js';
import { registerRequestsCommand } from './commands/requests.js';
import { registerResetCommand } from './commands/reset.js';
import { registerScenarioCommands } from './commands/scenario.js';
import { registerStepsCommands } from './commands/steps.js';
import { registerUsersCommands } from './commands/users.js';
import { withExample } from './internal/help-example.js';
import { OpenRunCommand } from './internal/openrun-command.js';
import { registerEnvCommand } from './commands/env.js';
import { registerExecCommand } from './commands/exec.js';

function port(value: string): number {
  const n = Number(value);
  if (!Number.isInteger(n) || n < 0 || n > 65535) throw new InvalidArgumentError('a port is a whole number from 0 to 65535');
  return n;
}

/** The CLI package's version. */
function cliVersion(): string {
  const pkg = JSON.parse(readFileSync(new URL('../package.json', import.meta.url), 'utf8')) as { version: string };
  return pkg.version;
}

/** A closed stdout (`openrun export | head`) ends the command quietly instead of printing `write EPIPE`. */
function quietOnClosedPipe(): void {
  for (const stream of [process.stdout, process.stderr]) {
    stream.on('error', (error: NodeJS.ErrnoException) => {
      if (error.code === 'EPIPE') process.exit(0);
      throw error;
    });
  }
}

/** The whole `openrun` command tree, unparsed. */
export function buildProgram(): Command {
  const program = withExample(
    new OpenRunCommand('openrun')
      .description('A self-hosted WeChat WeRun / QQ Run open-data platform')
      .version(cliVersion(), '-V, --version', 'print the version')
      .showHelpAfterError('(add --help for usage)'),
    'openrun start --memory',
    'openrun users list --url http://127.0.0.1:9527',
  );
  // `openrun exec -- cmd --flag`: options after the command belong to the command.
  program.enablePositionalOptions();
  withExample(program.command('start'), 'openrun start --memory --functions ./cloudfunctions', 'openrun start --port 0 --scenario team.yaml')
    .description('start the platform (embedded SQLite store by default); stays in the foreground until Ctrl-C')
    .option('-p, --port <port>', 'port to listen on, 0 for any free one (env OPENRUN_PORT; default 9527)', port)
.option('--tls-port <port>', 'HTTPS port of the same app, routed by SNI/Host (env OPENRUN_TLS_PORT; default 9528, or a free port with --port 0)', port)
    .option('-H, --host <host>', 'address to listen on (env OPENRUN_HOST)', process.env.OPENRUN_HOST?.trim() || '127.0.0.1')
    .option('-d, --data <dir>', 'folder of the SQLite store (env OPENRUN_DATA; default ./.openrun)')
    .option('-m, --memory', 'keep everything in memory, a throw-away run (env OPENRUN_MEMORY=1)')
    .option('--control-token <token>', 'control API token (env OPENRUN_CONTROL_TOKEN; generated when absent)')
    .option('--no-seed', 'do not seed demo apps and users into an empty store')
    .option('--log', 'log requests: readable lines on a terminal, JSON otherwise (paths only; secrets are never logged)')
    .option('--functions <dir>', 'folder of cloud functions, <dir>/<name>/index.js (env OPENRUN_FUNCTIONS)')
    .option('--scenario <file>', 'replace the state with a scenario file (YAML or JSON): apps, users, histories, grants, faults, clock')
    .option('--postgres <url>', 'scale out: PostgreSQL for the durable state, shared by every instance (env OPENRUN_POSTGRES_URL; needs --redis)')
    .option('--redis <url>', 'scale out: Redis for the short-lived state, shared by every instance (env OPENRUN_REDIS_URL; needs --postgres)')
    .action(async (opts: { port?: number; tlsPort?: number; host: string; data?: string; memory?: boolean; controlToken?: string; seed: boolean; log?: boolean; functions?: string; scenario?: string; postgres?: string; redis?: string }) => {
      // Imported here: the platform (Fastify, SQLite) loads only for `start`, so the control commands start fast.
      const { startCommand } = await import('./commands/start.js');
      const starting = startCommand(opts, (line) => console.log(line));
      // Installed before the banner is printed: a signal sent as soon as it appears (or during start-up) stops the
      // platform once it is up, instead of killing it with its lock file left behind.
      const shutdown = (signal: string) => {
        console.log(`[openrun] ${signal}: stopping`);
        void starting.then((stop) => stop()).then(
          () => process.exit(0),
          () => process.exit(1),
        );
      };
      process.once('SIGINT', () => shutdown('SIGINT'));
      process.once('SIGTERM', () => shutdown('SIGTERM'));
      await starting;
    });
  registerUsersCommands(program);
  registerAppsCommands(program);
  registerStepsCommands(program);
  registerExportCommand(program);
  registerImportCommand(program);
  registerScenarioCommands(program);
  registerClockCommands(program);
  registerFaultsCommands(program);
  registerRequestsCommand(program);
  registerFunctionsCommands(program);
  registerResetCommand(program);
  registerEnvCommand(program);
  registerExecCommand(program);
  return program;
}

/** Runs the CLI with `argv` (process.argv shape). */
export async function runCli(argv: string[]): Promise<void> {
  quietOnClosedPipe();
  await buildProgram().parseAsync(argv);
}
