/**
 * How the CLI writes things for people: counted nouns, China-time instants and aligned tables.
 */
import { formatChinaTime } from '@openrun/core';

/** `1 row`, `2 rows` (`plural` defaults to noun + "s"). */
export function counted(n: number, noun: string, plural = `${noun}s`): string {
  return `${n} ${n === 1 ? noun : plural}`;
}

/** An ISO-8601 instant or epoch ms as China time with its offset, `2026-03-04 23:50:00 +08:00`. */
export function chinaTime(instant: string | number): string {
  const ms = typeof instant === 'number' ? instant : Date.parse(instant);
  return Number.isFinite(ms) ? formatChinaTime(ms) : String(instant);
}

/** Lines of a table whose columns are padded to their widest cell (the last column is not padded). */
export function table(header: string[], rows: string[][]): string[] {
  const widths = header.map((h, i) => Math.max(h.length, ...rows.map((r) => (r[i] ?? '').length)));
  const line = (cells: string[]) =>
    cells.map((c, i) => (i === cells.length - 1 ? c : c.padEnd(widths[i]!))).join('  ').trimEnd();
  return [line(header), ...rows.map(line)];
}
