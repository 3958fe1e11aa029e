/**
 * JSON step import, streamed: any document whose innermost objects are days `{"date":"YYYY-MM-DD","steps":N}` — a
 * JSON array, `{"days":[…]}` as the control API writes it, or JSON Lines. Only one day object is held at a time.
 * The structure around the days is checked as it streams: only objects and arrays at the top level, only objects or
 * arrays (comma-separated) inside an array, and something to read at all; anything else is an error, never zero rows.
 */
import type { Readable } from 'node:stream';
import { parseDayCount } from './day-count.js';
import { IMPORT_BATCH_SIZE, importError, type ImportRow } from './import-row.js';

const EXPECTED = 'expected JSON days: an array of {"date":"YYYY-MM-DD","steps":N}, {"days":[…]} or JSON Lines';

/** Where an array is between its elements. */
const enum ArrayAt {
  /** Just after "[": an element or "]". */
  Start,
  /** After ",": an element. */
  Comma,
  /** After an element: "," or "]". */
  Element,
}

function shown(text: string, i: number): string {
  return JSON.stringify(text.slice(i, i + 20).split('\n')[0]);
}

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
  /** The open containers outside strings, with where each open array is. */
  const frames: ('{' | '[')[] = [];
  const arrays: ArrayAt[] = [];
  let sawContent = false;
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
      if (c === ' ' || c === '\n' || c === '\r' || c === '\t') continue;
      sawContent = true;
      const frame = frames.at(-1);
      if (frame === undefined && c !== '{' && c !== '[' && c !== '}' && c !== ']') {
        throw importError(`line ${line}`, `${EXPECTED}, got ${shown(text, i)}`);
      }
      if (frame === '[') {
        const at = arrays.at(-1)!;
        if (c === ',') {
          if (at !== ArrayAt.Element) throw importError(`line ${line}`, 'unexpected "," in an array');
          arrays[arrays.length - 1] = ArrayAt.Comma;
          continue;
        }
        if (c === ']') {
          if (at === ArrayAt.Comma) throw importError(`line ${line}`, 'a "," before "]"');
        } else if (c === '{' || c === '[') {
          if (at === ArrayAt.Element) throw importError(`line ${line}`, 'missing "," between two elements of an array');
          arrays[arrays.length - 1] = ArrayAt.Element;
        } else {
          throw importError(`line ${line}`, `expected a day object {"date","steps"} in the array, got ${shown(text, i)}`);
        }
      }
      if (c === '"') inString = true;
      else if (c === '{' || c === '[') {
        frames.push(c);
        if (c === '[') arrays.push(ArrayAt.Start);
        depth++;
        if (c === '{') {
          leafStart = i;
          leafDepth = depth;
        } else leafStart = -1;
      } else if (c === '}' || c === ']') {
        if (depth === 0) throw importError(`line ${line}`, `unexpected "${c}"`);
        if (frames.pop() !== (c === '}' ? '{' : '[')) throw importError(`line ${line}`, `unexpected "${c}"`);
        if (c === ']') arrays.pop();
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
  if (!sawContent) throw importError('the body', `is empty; ${EXPECTED}`);
  if (inString || depth !== 0) throw importError(`line ${line}`, 'the JSON document ends early');
  if (batch.length > 0) yield batch;
}
