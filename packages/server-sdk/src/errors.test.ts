import { describe, expect, it } from 'vitest';
import {
  AccessTokenInvalidError,
  CodeUsedError,
  fromResponse,
  InvalidCodeError,
  InvalidSecretError,
  InvalidSignatureError,
  PlatformError,
  RateLimitError,
  SystemBusyError,
  UnexpectedResponseError,
} from './errors.js';

const rid = '668f2aa4-51c08c03-3d141241';

describe('fromResponse', () => {
  it('treats a body without errcode or with errcode 0 as success', () => {
    expect(fromResponse('code2Session', 200, { openid: 'o', session_key: 'k' })).toBeUndefined();
    expect(fromResponse('checkSessionKey', 200, { errcode: 0, errmsg: 'ok' })).toBeUndefined();
  });

  it('chooses the class from errcode although the platform answers HTTP 200', () => {
    expect(fromResponse('code2Session', 200, { errcode: 40029, errmsg: `invalid code, rid: ${rid}` })).toBeInstanceOf(InvalidCodeError);
    expect(fromResponse('code2Session', 200, { errcode: 40163, errmsg: 'code been used' })).toBeInstanceOf(CodeUsedError);
    expect(fromResponse('code2Session', 200, { errcode: -1, errmsg: 'system error' })).toBeInstanceOf(SystemBusyError);
    expect(fromResponse('code2Session', 200, { errcode: 45011, errmsg: 'x' })).toBeInstanceOf(RateLimitError);
    expect(fromResponse('checkSessionKey', 200, { errcode: 87009, errmsg: 'x' })).toBeInstanceOf(InvalidSignatureError);
    for (const errcode of [40001, 42001, 40014]) {
      expect(fromResponse('getOpenData', 200, { errcode, errmsg: 'x' })).toBeInstanceOf(AccessTokenInvalidError);
    }
  });

  it('reads 40001 at the token endpoints as a wrong secret, not a stale token', () => {
    expect(fromResponse('getAccessToken', 200, { errcode: 40001, errmsg: 'x' })).toBeInstanceOf(InvalidSecretError);
    expect(fromResponse('getStableAccessToken', 200, { errcode: 40001, errmsg: 'x' })).toBeInstanceOf(InvalidSecretError);
    expect(fromResponse('getAccessToken', 200, { errcode: 40125, errmsg: 'x' })).toBeInstanceOf(InvalidSecretError);
  });

  it('keeps errcode, errmsg, rid, operation and body, and puts errcode and rid in the message', () => {
    const body = { errcode: 40029, errmsg: `invalid code, rid: ${rid}` };
    const error = fromResponse('code2Session', 200, body) as PlatformError;
    expect(error).toMatchObject({ errcode: 40029, errmsg: body.errmsg, rid, operation: 'code2Session', body, type: 'invalid_code' });
    expect(error.name).toBe('InvalidCodeError');
    expect(error.message).toContain('40029');
    expect(error.message).toContain(rid);
  });

  it('gives an unknown errcode the base PlatformError', () => {
    const error = fromResponse('getOpenData', 200, { errcode: 99999, errmsg: 'new' });
    expect(error?.constructor).toBe(PlatformError);
  });

  it('reports an HTTP error status or a non-object body as an unexpected response', () => {
    expect(fromResponse('getAccessToken', 502, {})).toBeInstanceOf(UnexpectedResponseError);
    expect(fromResponse('getAccessToken', 200, 'text')).toBeInstanceOf(UnexpectedResponseError);
  });
});
