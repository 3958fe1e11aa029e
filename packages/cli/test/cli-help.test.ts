import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import type { Command } from 'commander';
import { beforeAll, expect, it } from 'vitest';
import { buildProgram } from '../src/index.js';
import { openrun, requireBuiltCli } from './helpers/run-cli.js';

beforeAll(requireBuiltCli);

const version = (JSON.parse(readFileSync(resolve(__dirname, '../package.json'), 'utf8')) as { version: string }).version;

it('--version and -V print the package version', async () => {
  for (const flag of ['--version', '-V']) {
    const r = await openrun([flag]);
    expect(r.code).toBe(0);
    expect(r.stdout.trim()).toBe(version);
  }
});

/** The help text `openrun <path> --help` prints, taken in-process (spawning ~30 processes would be slow). */
function helpOf(command: Command): string {
  let text = '';
  const write = process.stdout.write;
  process.stdout.write = ((chunk: string) => ((text += chunk), true)) as typeof process.stdout.write;
  try {
    command.outputHelp();
  } finally {
    process.stdout.write = write;
  }
  return text;
}

function walk(command: Command, path: string[] = []): { path: string[]; command: Command }[] {
  return command.commands.flatMap((c) => [{ path: [...path, c.name()], command: c }, ...walk(c, [...path, c.name()])]);
}

it('--help of every command and subcommand ends with an "Example:" line naming that command', async () => {
  const program = buildProgram();
  const all = walk(program);
  expect(all.map((c) => c.path.join(' '))).toEqual(
    expect.arrayContaining(['start', 'users list', 'users generate', 'apps list', 'apps create', 'steps import', 'export', 'import', 'scenario apply', 'clock advance', 'clock set', 'faults list', 'requests', 'functions calls', 'reset']),
  );
  expect(helpOf(program)).toMatch(/Example:\n {2}\$ openrun /);
  for (const { path, command } of all) expect(helpOf(command), path.join(" ")).toMatch(new RegExp(`\\nExample:\\n {2}.*openrun ${path.join(" ")}\\b`));
  // And as a user sees it:
  const r = await openrun(['faults', 'add', '--help']);
  expect(r.code).toBe(0);
  expect(r.stdout).toContain('Example:\n  $ openrun faults add --route "GET /cgi-bin/token" --errcode -1 --times 1');
});

it('the --url option of the control commands names OPENRUN_URL, and OPENRUN_URL is honoured', async () => {
  expect((await openrun(['users', 'list', '--help'])).stdout).toContain('(env OPENRUN_URL)');
  const r = await openrun(['clock', 'show'], { env: { OPENRUN_URL: 'http://127.0.0.1:9' } });
  expect(r.stderr).toContain('cannot reach the platform at http://127.0.0.1:9 ');
});

it('an unknown command or option says so and points at --help', async () => {
  const r = await openrun(['clock', 'advance', '5m', '--bogus']);
  expect(r.code).not.toBe(0);
  expect(r.stderr).toContain("unknown option '--bogus'");
});
