/**
 * Packs a stream of text pieces into byte chunks of a fixed size (UTF-8), for a response body. The pieces stay small
 * and short-lived and each chunk lives outside the JavaScript heap, so a long stream does not pile large strings up in
 * the heap between two full garbage collections (a string of more than ~128 kB goes straight to the old generation).
 */

/** Bytes per chunk: well under the size that V8 allocates in its large-object space. */
export const CHUNK_BYTES = 64 * 1024;

/** Encodes `pieces` as UTF-8 into chunks of `size` bytes (the last one shorter); a piece may span chunks. */
export async function* byteChunks(pieces: AsyncIterable<string> | Iterable<string>, size = CHUNK_BYTES): AsyncGenerator<Uint8Array> {
  const encoder = new TextEncoder();
  let chunk = new Uint8Array(size);
  let used = 0;
  for await (let piece of pieces) {
    for (;;) {
      const { read, written } = encoder.encodeInto(piece, used === 0 ? chunk : chunk.subarray(used));
      used += written;
      if (read === piece.length) break;
      // The chunk is full (a character that does not fit waits for the next one).
      piece = piece.slice(read);
      yield chunk.subarray(0, used);
      chunk = new Uint8Array(size);
      used = 0;
    }
  }
  if (used > 0) yield chunk.subarray(0, used);
}
