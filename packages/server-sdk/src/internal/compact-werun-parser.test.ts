import { serializeWeRunData } from '@openrun/core';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { datedStepInfoList } from '../parse-werun-data.js';
import { parseCompactWeRun } from './compact-werun-parser.js';

/** What the general path makes of the same text, or 'error'. */
function general(text: string): unknown {
  try {
    const payload = JSON.parse(text) as { stepInfoList: unknown; watermark: { timestamp: number; appid: string } };
    return { stepInfoList: datedStepInfoList(payload.stepInfoList), watermark: payload.watermark };
  } catch {
    return 'error';
  }
}

function compact(text: string): unknown {
  return parseCompactWeRun(text);
}

const midnight = fc.integer({ min: 0, max: 40_000 }).map((d) => d * 86_400 - 28_800).filter((t) => t >= 0);
const anyInstant = fc.oneof(midnight, fc.integer({ min: 0, max: 4_000_000_000 }));
const weRun = fc.record({
  stepInfoList: fc.array(fc.record({ timestamp: anyInstant, step: fc.oneof(fc.nat(), fc.constant(0)) }), { maxLength: 35 }),
  watermark: fc.record({ timestamp: fc.nat(), appid: fc.oneof(fc.constant('wx66e4ec7b580c2658'), fc.string()) }),
});

describe('compact WeRun parser', () => {
  it('reads the platform serialization of a real-looking snapshot', () => {
    const data = {
      stepInfoList: [
        { timestamp: 1503331200, step: 6069 },
        { timestamp: 1503417600, step: 0 },
      ],
      watermark: { timestamp: 1505985046, appid: 'wx66e4ec7b580c2658' },
    };
    expect(compact(serializeWeRunData(data))).toEqual({
      stepInfoList: [
        { date: '2017-08-22', timestamp: 1503331200, step: 6069 },
        { date: '2017-08-23', timestamp: 1503417600, step: 0 },
      ],
      watermark: data.watermark,
    });
  });

  it('agrees with JSON.parse and the general validation whenever it answers', () => {
    fc.assert(
      fc.property(weRun, (data) => {
        const text = serializeWeRunData(data);
        const fast = compact(text);
        if (fast !== undefined) expect(fast).toEqual(general(text));
      }),
      { numRuns: 2_000 },
    );
  });

  it('answers for every valid snapshot in the platform serialization', () => {
    const valid = fc
      .record({ start: fc.integer({ min: 1, max: 30_000 }), steps: fc.array(fc.nat(), { maxLength: 31 }), now: fc.nat() })
      .map(({ start, steps, now }) => ({
        stepInfoList: steps.map((step, i) => ({ timestamp: (start + i) * 86_400 - 28_800, step })),
        watermark: { timestamp: now, appid: 'wx66e4ec7b580c2658' },
      }));
    fc.assert(
      fc.property(valid, (data) => {
        const text = serializeWeRunData(data);
        expect(compact(text)).toEqual(general(text));
      }),
    );
  });

  it('leaves every other form to the general path', () => {
    const text = serializeWeRunData({
      stepInfoList: [{ timestamp: 1503331200, step: 1 }],
      watermark: { timestamp: 1, appid: 'wx66e4ec7b580c2658' },
    });
    const variants = [
      text.replace('{"timestamp":1503331200,"step":1}', '{"step":1,"timestamp":1503331200}'),
      text.replace('"step":1', '"step": 1'),
      text.replace('"step":1', '"step":01'),
      text.replace('"step":1', '"step":1.0'),
      text.replace('"step":1', '"step":-1'),
      text.replace('"step":1}', '"step":1,"extra":2}'),
      text.replace('wx66e4ec7b580c2658', 'wx66e4ec7b580c265\\u0038'),
      text.replace('}}', '},"more":1}'),
      `${text} `,
      text.slice(0, -1),
    ];
    for (const variant of variants) expect(compact(variant)).toBeUndefined();
  });

  it('agrees with the general path on damaged text', () => {
    const text = serializeWeRunData({
      stepInfoList: [
        { timestamp: 1503331200, step: 12 },
        { timestamp: 1503417600, step: 3456 },
      ],
      watermark: { timestamp: 1505985046, appid: 'wx66e4ec7b580c2658' },
    });
    fc.assert(
      fc.property(fc.nat(), fc.constantFrom('0', '9', ',', '"', '}', ']', ' ', '-', '.', 'e', '\\'), fc.boolean(), (at, char, insert) => {
        const i = at % text.length;
        const damaged = insert ? text.slice(0, i) + char + text.slice(i) : text.slice(0, i) + char + text.slice(i + 1);
        const fast = compact(damaged);
        if (fast !== undefined) expect(fast).toEqual(general(damaged));
      }),
      { numRuns: 3_000 },
    );
  });
});
