import { chinaDateOf, serializeWeRunData } from '@openrun/core';
import { encryptOpenData } from '@openrun/core/cipher';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { InvalidOpenDataError, WatermarkAppIdMismatchError } from './decrypt-error.js';
import { decryptWeRunData } from './decrypt-werun-data.js';
import { encryptTestWeRunData } from './encrypt-test-werun-data.js';

const appid = 'wx66e4ec7b580c2658';
const sessionKey = Buffer.alloc(16, 3).toString('base64');
// The real 2017 capture: watermark 2017-09-21 17:10 CST, 31 days from 2017-08-22.
const CAPTURE_NOW = 1505985046;

function sealed(payload: unknown): { encryptedData: string; iv: string } {
  return encryptOpenData(sessionKey, JSON.stringify(payload));
}

describe('decryptWeRunData', () => {
  it('dates each of the 31 days in China time, oldest first, with the watermark', () => {
    const { encryptedData, iv } = encryptTestWeRunData(sessionKey, {
      appid,
      nowSeconds: CAPTURE_NOW,
      steps: { '2017-08-22': 6069, '2017-09-21': 2657 },
    });
    const snapshot = decryptWeRunData(sessionKey, encryptedData, iv, { appid });
    expect(snapshot.stepInfoList).toHaveLength(31);
    expect(snapshot.stepInfoList[0]).toEqual({ date: '2017-08-22', timestamp: 1503331200, step: 6069 });
    expect(snapshot.stepInfoList[30]).toEqual({ date: '2017-09-21', timestamp: 1505923200, step: 2657 });
    expect(snapshot.stepInfoList[1]).toEqual({ date: '2017-08-23', timestamp: 1503417600, step: 0 });
    expect(snapshot.watermark).toEqual({ timestamp: CAPTURE_NOW, appid });
  });

  it('gives every day the date core computes, for any snapshot instant and length', () => {
    fc.assert(
      fc.property(fc.integer({ min: 1_000_000_000, max: 4_000_000_000 }), fc.integer({ min: 1, max: 62 }), (now, days) => {
        const { encryptedData, iv } = encryptTestWeRunData(sessionKey, { appid, nowSeconds: now, days });
        const snapshot = decryptWeRunData(sessionKey, encryptedData, iv, { appid });
        expect(snapshot.stepInfoList).toHaveLength(days);
        for (const day of snapshot.stepInfoList) expect(day.date).toBe(chinaDateOf(day.timestamp));
      }),
      { numRuns: 300 },
    );
  });

  it('ignores keys it does not know, as the platform may add fields', () => {
    const payload = {
      stepInfoList: [{ timestamp: 1505923200, step: 5, extra: true }],
      watermark: { timestamp: CAPTURE_NOW, appid, extra: 1 },
      future: 'field',
    };
    const { encryptedData, iv } = sealed(payload);
    expect(decryptWeRunData(sessionKey, encryptedData, iv, { appid })).toEqual({
      stepInfoList: [{ date: '2017-09-21', timestamp: 1505923200, step: 5 }],
      watermark: { timestamp: CAPTURE_NOW, appid },
    });
  });

  it('rejects a timestamp that is not a China-time midnight', () => {
    const { encryptedData, iv } = sealed({ stepInfoList: [{ timestamp: 1505923201, step: 1 }], watermark: { timestamp: 1, appid } });
    expect(() => decryptWeRunData(sessionKey, encryptedData, iv, { appid })).toThrow(InvalidOpenDataError);
  });

  it('rejects days out of ascending order', () => {
    const list = [
      { timestamp: 1505923200, step: 1 },
      { timestamp: 1505836800, step: 1 },
    ];
    const { encryptedData, iv } = sealed({ stepInfoList: list, watermark: { timestamp: 1, appid } });
    expect(() => decryptWeRunData(sessionKey, encryptedData, iv, { appid })).toThrow(InvalidOpenDataError);
  });

  it('rejects a negative or fractional step count and a missing stepInfoList', () => {
    for (const stepInfoList of [[{ timestamp: 1505923200, step: -1 }], [{ timestamp: 1505923200, step: 1.5 }], undefined, [null]]) {
      const { encryptedData, iv } = sealed({ stepInfoList, watermark: { timestamp: 1, appid } });
      expect(() => decryptWeRunData(sessionKey, encryptedData, iv, { appid })).toThrow(InvalidOpenDataError);
    }
  });

  it('checks the watermark appid before trusting the steps', () => {
    const text = serializeWeRunData({ stepInfoList: [], watermark: { timestamp: 1, appid: 'wx1111111111111111' } });
    const { encryptedData, iv } = encryptOpenData(sessionKey, text);
    expect(() => decryptWeRunData(sessionKey, encryptedData, iv, { appid })).toThrow(WatermarkAppIdMismatchError);
  });
});
