/**
 * Merges successive WeRun snapshots into one history. Each snapshot covers the last 30–31 days; today's count grows
 * during the day and older days are final, so a day's count never goes down: the merge keeps the larger count per
 * date. That makes it order-free and idempotent — merge snapshots as they arrive, twice or out of order.
 * @see PROTOCOL.md §6
 */
import type { WeRunDay, WeRunSnapshot } from './parse-werun-data.js';

/**
 * Returns `history` updated with `snapshot`: one entry per date, ascending, each day's count the largest seen.
 * Neither input is modified.
 * @example history = mergeStepHistory(history, decryptWeRunData(sessionKey, encryptedData, iv, { appid }));
 */
export function mergeStepHistory(
  history: readonly WeRunDay[],
  snapshot: WeRunSnapshot | readonly WeRunDay[],
): WeRunDay[] {
  const incoming: readonly WeRunDay[] = 'stepInfoList' in snapshot ? snapshot.stepInfoList : snapshot;
  const byDate = new Map<string, WeRunDay>();
  for (const day of history) keepLarger(byDate, day);
  for (const day of incoming) keepLarger(byDate, day);
  return [...byDate.values()].sort((a, b) => a.timestamp - b.timestamp);
}

function keepLarger(byDate: Map<string, WeRunDay>, day: WeRunDay): void {
  const known = byDate.get(day.date);
  if (known === undefined || day.step > known.step) {
    byDate.set(day.date, { date: day.date, timestamp: day.timestamp, step: day.step });
  }
}
