import { spawn } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { afterAll, beforeAll, expect, it } from 'vitest';

const BIN = resolve(__dirname, '../bin/openrun.js');

/** Runs `openrun start` until it prints its users (then stops it) or exits; bounded by a timeout. */
function start(args: string[]): Promise<{ code: number | null; output: string }> {
  const child = spawn(process.execPath, [BIN, 'start', '--port', '0', '--memory', ...args], { stdio: ['ignore', 'pipe', 'pipe'] });
  let output = '';
  return new Promise((done, reject) => {
    const timer = setTimeout(() => {
      child.kill('SIGKILL');
      reject(new Error(`openrun start did not finish: ${output}`));
    }, 20_000);
    const read = (d: Buffer) => {
      output += d.toString();
      if (/users:\n(.*\n)*.*deviceToken=/.test(output)) child.kill('SIGTERM');
    };
    child.stdout.on('data', read);
    child.stderr.on('data', read);
    child.on('exit', (code) => {
      clearTimeout(timer);
      done({ code, output });
    });
  });
}

let dir: string;
beforeAll(() => {
  if (!existsSync(resolve(__dirname, '../dist/index.js'))) throw new Error('[openrun] the CLI is not built: run `npm run build` (npm test does it first)');
  dir = mkdtempSync(join(tmpdir(), 'openrun-scenario-'));
});
afterAll(() => rmSync(dir, { recursive: true, force: true }));

it('start --scenario applies a YAML scenario instead of the demo seed', async () => {
  const file = join(dir, 'team.yaml');
  writeFileSync(
    file,
    [
      'clock: { now: "2026-03-04T08:00:00+08:00", frozen: true }',
      'apps:',
      '  - { platform: weapp, appid: wx0123456789abcdef, secret: 0123456789abcdef0123456789abcdef, cloud: true }',
      'users:',
      '  - id: alice',
      '    deviceToken: dev-alice-0001',
      '    generate: { seed: 1, days: 31 }',
      'grants:',
      '  - { app: wx0123456789abcdef, user: alice, scope: scope.werun, granted: true }',
      'faults:',
      '  - { route: "GET /sns/jscode2session", errcode: -1, times: 1 }',
    ].join('\n'),
  );
  const r = await start(['--scenario', file]);
  expect(r.output).toContain(`scenario ${file} applied`);
  expect(r.output).toMatch(/weapp +appid=wx0123456789abcdef secret=0123456789abcdef0123456789abcdef cloud=true/);
  expect(r.output).toMatch(/alice .*deviceToken=dev-alice-0001/);
  expect(r.output).not.toContain('Xiao Ming');
});

it('start --scenario refuses an invalid file with the file, the JSON path and what was expected', async () => {
  const file = join(dir, 'bad.yaml');
  writeFileSync(file, 'users:\n  - id: a\n    generate: { days: "many" }\n');
  const r = await start(['--scenario', file]);
  expect(r.code).not.toBe(0);
  expect(r.output).toContain(`[openrun] ${file}: users[0].generate.days: expected integer, got "many"`);
  const broken = join(dir, 'broken.yaml');
  writeFileSync(broken, 'apps:\n  - platform: [weapp\n');
  const r2 = await start(['--scenario', broken]);
  expect(r2.code).not.toBe(0);
  expect(r2.output).toContain(`[openrun] ${broken}:3:1: not valid YAML (Flow sequence in block collection must be sufficiently indented and end with a ])`);
  const json = join(dir, 'bad.json');
  writeFileSync(json, '{"apps": [{"platform": "weapp", "cloud": "yes"}]}');
  const r3 = await start(['--scenario', json]);
  expect(r3.output).toContain(`${json}: apps[0].cloud: expected boolean, got "yes"`);
});
