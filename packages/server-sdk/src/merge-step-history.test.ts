import { chinaDateOf } from '@openrun/core';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { mergeStepHistory } from './merge-step-history.js';
import type { WeRunDay } from './parse-werun-data.js';

const DAY0 = 1505923200; // 2017-09-21 00:00 CST

function day(offset: number, step: number): WeRunDay {
  const timestamp = DAY0 + offset * 86_400;
  return { date: chinaDateOf(timestamp), timestamp, step };
}

const arbitraryDays = fc
  .array(fc.tuple(fc.integer({ min: 0, max: 60 }), fc.nat(50_000)), { maxLength: 31 })
  .map((pairs) => pairs.map(([offset, step]) => day(offset, step)));

describe('mergeStepHistory', () => {
  it("keeps older days and takes today's grown count from the newer snapshot", () => {
    const morning = { stepInfoList: [day(0, 900), day(1, 1200)], watermark: { timestamp: DAY0 + 86_400 + 3600, appid: 'wx' } };
    const evening = { stepInfoList: [day(1, 8800), day(2, 0)], watermark: { timestamp: DAY0 + 2 * 86_400 + 60, appid: 'wx' } };
    const history = mergeStepHistory(mergeStepHistory([], morning), evening);
    expect(history).toEqual([day(0, 900), day(1, 8800), day(2, 0)]);
  });

  it('does not let an older snapshot arriving late lower a count', () => {
    const history = mergeStepHistory([day(0, 8800)], [day(0, 1200)]);
    expect(history).toEqual([day(0, 8800)]);
  });

  it('gives the same history whatever the order the snapshots arrive in', () => {
    fc.assert(
      fc.property(arbitraryDays, arbitraryDays, (a, b) => {
        expect(mergeStepHistory(mergeStepHistory([], a), b)).toEqual(mergeStepHistory(mergeStepHistory([], b), a));
      }),
    );
  });

  it('is idempotent: merging the same snapshot twice changes nothing', () => {
    fc.assert(
      fc.property(arbitraryDays, arbitraryDays, (history, snapshot) => {
        const once = mergeStepHistory(history, snapshot);
        expect(mergeStepHistory(once, snapshot)).toEqual(once);
      }),
    );
  });

  it('returns one ascending entry per date with the largest count seen', () => {
    fc.assert(
      fc.property(arbitraryDays, arbitraryDays, (history, snapshot) => {
        const merged = mergeStepHistory(history, snapshot);
        for (let i = 1; i < merged.length; i++) expect(merged[i]!.timestamp).toBeGreaterThan(merged[i - 1]!.timestamp);
        for (const d of [...history, ...snapshot]) {
          expect(merged.find((m) => m.date === d.date)!.step).toBeGreaterThanOrEqual(d.step);
        }
      }),
    );
  });

  it('leaves its inputs untouched', () => {
    const history = [day(0, 1)];
    mergeStepHistory(history, [day(0, 5)]);
    expect(history).toEqual([day(0, 1)]);
  });
});
