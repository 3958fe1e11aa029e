/**
 * Apple Health `export.xml` import, streamed through saxes: every `HKQuantityTypeIdentifierStepCount` record is a
 * sample from `startDate` to `endDate` ("2024-03-01 08:10:11 +0800"), dated by its start; samples are summed per
 * China-time day by the caller. Other record types are skipped. Where an iPhone and a Watch (or any two sources)
 * recorded the same time, it is counted once, from the source with the higher priority, as the Health app does.
 */
import { chinaDateOf } from '@openrun/core';
import type { Readable } from 'node:stream';
import { SaxesParser } from 'saxes';
import { MAX_DAILY_STEPS } from '../steps.js';
import { HealthSamples, type HealthSourceCount } from './health-samples.js';
import { IMPORT_BATCH_SIZE, importError, type ImportRow } from './import-row.js';

/** The HealthKit type of step samples. */
export const APPLE_STEP_TYPE = 'HKQuantityTypeIdentifierStepCount';

const HEALTH_DATE = /^(\d{4})-(\d{2})-(\d{2}) (\d{2}):(\d{2}):(\d{2}) ([+-])(\d{2})(\d{2})$/;

/** Epoch seconds of an Apple Health date, or undefined when it is not a real instant. */
export function parseHealthDate(text: string): number | undefined {
  const m = HEALTH_DATE.exec(text);
  if (!m) return undefined;
  const [y, mo, d, h, mi, s] = [m[1], m[2], m[3], m[4], m[5], m[6]].map(Number) as [number, number, number, number, number, number];
  const ms = Date.UTC(y, mo - 1, d, h, mi, s);
  const check = new Date(ms);
  if (check.getUTCFullYear() !== y || check.getUTCMonth() !== mo - 1 || check.getUTCDate() !== d || h > 23 || mi > 59 || s > 59) {
    return undefined;
  }
  const offset = (Number(m[8]) * 60 + Number(m[9])) * 60 * (m[7] === '-' ? -1 : 1);
  return ms / 1000 - offset;
}

/** Options of an Apple Health import. */
export interface AppleHealthOptions {
  /** Source priority, highest first; only these sources count. Default: watches, then phones, then the rest. */
  sources?: string[];
  /** Filled at the end with every source in the file and its sample count. */
  report?: { sources?: HealthSourceCount[] };
}

/**
 * Yields the counted step samples of an export.xml stream in batches (one row per sample, its share after overlaps
 * between sources are counted once), after the whole file is read.
 */
export async function* appleHealthDays(source: Readable, options: AppleHealthOptions = {}): AsyncGenerator<ImportRow[]> {
  source.setEncoding('utf8');
  const parser = new SaxesParser({ position: true });
  const samples = new HealthSamples();
  let problem: Error | undefined;
  let sawRoot = false;
  parser.on('error', (error) => {
    problem ??= importError('export.xml', `not well-formed XML (${error.message})`);
  });
  parser.on('opentag', (tag) => {
    if (problem) return;
    if (!sawRoot) {
      sawRoot = true;
      if (tag.name !== 'HealthData') problem = importError('export.xml', `the root element is <${tag.name}>, expected <HealthData>`);
      return;
    }
    if (tag.name !== 'Record' || tag.attributes.type !== APPLE_STEP_TYPE) return;
    const attrs = tag.attributes as Record<string, string>;
    const where = `export.xml line ${parser.line}`;
    const start = attrs.startDate === undefined ? undefined : parseHealthDate(attrs.startDate);
    if (start === undefined) {
      problem = importError(where, `startDate ${JSON.stringify(attrs.startDate ?? null)} is not a date "YYYY-MM-DD hh:mm:ss ±hhmm"`);
      return;
    }
    const end = attrs.endDate === undefined ? start : parseHealthDate(attrs.endDate);
    if (end === undefined || end < start) {
      problem = importError(where, `endDate ${JSON.stringify(attrs.endDate ?? null)} is not a date at or after startDate`);
      return;
    }
    const value = Number(attrs.value);
    if (attrs.value === undefined || attrs.value.trim() === '' || !Number.isFinite(value) || value < 0 || value > MAX_DAILY_STEPS) {
      problem = importError(where, `value ${JSON.stringify(attrs.value ?? null)} is not a step count from 0 to ${MAX_DAILY_STEPS}`);
      return;
    }
    samples.add(attrs.sourceName ?? '(no source)', start, end, value, parser.line);
  });
  for await (const chunk of source as AsyncIterable<string>) {
    parser.write(chunk);
    if (problem) throw problem;
  }
  parser.close();
  if (problem) throw problem;
  if (!sawRoot) throw importError('export.xml', 'the document is empty');
  const found = samples.sourceCounts();
  if (options.report) options.report.sources = found;
  const { order, unknown } = samples.priority(options.sources);
  if (unknown.length > 0) {
    throw importError(
      'source',
      `${unknown.map((u) => JSON.stringify(u)).join(', ')} ${unknown.length === 1 ? 'is' : 'are'} not a source in this file; its sources are ${
        found.length ? found.map((f) => `${JSON.stringify(f.name)} (${f.samples} samples)`).join(', ') : 'none (it has no step samples)'
      }`,
    );
  }
  let batch: ImportRow[] = [];
  for (const c of samples.count(order)) {
    batch.push({ date: chinaDateOf(Math.floor(c.startSeconds)), steps: c.steps, where: `export.xml line ${c.line}` });
    if (batch.length >= IMPORT_BATCH_SIZE) {
      yield batch;
      batch = [];
    }
  }
  if (batch.length > 0) yield batch;
}
