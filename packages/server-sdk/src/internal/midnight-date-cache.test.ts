import { chinaDateOf, chinaDayStart } from '@openrun/core';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { midnightDate } from './midnight-date-cache.js';

describe('midnightDate', () => {
  it("gives core's date for every China-time midnight, first time and cached", () => {
    fc.assert(
      fc.property(fc.integer({ min: 0, max: 4_000_000_000 }), (t) => {
        const midnight = chinaDayStart(t);
        if (midnight < 0) return;
        expect(midnightDate(midnight)).toBe(chinaDateOf(midnight));
        expect(midnightDate(midnight)).toBe(chinaDateOf(midnight));
      }),
      { numRuns: 10_000 },
    );
  });

  it('rejects any instant that is not a China-time midnight, even after its day was cached', () => {
    fc.assert(
      fc.property(fc.integer({ min: 0, max: 4_000_000_000 }), (t) => {
        midnightDate(chinaDayStart(t));
        if (chinaDayStart(t) !== t) expect(midnightDate(t)).toBeUndefined();
      }),
    );
  });
});
