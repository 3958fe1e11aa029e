import { decryptOpenData, encryptOpenData } from '@openrun/core/cipher';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { decryptOpenDataFast } from './open-data-fast-path.js';

type Outcome = { ok: true; value: unknown } | { ok: false };

function core(key: string, data: string, iv: string, lenient: boolean): Outcome {
  try {
    return { ok: true, value: decryptOpenData(key, data, iv, { acceptSpaceAsPlus: lenient }) };
  } catch {
    return { ok: false };
  }
}

const sealedInput = fc
  .record({
    key: fc.uint8Array({ minLength: 16, maxLength: 16 }),
    iv: fc.uint8Array({ minLength: 16, maxLength: 16 }),
    payload: fc.jsonValue(),
  })
  .map(({ key, iv, payload }) => {
    const sessionKey = Buffer.from(key).toString('base64');
    const sealed = encryptOpenData(sessionKey, JSON.stringify(payload), iv);
    return { sessionKey, encryptedData: sealed.encryptedData, iv: sealed.iv };
  });

/** Damage one of the three inputs the ways transports and attackers do. */
const mutation = fc.record({
  field: fc.constantFrom('sessionKey', 'encryptedData', 'iv'),
  at: fc.nat(),
  kind: fc.constantFrom('insert', 'replace', 'truncate', 'plus-to-space'),
  char: fc.constantFrom(' ', '-', '_', '=', '\n', '+', '/', 'A', '*', '%', 'é'),
});

describe('open-data fast path', () => {
  it('decrypts everything core decrypts, to the same value', () => {
    fc.assert(
      fc.property(sealedInput, fc.boolean(), ({ sessionKey, encryptedData, iv }, lenient) => {
        const expected = core(sessionKey, encryptedData, iv, lenient);
        expect(expected.ok).toBe(true);
        expect(decryptOpenDataFast(sessionKey, encryptedData, iv, lenient)).toEqual(expected.ok && expected.value);
      }),
      { numRuns: 300 },
    );
  });

  it('never accepts an input that core rejects, and agrees with core on damaged inputs', () => {
    fc.assert(
      fc.property(sealedInput, mutation, fc.boolean(), (input, m, lenient) => {
        const damaged = { ...input };
        const text = damaged[m.field];
        const at = m.at % (text.length + 1);
        damaged[m.field] =
          m.kind === 'insert'
            ? text.slice(0, at) + m.char + text.slice(at)
            : m.kind === 'replace'
              ? text.slice(0, at) + m.char + text.slice(at + 1)
              : m.kind === 'truncate'
                ? text.slice(0, at)
                : text.replace(/\+/g, ' ');
        const fast = decryptOpenDataFast(damaged.sessionKey, damaged.encryptedData, damaged.iv, lenient);
        const expected = core(damaged.sessionKey, damaged.encryptedData, damaged.iv, lenient);
        if (fast !== undefined) expect(expected).toEqual({ ok: true, value: fast });
        if (expected.ok) expect(fast).toEqual(expected.value);
      }),
      { numRuns: 2_000 },
    );
  });

  it('leaves arbitrary strings to core', () => {
    fc.assert(
      fc.property(fc.string(), fc.string(), fc.string(), (k, d, i) => {
        const fast = decryptOpenDataFast(k, d, i, true);
        if (fast !== undefined) expect(core(k, d, i, true)).toEqual({ ok: true, value: fast });
      }),
    );
  });
});
