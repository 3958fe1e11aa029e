/**
 * `openrun exec [--url URL] -- <command…>`: runs a command with the variables of `openrun env` set (the caller's
 * environment passed through) and a Node preload appended to NODE_OPTIONS that sends port-443 connections for the
 * WeChat, QQ and TCB host names to OpenRun's TLS port, for clients that ignore proxies. Output passes through and
 * the command's exit status is exec's.
 */
import { spawn } from 'node:child_process';
import { constants } from 'node:os';
import { fileURLToPath } from 'node:url';
import { Option, type Command } from 'commander';
import { droppedNoProxyWarning, resolveBackendEnvironment } from '../internal/backend-environment.js';
import { withExample } from '../internal/help-example.js';
import { DEFAULT_URL } from '../internal/target.js';

/** The preload that redirects connections (plain CommonJS, shipped beside `dist/`). */
export const REDIRECT_PRELOAD = fileURLToPath(new URL('../../preload/redirect-hosts.cjs', import.meta.url));

/** `--require <file>` in NODE_OPTIONS syntax (double quotes when the path needs them). */
function requireOption(file: string): string {
  return /[\s"\\]/.test(file) ? `--require "${file.replace(/(["\\])/g, '\\$1')}"` : `--require ${file}`;
}

/** Runs `command` with OpenRun's backend environment; resolves with its exit status. */
export async function execCommand(url: string, command: string[], warn: (line: string) => void = (l) => console.error(l)): Promise<number> {
  const backend = await resolveBackendEnvironment(url);
  if (backend.droppedNoProxy.length > 0) warn(droppedNoProxyWarning(backend.droppedNoProxy));
  const env: NodeJS.ProcessEnv = { ...process.env, ...Object.fromEntries(backend.variables) };
  if (backend.tlsTarget) {
    env.OPENRUN_REDIRECT_TLS = backend.tlsTarget;
    env.OPENRUN_REDIRECT_HTTP = backend.httpTarget;
    env.OPENRUN_REDIRECT_HOSTS = backend.hosts.join(',');
    env.NODE_OPTIONS = [process.env.NODE_OPTIONS?.trim(), requireOption(REDIRECT_PRELOAD)].filter(Boolean).join(' ');
  } else {
    warn('[openrun] the platform has no TLS port: clients that ignore HTTPS_PROXY are not redirected (start it with --tls-port)');
  }
  const [file, ...args] = command;
  return new Promise((resolve) => {
    const child = spawn(file!, args, { stdio: 'inherit', env });
    const forward = (signal: NodeJS.Signals) => () => child.kill(signal);
    const signals: NodeJS.Signals[] = ['SIGINT', 'SIGTERM', 'SIGHUP'];
    const handlers = signals.map((s) => [s, forward(s)] as const);
    for (const [s, h] of handlers) process.on(s, h);
    const done = (status: number) => {
      for (const [s, h] of handlers) process.off(s, h);
      resolve(status);
    };
    child.on('error', (error: NodeJS.ErrnoException) => {
      warn(`[openrun] cannot run "${file}": ${error.code === 'ENOENT' ? 'command not found' : error.message}`);
      done(error.code === 'ENOENT' ? 127 : 126);
    });
    child.on('exit', (code, signal) => done(code ?? 128 + (signal ? constants.signals[signal] : 0)));
  });
}

/** Adds `openrun exec` to `program`. */
export function registerExecCommand(program: Command): void {
  withExample(program.command('exec'), 'openrun exec -- node server.js')
    .description('run a command with its backend pointed at OpenRun (proxy, CA, and a Node preload for hard-coded hosts)')
    .addOption(new Option('--url <url>', 'the running platform (env OPENRUN_URL)').default(process.env.OPENRUN_URL?.trim() || DEFAULT_URL))
    .argument('<command...>', 'the command and its arguments (after --)')
    .passThroughOptions()
    .action(async (command: string[], o: { url: string }) => {
      process.exitCode = await execCommand(o.url, command);
    });
}
