/**
 * No test may contact a host off this machine: function workers run with a preload that records every outgoing
 * connection and DNS lookup, and after exercising every SDK call the only peer is the platform on 127.0.0.1.
 * @see PROTOCOL.md §13.1 (TENCENTCLOUD_RUNENV=SCF)
 */
import { mkdtempSync, readFileSync, rmSync, writeFileSync, existsSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterEach, expect, it } from 'vitest';
import { callFunction, cloudIdOf, FIXTURE_FUNCTIONS, invokeCloudFunction, marker, startCloudSetup, type CloudSetup } from './helpers.js';

const RECORDER = fileURLToPath(new URL('../fixtures/net-recorder.cjs', import.meta.url));

let s: CloudSetup | undefined;
let dir: string | undefined;
afterEach(async () => {
  await s?.p.close();
  if (dir) rmSync(dir, { recursive: true, force: true });
});

it('function workers of both SDK lines connect to nothing but the platform on 127.0.0.1', async () => {
  dir = mkdtempSync(join(tmpdir(), 'openrun-net-'));
  const logFile = join(dir, 'net.log');
  const preload = join(dir, 'recorder.cjs');
  writeFileSync(preload, `const OPENRUN_NET_LOG = ${JSON.stringify(logFile)};\n${readFileSync(RECORDER, 'utf8')}`);
  s = await startCloudSetup(FIXTURE_FUNCTIONS, { functionWorkerExecArgv: ['--require', preload] });
  const id = await cloudIdOf(s.p, s.app, s.user);
  for (const fn of ['werun-sdk4', 'werun-sdk2']) {
    const r = await callFunction(s, fn, { weRunData: marker(id), list: [id], cloudidList: [id], callName: 'echo' });
    expect(r.status).toBe(200);
    expect((await invokeCloudFunction(s, fn, { list: [id], cloudidList: [id] })).body.errcode).toBe(0);
  }
  expect(existsSync(logFile)).toBe(true);
  const entries = readFileSync(logFile, 'utf8').trim().split('\n').map((line) => JSON.parse(line) as { kind: string; host: string; port?: number | string });
  const port = Number(new URL(s.p.baseUrl).port);
  expect(entries.filter((e) => e.kind === 'connect').length).toBeGreaterThanOrEqual(2);
  for (const entry of entries) {
    expect({ kind: entry.kind, host: entry.host }).toEqual({ kind: entry.kind, host: '127.0.0.1' });
    if (entry.kind === 'connect') expect(Number(entry.port)).toBe(port);
  }
});
