/**
 * Functions that fail: missing open-API permission, throwing, hanging past the timeout, exiting, running out of
 * memory, unknown names and apps without cloud. Each failure stays with its call; the platform keeps serving.
 * @see PROTOCOL.md §11.6, §12.2
 */
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { errmsgText } from '../helpers/platform.js';
import { callFunction, cloudIdOf, invokeCloudFunction, startCloudSetup, type CloudSetup } from './helpers.js';

let s: CloudSetup;
beforeEach(async () => {
  s = await startCloudSetup();
});
afterEach(() => s.p.close());

/** A normal call and a developer API call both still work. */
async function expectStillServing(): Promise<void> {
  const r = await callFunction(s, 'echo', { from: 'after' });
  expect(r.status).toBe(200);
  expect(r.body.result?.event).toMatchObject({ from: 'after' });
  const token = await s.p.request<{ access_token?: string }>('GET', `/cgi-bin/token?grant_type=client_credential&appid=${s.app.appid}&secret=${s.app.secret}`);
  expect(token.body.access_token).toBeTruthy();
}

function expectExecutionError(r: Awaited<ReturnType<typeof callFunction>>, message: RegExp): void {
  expect(r.status).toBe(502);
  expect(r.body.error?.code).toBe('OR_ERR_FUNCTION_FAILED');
  expect(r.body.error?.errCode).toBe(-404011);
  expect(r.body.error?.errMsg).toMatch(
    /^cloud\.callFunction:fail requestID [0-9a-f-]{36}, cloud function service error code -504002, error message /,
  );
  expect(r.body.error?.errMsg).toMatch(message);
  expect(r.body.error?.errMsg).toMatch(/; at cloud\.callFunction api;$/);
}

describe('failing functions', () => {
  it('answers -604101 to cloud.openapi.cloudbase.getOpenData without the permission in config.json', async () => {
    const id = await cloudIdOf(s.p, s.app, s.user);
    const r = await callFunction(s, 'no-permission', { cloudidList: [id] });
    expect(r.body.result).toEqual({ errCode: -604101, errMsg: 'system error: error code: -604101' });
  });

  it('fails only the call of a function that throws, with its error message, and keeps its console output', async () => {
    const r = await callFunction(s, 'throws');
    expectExecutionError(r, /Error: step total is negative/);
    const log = await s.p.control<{ calls: Array<{ requestId: string; ok: boolean; failure: string; logs: unknown[] }> }>('GET', '/functions/calls');
    expect(log.body.calls[0]).toMatchObject({ ok: false, failure: 'error', logs: [{ level: 'error', text: 'about to fail' }] });
    await expectStillServing();
    expectExecutionError(await callFunction(s, 'throws'), /step total is negative/);
  });

  it('fails a function that never resolves after its config.json timeout and replaces the worker', async () => {
    const r = await callFunction(s, 'hangs');
    expectExecutionError(r, /Invoking task timed out after 1 seconds/);
    await expectStillServing();
    expectExecutionError(await callFunction(s, 'hangs'), /timed out/);
  });

  it('fails the call of a function that exits its process, and the next call gets a fresh worker', async () => {
    expectExecutionError(await callFunction(s, 'exits'), /Process exited before completing request \(exit code 3\)/);
    await expectStillServing();
    expectExecutionError(await callFunction(s, 'exits'), /exit code 3/);
  });

  it('fails the call of a function that runs out of memory', async () => {
    expectExecutionError(await callFunction(s, 'out-of-memory'), /Memory limit exceeded: the function used more than 256 MB/);
    await expectStillServing();
  });

  it('keeps serving other calls while a function hangs', async () => {
    const hanging = callFunction(s, 'hangs');
    await expectStillServing();
    expectExecutionError(await hanging, /timed out/);
  });
});

describe('calls that cannot run', () => {
  it('answers an unknown function with -501000 on the runtime API', async () => {
    const r = await callFunction(s, 'nope');
    expect(r.status).toBe(404);
    expect(r.body.error).toMatchObject({ code: 'OR_ERR_FUNCTION_NOT_FOUND', errCode: -501000 });
    expect(r.body.error?.errMsg).toMatch(/cloud function service error code -501000, error message FunctionName parameter could not be found/);
  });

  it('refuses callFunction for an app without cloud development', async () => {
    const plain = await s.p.createApp({ platform: 'weapp', cloud: false });
    const r = await s.p.runtime<{ error: { code: string; errMsg: string } }>(s.user.deviceToken, 'POST', `/apps/${plain.appid}/functions/echo`, { data: {} });
    expect(r.status).toBe(403);
    expect(r.body.error.code).toBe('OR_ERR_RUNTIME_CLOUD_DISABLED');
    expect(r.body.error.errMsg).toMatch(/^cloud\.callFunction:fail /);
  });

  it('answers /tcb/invokecloudfunction failures with WeChat errcodes', async () => {
    const thrown = await invokeCloudFunction(s, 'throws');
    expect(thrown.body.errcode).toBe(-504002);
    expect(errmsgText(thrown.body.errmsg)).toMatch(/^functions execute fail: requestID [0-9a-f-]{36}, Error: step total is negative/);
    const missing = await invokeCloudFunction(s, 'nope');
    expect(missing.body.errcode).toBe(-501000);
    const wrongEnv = await invokeCloudFunction(s, 'echo', {}, 'another-env');
    expect(wrongEnv.body.errcode).toBe(40097);
    const badToken = await s.p.request<{ errcode: number }>('POST', `/tcb/invokecloudfunction?access_token=1_${'a'.repeat(40)}&env=x&name=echo`, {});
    expect(badToken.body.errcode).toBe(40001);
    await expectStillServing();
  });

  it('refuses a gateway request whose wxCloudApiToken is not a running call', async () => {
    const r = await s.p.request<{ code: string; message: string; requestId: string }>('POST', '/tcb/admin?env=x&seqId=1', {
      action: 'functions.invokeFunction',
      function_name: 'echo',
      request_data: '{}',
      wxCloudApiToken: 'forged',
    });
    expect(r.status).toBe(200);
    expect(r.body.code).toBe('PERMISSION_DENIED');
    expect(r.headers.get('content-type')).toBe('application/json; charset=utf-8');
  });
});

it('fails clearly when the platform runs without a functions folder', async () => {
  const { startTestPlatform, loginAndExchange } = await import('../helpers/platform.js');
  const bare = await startTestPlatform();
  try {
    const app = await bare.createApp({ platform: 'weapp', cloud: true });
    const user = await bare.createUser();
    await loginAndExchange(bare, app, user);
    const r = await bare.runtime<{ error: { code: string; message: string } }>(user.deviceToken, 'POST', `/apps/${app.appid}/functions/echo`, { data: {} });
    expect(r.status).toBe(404);
    expect(r.body.error.message).toMatch(/--functions DIR/);
  } finally {
    await bare.close();
  }
});
