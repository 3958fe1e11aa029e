/**
 * JSON step import, streamed: any document whose innermost objects are days `{"date":"YYYY-MM-DD","steps":N}` — a
 * JSON array, `{"days":[…]}` as the control API writes it, or JSON Lines. Only one day object is held at a time.
 */
import type { Readable } from 'node:stream';
import { parseDayCount } from './day-count.js';
import { IMPORT_BATCH_SIZE, importError, type ImportRow } from './import-row.js';

/** Yields the day objects of a JSON stream in batches. */
export async function* jsonDays(source: Readable): AsyncGenerator<ImportRow[]> {
  source.setEncoding('utf8');
  let depth = 0;
  let inString = false;
  let escaped = false;
  /** Start of the open object that has no child container yet, or -1. */
  let leafStart = -1;
  let leafDepth = 0;
  let carry = '';
  let count = 0;
  let line = 1;
  let batch: ImportRow[] = [];
  for await (const chunk of source as AsyncIterable<string>) {
    const text = carry + chunk;
    let keepFrom = text.length;
    for (let i = carry.length === 0 ? 0 : carry.length; i < text.length; i++) {
      const c = text[i]!;
      if (c === '\n') line++;
      if (inString) {
        if (escaped) escaped = false;
        else if (c === '\\') escaped = true;
        else if (c === '"') inString = false;
        continue;
      }
      if (c === '"') inString = true;
      else if (c === '{' || c === '[') {
        depth++;
        if (c === '{') {
          leafStart = i;
          leafDepth = depth;
        } else leafStart = -1;
      } else if (c === '}' || c === ']') {
        if (depth === 0) throw importError(`line ${line}`, `unexpected "${c}"`);
        if (c === '}' && leafStart >= 0 && leafDepth === depth) {
          count++;
          const where = `day object ${count} (line ${line})`;
          let value: unknown;
          try {
            value = JSON.parse(text.slice(leafStart, i + 1));
          } catch (error) {
            throw importError(where, `not valid JSON (${(error as Error).message})`);
          }
          const day = value as Record<string, unknown>;
          const extra = Object.keys(day).filter((k) => k !== 'date' && k !== 'steps');
          if (extra.length > 0) throw importError(where, `unknown field "${extra[0]}" (a day has "date" and "steps")`);
          batch.push(parseDayCount(day.date, day.steps, where));
          leafStart = -1;
        } else if (c === '}' || c === ']') leafStart = -1;
        depth--;
      }
    }
    if (leafStart >= 0) {
      keepFrom = leafStart;
      leafStart = 0;
    }
    // Rescanning starts after the kept text, so only an open day object is carried into the next chunk.
    carry = keepFrom < text.length ? text.slice(keepFrom) : '';
    if (carry.length > 1 << 20) throw importError(`line ${line}`, 'a day object is longer than 1 MiB');
    if (batch.length >= IMPORT_BATCH_SIZE) {
      yield batch;
      batch = [];
    }
  }
  if (inString || depth !== 0) throw importError(`line ${line}`, 'the JSON document ends early');
  if (batch.length > 0) yield batch;
}
