import { spawn, type ChildProcess } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { createInterface } from 'node:readline';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

const BIN = resolve(__dirname, '../bin/openrun.js');

interface Started {
  child: ChildProcess;
  baseUrl: string;
  lines: string[];
  exited: Promise<number | null>;
}

/** Starts `openrun start` and resolves once it printed its base URL and credentials. */
function start(args: string[]): Promise<Started> {
  const child = spawn(process.execPath, [BIN, 'start', '--port', '0', ...args], { stdio: ['ignore', 'pipe', 'pipe'] });
  const exited = new Promise<number | null>((done) => child.on('exit', (code) => done(code)));
  const lines: string[] = [];
  return new Promise((resolveStart, reject) => {
    const timer = setTimeout(() => reject(new Error(`openrun start printed no base URL: ${lines.join('\n')}`)), 20_000);
    child.stderr!.on('data', (d: Buffer) => lines.push(d.toString()));
    createInterface({ input: child.stdout! }).on('line', (line) => {
      lines.push(line);
      if (line.startsWith('  users:')) {
        // The user lines follow right away.
        setTimeout(() => {
          clearTimeout(timer);
          const url = /listening on (http:\/\/\S+)/.exec(lines.join('\n'))?.[1];
          if (!url) reject(new Error(lines.join('\n')));
          else resolveStart({ child, baseUrl: url, lines, exited });
        }, 200);
      }
    });
    child.on('exit', (code) => reject(new Error(`openrun start exited ${code}: ${lines.join('\n')}`)));
  });
}

async function json<T>(url: string, init?: RequestInit): Promise<T> {
  const r = await fetch(url, init);
  return (await r.json()) as T;
}

let dir: string;
beforeAll(() => {
  if (!existsSync(resolve(__dirname, '../dist/index.js'))) {
    throw new Error('[openrun] the CLI is not built: run `npm run build` (npm test does it first)');
  }
  dir = mkdtempSync(join(tmpdir(), 'openrun-cli-'));
});
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe('openrun start', () => {
  it('seeds a demo, prints credentials, stops on SIGTERM, and a restart with --data keeps apps, users, steps, grants and the control token', async () => {
    const data = join(dir, 'store');
    const first = await start(['--data', data]);
    const out = first.lines.join('\n');
    expect(out).toMatch(/weapp +appid=wx[0-9a-f]{16} secret=[0-9a-f]{32} cloud=true/);
    expect(out).toMatch(/qq +appid=\d{10} secret=[0-9a-f]{32}/);
    expect(out.match(/deviceToken=ordev_/g)).toHaveLength(3);
    expect(out).toMatch(/token: orctl_\w+/);

    const control = `${first.baseUrl}/openrun/control/v1`;
    const { apps } = await json<{ apps: { appid: string; platform: string }[] }>(`${control}/apps`);
    const { users } = await json<{ users: { id: string; deviceToken: string }[] }>(`${control}/users`);
    const wx = apps.find((a) => a.platform === 'weapp')!;
    const user = users[0]!;
    const steps = await json<{ days: { date: string; steps: number }[] }>(`${control}/users/${user.id}/steps?from=2000-01-01&to=2100-01-01`);
    expect(steps.days).toHaveLength(60);
    expect(steps.days.every((d) => d.steps >= 0)).toBe(true);
    await fetch(`${control}/apps/${wx.appid}/users/${user.id}/grants`, {
      method: 'PUT',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ 'scope.werun': false }),
    });

    first.child.kill('SIGTERM');
    expect(await first.exited).toBe(0);

    const second = await start(['--data', data]);
    try {
      const control2 = `${second.baseUrl}/openrun/control/v1`;
      expect((await json<{ apps: unknown[] }>(`${control2}/apps`)).apps).toEqual(apps);
      expect((await json<{ users: unknown[] }>(`${control2}/users`)).users).toEqual(users);
      expect(await json(`${control2}/users/${user.id}/steps?from=2000-01-01&to=2100-01-01`)).toEqual(steps);
      expect(await json(`${control2}/apps/${wx.appid}/users/${user.id}/grants`)).toEqual({ authSetting: { 'scope.werun': false } });
      expect(second.lines.join('\n')).not.toContain('demo data seeded');
      // The control token is kept in the data folder's store, so scripts holding it keep working after a restart.
      const token = (lines: string[]) => /token: (orctl_\w+)/.exec(lines.join('\n'))?.[1];
      expect(token(second.lines)).toBeDefined();
      expect(token(second.lines)).toBe(token(first.lines));
    } finally {
      second.child.kill('SIGINT');
      expect(await second.exited).toBe(0);
    }
  });

  it('--memory keeps nothing between runs', async () => {
    const run = await start(['--memory', '--no-seed']);
    try {
      expect(run.lines.join('\n')).toContain('in memory');
      expect(await json(`${run.baseUrl}/openrun/control/v1/apps`)).toEqual({ apps: [] });
    } finally {
      run.child.kill('SIGTERM');
      await run.exited;
    }
  });
});
