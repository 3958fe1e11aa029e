/**
 * Runs the built `openrun` command in a child process, as a user's shell would, for the CLI tests.
 */
import { spawn } from 'node:child_process';
import { existsSync } from 'node:fs';
import { resolve } from 'node:path';

/** The built CLI's bin. */
export const BIN = resolve(__dirname, '../../bin/openrun.js');

/** What a finished run printed. */
export interface CliRun {
  code: number | null;
  stdout: string;
  stderr: string;
}

/** Throws unless the CLI was built (its bin runs dist/). */
export function requireBuiltCli(): void {
  if (!existsSync(resolve(__dirname, '../../dist/index.js'))) {
    throw new Error('[openrun] the CLI is not built: run `npm run build` (npm test does it first)');
  }
}

/** Runs `openrun ...args` to completion (bounded by a timeout), without a control token from the environment. */
export function openrun(args: string[], options: { env?: Record<string, string>; stdin?: string; timeoutMs?: number } = {}): Promise<CliRun> {
  const child = spawn(process.execPath, [BIN, ...args], {
    stdio: [options.stdin === undefined ? 'ignore' : 'pipe', 'pipe', 'pipe'],
    env: { ...process.env, OPENRUN_CONTROL_TOKEN: '', OPENRUN_URL: '', ...options.env },
  });
  if (options.stdin !== undefined) child.stdin!.end(options.stdin);
  let stdout = '';
  let stderr = '';
  child.stdout!.on('data', (d: Buffer) => (stdout += d.toString()));
  child.stderr!.on('data', (d: Buffer) => (stderr += d.toString()));
  return new Promise((done, reject) => {
    const timer = setTimeout(() => {
      child.kill('SIGKILL');
      reject(new Error(`openrun ${args.join(' ')} did not finish: ${stdout}${stderr}`));
    }, options.timeoutMs ?? 20_000);
    child.on('exit', (code) => {
      clearTimeout(timer);
      done({ code, stdout, stderr });
    });
  });
}
