/**
 * Reads the exact compact form in which the platform encrypts WeRun data (PROTOCOL §6.1: no spaces, `stepInfoList`
 * then `watermark`, `timestamp` before `step`, watermark `timestamp` before `appid`) in one pass over the plaintext,
 * dating each day as it goes. Anything else — another key order, whitespace, unknown keys, escapes, a
 * number JSON would read differently, a day that is not an ascending China midnight — returns undefined, and the
 * caller takes the general JSON.parse path, which accepts every valid form and names every error.
 * @see PROTOCOL.md §6.1
 */
import type { Watermark } from '@openrun/core';
import type { WeRunDay } from '../parse-werun-data.js';
import { midnightDate } from './midnight-date-cache.js';

const codes = (text: string): readonly number[] => Array.from(text, (c) => c.charCodeAt(0));
const PREFIX = codes('{"stepInfoList":[');
const DAY_OPEN = codes('{"timestamp":');
const DAY_STEP = codes(',"step":');
const WATERMARK = codes('],"watermark":{"timestamp":');
const APPID = codes(',"appid":"');
const SUFFIX = codes('"}}');
const EMPTY_LIST_WATERMARK = codes('{"stepInfoList":[],"watermark":{"timestamp":');

const ZERO = 48;
const NINE = 57;
const COMMA = 44;
const CLOSE_BRACKET = 93;
const CLOSE_BRACE = 125;
const QUOTE = 34;
const BACKSLASH = 92;

/** Cursor over the plaintext; every reader returns false / -1 on the first surprise. */
class Reader {
  pos = 0;
  readonly end: number;
  constructor(readonly text: string) {
    this.end = text.length;
  }

  literal(expected: readonly number[]): boolean {
    const n = expected.length;
    if (this.pos + n > this.end) return false;
    for (let i = 0; i < n; i++) if (this.text.charCodeAt(this.pos + i) !== expected[i]) return false;
    this.pos += n;
    return true;
  }

  at(): number {
    return this.pos < this.end ? this.text.charCodeAt(this.pos) : -1;
  }

  /** A non-negative integer written as JSON writes it (no leading zero, at most 15 digits), or -1. */
  integer(): number {
    const start = this.pos;
    let value = 0;
    while (this.pos < this.end) {
      const c = this.text.charCodeAt(this.pos);
      if (c < ZERO || c > NINE) break;
      value = value * 10 + (c - ZERO);
      this.pos++;
    }
    const digits = this.pos - start;
    if (digits === 0 || digits > 15 || (digits > 1 && this.text.charCodeAt(start) === ZERO)) return -1;
    return value;
  }

  next(): number {
    return this.pos < this.end ? this.text.charCodeAt(this.pos++) : -1;
  }
}

/** The dated days and watermark, or undefined when the plaintext is not in the platform's compact form. */
export function parseCompactWeRun(text: string): { stepInfoList: WeRunDay[]; watermark: Watermark } | undefined {
  const r = new Reader(text);
  const days: WeRunDay[] = [];
  if (!r.literal(EMPTY_LIST_WATERMARK)) {
    r.pos = 0;
    if (!r.literal(PREFIX)) return undefined;
    let previous = -1;
    for (;;) {
      if (!r.literal(DAY_OPEN)) return undefined;
      const timestamp = r.integer();
      if (timestamp < 0 || timestamp <= previous || !r.literal(DAY_STEP)) return undefined;
      const step = r.integer();
      if (step < 0 || r.next() !== CLOSE_BRACE) return undefined;
      const date = midnightDate(timestamp);
      if (date === undefined) return undefined;
      days.push({ date, timestamp, step });
      previous = timestamp;
      if (r.at() === COMMA) {
        r.pos++;
        continue;
      }
      if (r.at() !== CLOSE_BRACKET) return undefined;
      break;
    }
    if (!r.literal(WATERMARK)) return undefined;
  }
  const timestamp = r.integer();
  if (timestamp < 0 || !r.literal(APPID)) return undefined;
  const appidStart = r.pos;
  while (r.pos < r.end) {
    const c = r.text.charCodeAt(r.pos);
    if (c === QUOTE) break;
    // Printable ASCII only: escapes and other characters go the general way.
    if (c < 0x20 || c > 0x7e || c === BACKSLASH) return undefined;
    r.pos++;
  }
  const appid = text.slice(appidStart, r.pos);
  if (!r.literal(SUFFIX) || r.pos !== r.end) return undefined;
  return { stepInfoList: days, watermark: { timestamp, appid } };
}
