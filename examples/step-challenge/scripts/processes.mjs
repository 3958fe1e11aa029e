/**
 * What `npm run dev`, the example's tests and the repository's end-to-end test share: finding the OpenRun CLI,
 * starting a child process and waiting for the line that says where it listens, and stopping it again.
 */
import { spawn } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

/** The example's folder. */
export const exampleDir = dirname(dirname(fileURLToPath(import.meta.url)));

/**
 * The `openrun` executable script: `OPENRUN_CLI`, else an installed `@openrun/cli`, else the one of the OpenRun
 * checkout this example sits in (`../../packages/cli`).
 */
export function openrunCli() {
  if (process.env.OPENRUN_CLI) return process.env.OPENRUN_CLI;
  try {
    const manifest = createRequire(join(exampleDir, 'package.json')).resolve('@openrun/cli/package.json');
    const { bin } = JSON.parse(readFileSync(manifest, 'utf8'));
    return join(dirname(manifest), typeof bin === 'string' ? bin : bin.openrun);
  } catch {
    const checkout = join(exampleDir, '../../packages/cli/bin/openrun.js');
    if (existsSync(checkout)) return checkout;
  }
  throw new Error('[step-challenge] the OpenRun CLI was not found: npm install -D @openrun/cli, or set OPENRUN_CLI to its bin/openrun.js');
}

/**
 * Starts `command args` and resolves once a line of its output matches `ready` (its first group is returned as `url`).
 * Rejects with the output so far when the process exits first or `timeoutMs` passes.
 * @param {{ command: string, args: string[], ready: RegExp, env?: NodeJS.ProcessEnv, cwd?: string, timeoutMs?: number, name: string, echo?: boolean }} options
 */
export function startProcess(options) {
  const child = spawn(options.command, options.args, {
    cwd: options.cwd ?? exampleDir,
    env: { ...process.env, ...options.env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let output = '';
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => fail(`did not start within ${options.timeoutMs ?? 30_000} ms`), options.timeoutMs ?? 30_000);
    function fail(why) {
      clearTimeout(timer);
      child.kill('SIGKILL');
      reject(new Error(`[step-challenge] ${options.name} ${why}:\n${output}`));
    }
    function onData(chunk) {
      const text = chunk.toString();
      output += text;
      if (options.echo) process.stdout.write(text.replace(/^(?=.)/gm, `[${options.name}] `));
      const match = options.ready.exec(output);
      if (match) {
        clearTimeout(timer);
        child.off('exit', onExit);
        resolve({ url: match[1], child, output: () => output, stop: () => stopProcess(child) });
      }
    }
    function onExit(code, signal) {
      fail(`exited (${signal ?? code}) before it was ready`);
    }
    child.stdout.on('data', onData);
    child.stderr.on('data', onData);
    child.once('exit', onExit);
  });
}

/** Stops a child with SIGTERM (SIGKILL after 5 s) and resolves when it has exited. */
export function stopProcess(child) {
  if (child.exitCode !== null || child.signalCode !== null) return Promise.resolve();
  return new Promise((resolve) => {
    const timer = setTimeout(() => child.kill('SIGKILL'), 5000);
    child.once('exit', () => {
      clearTimeout(timer);
      resolve();
    });
    child.kill('SIGTERM');
  });
}

/**
 * Starts OpenRun (in memory) with the example's scenario and cloud functions on `port` (0 picks a free one).
 * @param {{ port?: number, echo?: boolean }} [options]
 */
export function startOpenRun(options = {}) {
  return startProcess({
    name: 'openrun',
    command: process.execPath,
    args: [
      openrunCli(),
      'start',
      '--memory',
      '--scenario',
      join(exampleDir, 'openrun/scenario.yaml'),
      '--functions',
      join(exampleDir, 'cloudfunctions'),
      '--port',
      String(options.port ?? 0),
    ],
    ready: /OpenRun listening on (http:\/\/\S+)/,
    echo: options.echo,
  });
}

/**
 * Starts the backend (`server/main.mjs`) against OpenRun at `openrunUrl` and tells the `donate` cloud function where
 * it is (`cloudfunctions/donate/backend.json`).
 * @param {{ openrunUrl: string, appid: string, secret: string, port?: number, staticDir?: string, echo?: boolean }} options
 */
export async function startBackend(options) {
  const backend = await startProcess({
    name: 'backend',
    command: process.execPath,
    args: [join(exampleDir, 'server/main.mjs')],
    env: {
      WECHAT_APPID: options.appid,
      WECHAT_SECRET: options.secret,
      OPENRUN_EMULATOR_HOST: options.openrunUrl,
      PORT: String(options.port ?? 0),
      STATIC_DIR: options.staticDir ?? '',
    },
    ready: /backend listening on (http:\/\/\S+)/,
    echo: options.echo,
  });
  const { writeFileSync } = await import('node:fs');
  writeFileSync(join(exampleDir, 'cloudfunctions/donate/backend.json'), `${JSON.stringify({ url: backend.url })}\n`);
  return backend;
}

/** The scenario's WeChat app (`GET /openrun/control/v1/apps`): appid, secret. */
export async function weappOf(openrunUrl) {
  const response = await fetch(`${openrunUrl}/openrun/control/v1/apps`);
  const { apps } = await response.json();
  const app = apps.find((a) => a.platform === 'weapp');
  if (!app) throw new Error('[step-challenge] the scenario has no weapp app');
  return app;
}
