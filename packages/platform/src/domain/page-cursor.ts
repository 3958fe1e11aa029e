/**
 * The control API's paging parameters: `limit` (default 100, at most 1,000) and an opaque `cursor` that names the list
 * and the filter it was made for, so a cursor of one list or query is refused by another instead of skipping rows.
 */
import type { PageRequest } from '../stores/page.js';
import { OpenRunApiError } from './errors.js';

/** Items per page when `limit` is not given. */
export const DEFAULT_PAGE_LIMIT = 100;
/** Most items one page holds. */
export const MAX_PAGE_LIMIT = 1000;

/** The paging part of a query string. */
export interface PageQuery {
  limit?: string | undefined;
  cursor?: string | undefined;
}

/** Reads `limit` and `cursor` for the list `list` filtered by `filter`; a cursor of another list or filter is an error. */
export function readPageQuery(list: string, query: PageQuery, filter = ''): PageRequest {
  const limit = query.limit === undefined ? DEFAULT_PAGE_LIMIT : Number(query.limit);
  if (!Number.isInteger(limit) || limit < 1 || limit > MAX_PAGE_LIMIT) {
    throw new OpenRunApiError('VALIDATION', `limit must be a whole number from 1 to ${MAX_PAGE_LIMIT}`);
  }
  if (query.cursor === undefined) return { limit };
  let decoded: unknown;
  try {
    decoded = JSON.parse(Buffer.from(query.cursor, 'base64url').toString('utf8'));
  } catch {
    decoded = undefined;
  }
  if (!Array.isArray(decoded) || decoded.length !== 3 || decoded[0] !== list || typeof decoded[2] !== 'string') {
    throw new OpenRunApiError('VALIDATION', `cursor is not a nextCursor of ${list}`);
  }
  if (decoded[1] !== filter) throw new OpenRunApiError('VALIDATION', 'cursor was made for other filters: repeat the first query');
  return { limit, after: decoded[2] };
}

/** The `nextCursor` after a page of `list` that ended at the store position `next`; absent on the last page. */
export function nextCursorOf(list: string, next: string | undefined, filter = ''): { nextCursor?: string } {
  if (next === undefined) return {};
  return { nextCursor: Buffer.from(JSON.stringify([list, filter, next]), 'utf8').toString('base64url') };
}
