import { describe, expect, it } from 'vitest';
import { CLOUD_ID_ERRORS, OPENRUN_ERRORS, PLATFORM_ERRORS, platformErrorBody, platformErrorByCode } from './error-catalogue.js';

describe('error catalogue', () => {
  it('never reuses an errcode or an OpenRun code', () => {
    const errcodes = Object.values(PLATFORM_ERRORS).map((e) => e.errcode);
    expect(new Set(errcodes).size).toBe(errcodes.length);
    const codes = Object.values(OPENRUN_ERRORS).map((e) => e.code);
    expect(new Set(codes).size).toBe(codes.length);
    const cloud = Object.values(CLOUD_ID_ERRORS).map((e) => e.errCode);
    expect(new Set(cloud).size).toBe(cloud.length);
  });

  it('writes the real reply with the rid suffix', () => {
    expect(platformErrorBody('INVALID_CODE', 'wechat', '668f2aa4-51c08c03-3d141241')).toEqual({
      errcode: 40029,
      errmsg: 'invalid code, rid: 668f2aa4-51c08c03-3d141241',
    });
    expect(platformErrorBody('CODE_BEEN_USED', 'qq', 'x').errmsg).toBe('code been used, rid: x');
  });

  it('finds entries by errcode', () => {
    expect(platformErrorByCode(40163)).toBe('CODE_BEEN_USED');
    expect(platformErrorByCode(12345)).toBeUndefined();
  });
});
