/**
 * Regression (issue #10): getopendata hands a cloudID's stored payload out as it is (it is the JSON text of the data),
 * so a whole-state import must refuse a payload that is not JSON text, with a 400 naming it, and change nothing;
 * otherwise the `json` of a getopendata item would be text a developer's JSON.parse cannot read.
 */
import { afterAll, beforeAll, expect, it } from 'vitest';
import { loginCode, startTestPlatform, type TestPlatform } from '../helpers/platform.js';

type ErrorReply = { error: { code: string; message: string } };
type State = { ephemeral: { cloudIds: { cloudId: string; payload: string }[] } };

let p: TestPlatform;
beforeAll(async () => {
  p = await startTestPlatform();
  await p.freezeClock('2026-12-01T04:00:00Z');
  const app = await p.createApp({ platform: 'weapp', name: 'Payloads', cloud: true });
  const user = await p.createUser({ nickname: 'Walker' });
  await loginCode(p, app, user);
  const werun = await p.runtime<{ cloudID: string }>(user.deviceToken, 'POST', `/apps/${app.appid}/werun`);
  expect(werun.status).toBe(200);
});
afterAll(() => p.close());

it('a cloudID whose payload is not JSON text is a 400 naming it, and the state stays as it was', async () => {
  const state = (await p.control<State>('GET', '/export')).body;
  expect(state.ephemeral.cloudIds).toHaveLength(1);
  const before = JSON.stringify(state);
  state.ephemeral.cloudIds[0]!.payload = '{"stepInfoList": [';
  const imported = await p.control<ErrorReply>('POST', '/import', state);
  expect(imported.status).toBe(400);
  expect(imported.body.error.code).toBe('OR_ERR_CONTROL_IMPORT_INVALID');
  expect(imported.body.error.message).toMatch(/^ephemeral\.cloudIds\[0\]\.payload: not valid JSON text/);
  expect(JSON.stringify((await p.control('GET', '/export')).body)).toBe(before);
});
