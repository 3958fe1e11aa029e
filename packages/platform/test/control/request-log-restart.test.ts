/**
 * On the embedded store the request log lives in the platform process and is written to the store when the platform
 * closes: the next start lists it again, and what reaches the file is redacted like what `GET /requests` shows.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { buildPlatform } from '@openrun/platform';
import { afterEach, expect, it } from 'vitest';

const TOKEN = 'orctl_test';
const AUTH = { authorization: `Bearer ${TOKEN}` };
const dir = mkdtempSync(join(tmpdir(), 'openrun-log-restart-'));
let app: ReturnType<typeof buildPlatform> | undefined;
afterEach(async () => {
  await app?.close();
  rmSync(dir, { recursive: true, force: true });
});

interface Entry {
  seq: number;
  route: string;
  url: string;
  requestBody: string | null;
  responseBody: string | null;
}
const list = async (platform: ReturnType<typeof buildPlatform>): Promise<Entry[]> =>
  (await platform.inject({ url: '/openrun/control/v1/requests', headers: AUTH })).json<{ requests: Entry[] }>().requests;

it('the log outlives a restart, redacted in the store as in the listing; a 40 kB body is logged redacted and cut', async () => {
  app = buildPlatform({ memory: false, dataDir: dir, controlToken: TOKEN });
  const wx = (await app.inject({ method: 'POST', url: '/openrun/control/v1/apps', headers: AUTH, payload: { platform: 'weapp' } })).json<{ appid: string; secret: string }>();
  await app.inject({ method: 'POST', url: '/cgi-bin/stable_token', payload: { grant_type: 'client_credential', appid: wx.appid, secret: wx.secret } });
  // 40 kB of request body, far past what is held raw: redacted at once, cut like any other.
  await app.inject({ method: 'POST', url: '/cgi-bin/stable_token', payload: { secret: wx.secret, grant_type: 'client_credential', appid: wx.appid, pad: 'p'.repeat(40_000) } });
  await app.inject(`/cgi-bin/token?grant_type=client_credential&appid=${wx.appid}&secret=${wx.secret}`);
  const before = await list(app);
  expect(before.map((e) => e.route)).toEqual(['GET /cgi-bin/token', 'POST /cgi-bin/stable_token', 'POST /cgi-bin/stable_token']);
  expect(before[1]!.requestBody).toMatch(/^\{"secret":"\[redacted\]".*more characters\]$/);
  expect(JSON.stringify(before)).not.toContain(wx.secret);
  // Calls after a listing are held raw again until the next one; closing writes them out redacted too.
  await app.inject(`/cgi-bin/token?grant_type=client_credential&appid=${wx.appid}&secret=${wx.secret}`);
  await app.close();
  app = undefined;

  const file = new Database(join(dir, 'openrun.sqlite'), { readonly: true });
  const rows = file.prepare('SELECT url, request_body, response_body FROM request_log').all();
  file.close();
  expect(rows).toHaveLength(4);
  expect(JSON.stringify(rows)).not.toContain(wx.secret);
  expect(JSON.stringify(rows)).toContain('secret=[redacted]');

  app = buildPlatform({ memory: false, dataDir: dir, controlToken: TOKEN });
  await app.inject(`/cgi-bin/token?grant_type=client_credential&appid=${wx.appid}&secret=${wx.secret}`);
  const after = await list(app);
  expect(after).toHaveLength(5);
  expect(after.slice(2)).toEqual(before);
  expect(after.map((e) => e.seq)).toEqual([5, 4, 3, 2, 1]);
  expect(JSON.stringify(after)).not.toContain(wx.secret);
});
