import { expect, it } from 'vitest';
import { parseHealthDate } from './apple-health-days.js';

it('reads Apple Health dates with their offset and refuses impossible ones', () => {
  expect(parseHealthDate('2026-03-01 08:00:00 +0800')).toBe(Date.parse('2026-03-01T00:00:00Z') / 1000);
  expect(parseHealthDate('2026-03-01 08:00:00 -0530')).toBe(Date.parse('2026-03-01T13:30:00Z') / 1000);
  expect(parseHealthDate('2026-02-29 08:00:00 +0800')).toBeUndefined();
  expect(parseHealthDate('2026-03-01 24:00:00 +0800')).toBeUndefined();
  expect(parseHealthDate('2026-03-01T08:00:00+08:00')).toBeUndefined();
});
