import { expect, it } from 'vitest';
import { byteChunks } from '../../src/domain/state-stream/byte-chunks.js';

const collect = async (pieces: string[], size: number): Promise<Uint8Array[]> => {
  const out: Uint8Array[] = [];
  for await (const c of byteChunks(pieces, size)) out.push(Uint8Array.from(c));
  return out;
};

it('packs pieces into full chunks of UTF-8 and keeps every character whole', async () => {
  // Multi-byte characters (3 and 4 bytes) fall on chunk edges at every offset.
  const pieces = Array.from({ length: 200 }, (_, i) => `{"n":"步数-${i}-😀"}`);
  for (const size of [7, 8, 9, 16, 64]) {
    const chunks = await collect(pieces, size);
    for (const c of chunks.slice(0, -1)) {
      expect(c.length).toBeLessThanOrEqual(size);
      expect(c.length).toBeGreaterThan(size - 4); // a character that does not fit waits for the next chunk
      expect(() => new TextDecoder('utf-8', { fatal: true }).decode(c)).not.toThrow();
    }
    expect(Buffer.concat(chunks).toString('utf8')).toBe(pieces.join(''));
  }
});

it('gives nothing for nothing and one short chunk for a little', async () => {
  expect(await collect([], 16)).toEqual([]);
  expect(await collect(['', ''], 16)).toEqual([]);
  expect(Buffer.concat(await collect(['[', ']'], 16)).toString()).toBe('[]');
});
