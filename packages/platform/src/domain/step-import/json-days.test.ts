import { Readable } from 'node:stream';
import { expect, it } from 'vitest';
import { jsonDays } from './json-days.js';

const collect = async (text: string, chunk: number) => {
  const parts: string[] = [];
  for (let i = 0; i < text.length; i += chunk) parts.push(text.slice(i, i + chunk));
  const rows = [];
  for await (const batch of jsonDays(Readable.from(parts.map((p) => Buffer.from(p))))) rows.push(...batch);
  return rows.map(({ date, steps }) => ({ date, steps }));
};

it('finds the same days whatever the chunk boundaries, braces and escapes inside strings included', async () => {
  const doc = JSON.stringify({ note: 'a } { "tricky" \\ string', days: [{ date: '2026-01-01', steps: 1 }, { steps: 2, date: '2026-01-02' }] });
  const expected = [{ date: '2026-01-01', steps: 1 }, { date: '2026-01-02', steps: 2 }];
  for (const size of [1, 2, 3, 7, 64, doc.length]) expect(await collect(doc, size), `chunks of ${size}`).toEqual(expected);
});

it('reads JSON Lines and a bare array', async () => {
  expect(await collect('{"date":"2026-01-01","steps":5}\n{"date":"2026-01-02","steps":6}\n', 5)).toHaveLength(2);
  expect(await collect('[{"date":"2026-01-01","steps":5}]', 4)).toEqual([{ date: '2026-01-01', steps: 5 }]);
});

it('refuses a stray closing bracket and a document that ends early', async () => {
  await expect(collect('[{"date":"2026-01-01","steps":5}]]', 3)).rejects.toThrow('unexpected "]"');
  await expect(collect('[{"date":"2026-01-01","steps":5}', 3)).rejects.toThrow('the JSON document ends early');
});
