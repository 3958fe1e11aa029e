/**
 * Parses the durations the CLI takes: `300s`, `5m`, `2h`, `1d`, `1w` or plain seconds; a leading `-` goes back.
 */

const UNIT_SECONDS: Record<string, number> = { s: 1, m: 60, h: 3600, d: 86_400, w: 604_800 };

/** Seconds in `text`, or undefined when it is not a duration. */
export function parseDuration(text: string): number | undefined {
  const m = /^(-?\d+(?:\.\d+)?)([smhdw]?)$/.exec(text.trim());
  if (!m) return undefined;
  return Number(m[1]) * UNIT_SECONDS[m[2] || 's']!;
}
