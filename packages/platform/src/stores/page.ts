/**
 * Keyset paging of the stores' long lists. A store decides what a position means (SQLite: an integer key or an
 * expiry and a key); callers only pass back the `next` a previous page gave, so a list stays stable while rows are
 * added behind the reader.
 */

/** At most `limit` items after the position `after` (a previous page's `next`; absent for the first page). */
export interface PageRequest {
  limit: number;
  after?: string | undefined;
}

/** One page of a long list; `next` is absent on the last page. */
export interface Page<T> {
  items: T[];
  next?: string;
}

/**
 * Users whose id or device token starts with `prefix` (exact case), or whose nickname does without regard to the case
 * of ASCII letters (SQLite's NOCASE), in creation order. A store may return fewer than `limit` (even none) with a
 * `next` when it bounds the work of one page.
 */
export interface UserPageRequest extends PageRequest {
  prefix?: string | undefined;
}

/** Makes a page from `limit + 1` rows read in order: the extra row only says that there is a next page. */
export function pageOf<R, T>(rows: R[], limit: number, item: (row: R) => T, position: (row: R) => string): Page<T> {
  if (rows.length <= limit) return { items: rows.map(item) };
  const kept = rows.slice(0, limit);
  return { items: kept.map(item), next: position(kept[kept.length - 1]!) };
}

/** `text` with ASCII capitals made small, and nothing else changed: how a nickname search compares (SQLite's NOCASE). */
export const foldAsciiCase = (text: string): string => text.replace(/[A-Z]+/g, (run) => run.toLowerCase());
