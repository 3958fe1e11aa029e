/**
 * The README walkthrough runs as written: its shell blocks (all but the `openrun start` one, which this test plays by
 * starting the built CLI on a free port) run in order in one bash, with the decrypt snippet saved as decrypt.mjs.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { BIN, requireBuiltCli } from './helpers/run-cli.js';

const README = readFileSync(resolve(__dirname, '../../../README.md'), 'utf8');

/** The fenced blocks of the walkthrough section, in order. */
function walkthroughBlocks(): { lang: string; code: string }[] {
  const section = README.split('## Walkthrough: the whole WeRun flow by hand')[1]!.split('\n## ')[0]!;
  return [...section.matchAll(/```(\w+)\n([\s\S]*?)```/g)].map((m) => ({ lang: m[1]!, code: m[2]! }));
}

let dir: string;
let platform: ChildProcess | undefined;
beforeAll(() => {
  requireBuiltCli();
  dir = mkdtempSync(join(tmpdir(), 'openrun-readme-'));
});
afterAll(() => {
  platform?.kill('SIGTERM');
  rmSync(dir, { recursive: true, force: true });
});

it('the walkthrough blocks run as pasted and show what the README says they show', async () => {
  const blocks = walkthroughBlocks();
  const start = blocks.filter((b) => b.lang === 'sh' && /openrun(\/cli)? start/.test(b.code));
  expect(start).toHaveLength(1);
  expect(start[0]!.code).toContain('start --memory');
  const js = blocks.filter((b) => b.lang === 'js');
  expect(js).toHaveLength(1);
  expect(js[0]!.code.split('\n')[0]).toContain('decrypt.mjs');
  writeFileSync(join(dir, 'decrypt.mjs'), js[0]!.code);
  const shell = blocks.filter((b) => b.lang === 'sh' && !start.includes(b)).map((b) => b.code);
  expect(shell.join('\n')).toContain('node decrypt.mjs');

  // Terminal 1, on a free port instead of 9527.
  platform = spawn(process.execPath, [BIN, 'start', '--memory', '--port', '0'], { stdio: ['ignore', 'pipe', 'pipe'] });
  const base = await new Promise<string>((done, fail) => {
    let out = '';
    const timer = setTimeout(() => fail(new Error(`openrun start printed no URL: ${out}`)), 20_000);
    platform!.stdout!.on('data', (d: Buffer) => {
      out += d.toString();
      const url = /listening on (http:\/\/\S+)/.exec(out)?.[1];
      if (url && out.includes('deviceToken=')) {
        clearTimeout(timer);
        done(url);
      }
    });
  });

  // Terminal 2: every block, in order, in one shell that stops at the first failing command.
  const script = `set -euo pipefail\n${shell.join('\n')}`;
  const run = await new Promise<{ code: number | null; stdout: string; stderr: string }>((done) => {
    const child = spawn('bash', ['-c', script], { cwd: dir, env: { ...process.env, OPENRUN_URL: base }, stdio: ['ignore', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (d: Buffer) => (stdout += d.toString()));
    child.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
    child.on('exit', (code) => done({ code, stdout, stderr }));
  });
  expect(run.code, run.stderr + run.stdout).toBe(0);
  const out = run.stdout;
  expect(out).toMatch(/^app wx[0-9a-f]{16}, device ordev_\w+$/m);
  expect(out).toMatch(/^\{"code":"[^"]+"\}$/m);
  expect(out).toMatch(/^\{"session_key":"[^"]+","openid":"o[^"]+"\}$/m);
  expect(out).toMatch(/"errcode":40163,"errmsg":"code been used, rid: /);
  expect(out).toMatch(/^\{"encryptedData":"[^"]+","iv":"[^"]+","cloudID":"\d+_[^"]+"\}$/m);
  expect(out).toMatch(/^31 \{ timestamp: \d+, step: \d+ \}$/m);
  expect(out).toMatch(/"errcode":0,"errmsg":"ok","data_list":\[\{"cloud_id":"\d+_[^"]+","json":"\{\\"cloudID\\":.*\\"stepInfoList\\"/);
  expect(out).toMatch(/\\"errCode\\":-601006,\\"errMsg\\":\\"cloudID expired.\\"/);
  expect(run.stderr).toBe('');
});
