import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  addChinaDays,
  buildStepInfoList,
  chinaDateOf,
  chinaDateOfDayNumber,
  chinaDayNumber,
  chinaDayStart,
  chinaMidnightOf,
  formatChinaTime,
  isChinaDate,
  stepWindowBounds,
  stepWindowDates,
} from './step-calendar.js';

describe('China-time step calendar', () => {
  it('reproduces the real 2017 capture: 31 days from 2017-08-22 to 2017-09-21', () => {
    const list = buildStepInfoList(1505985046, new Map([['2017-08-22', 6069], ['2017-09-21', 2657]]));
    expect(list).toHaveLength(31);
    expect(list[0]).toEqual({ timestamp: 1503331200, step: 6069 });
    expect(list[30]).toEqual({ timestamp: 1505923200, step: 2657 });
    expect(list[1]!.step).toBe(0);
  });

  it('puts every entry at a China midnight, 86400 s apart, ending today, for any instant', () => {
    fc.assert(
      fc.property(fc.integer({ min: 1_000_000_000, max: 4_000_000_000 }), fc.integer({ min: 1, max: 60 }), (now, n) => {
        const list = buildStepInfoList(now, new Map(), n);
        expect(list).toHaveLength(n);
        for (const [i, e] of list.entries()) {
          expect((e.timestamp + 28800) % 86400).toBe(0);
          if (i > 0) expect(e.timestamp - list[i - 1]!.timestamp).toBe(86400);
        }
        expect(list.at(-1)!.timestamp).toBe(chinaDayStart(now));
        expect(now - list.at(-1)!.timestamp).toBeLessThan(86400);
      }),
    );
  });

  it('changes the day at 00:00 China time, i.e. 16:00 UTC', () => {
    const before = Date.parse('2026-11-21T15:59:59Z') / 1000;
    expect(chinaDateOf(before)).toBe('2026-11-21');
    expect(chinaDateOf(before + 1)).toBe('2026-11-22');
    expect(stepWindowDates(before + 1, 2)).toEqual(['2026-11-21', '2026-11-22']);
    expect(stepWindowBounds(before + 1, 31)).toEqual(['2026-10-23', '2026-11-22']);
    expect(stepWindowBounds(before, 31)).toEqual([stepWindowDates(before, 31)[0], stepWindowDates(before, 31)[30]]);
  });

  it('agrees with Date for any instant from 1970 to 2200', () => {
    fc.assert(
      fc.property(fc.integer({ min: 0, max: 7_258_118_400 }), (t) => {
        expect(chinaDateOf(t)).toBe(new Date((t + 28800) * 1000).toISOString().slice(0, 10));
      }),
      { numRuns: 2000 },
    );
  });

  it('maps dates to midnights and back', () => {
    expect(chinaMidnightOf('2017-09-21')).toBe(1505923200);
    expect(chinaDateOf(chinaMidnightOf('2024-02-29'))).toBe('2024-02-29');
    expect(addChinaDays('2024-02-28', 2)).toBe('2024-03-01');
  });

  it('rejects dates that are not calendar days', () => {
    expect(isChinaDate('2026-02-30')).toBe(false);
    expect(isChinaDate('2026-1-01')).toBe(false);
    expect(isChinaDate('2026-12-31')).toBe(true);
    expect(() => chinaMidnightOf('2026-13-01')).toThrow(RangeError);
  });

  it('a day number counts whole days since 1970-01-01 and maps back to the same date', () => {
    expect(chinaDayNumber('1970-01-01')).toBe(0);
    expect(chinaDayNumber('2026-03-04')).toBe(20516);
    fc.assert(fc.property(fc.integer({ min: -200_000, max: 200_000 }), (n) => chinaDayNumber(chinaDateOfDayNumber(n)) === n));
  });

  it('formats an instant as China time with its offset, whatever the process time zone', () => {
    expect(formatChinaTime(Date.parse('2026-03-04T15:50:00Z'))).toBe('2026-03-04 23:50:00 +08:00');
    expect(formatChinaTime(Date.parse('2026-03-04T16:00:00.999Z'))).toBe('2026-03-05 00:00:00 +08:00');
    expect(formatChinaTime(Date.parse('1969-12-31T15:59:59Z'))).toBe('1969-12-31 23:59:59 +08:00');
    fc.assert(
      fc.property(fc.integer({ min: -1e13, max: 1e13 }), (ms) => {
        const iso = new Date(Math.floor(ms / 1000) * 1000 + 8 * 3_600_000).toISOString();
        expect(formatChinaTime(ms)).toBe(`${iso.slice(0, 10)} ${iso.slice(11, 19)} +08:00`);
      }),
    );
  });
});
