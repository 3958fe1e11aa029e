/**
 * CloudID replacement before a cloud-function call: each top-level CloudID marker in `data` becomes
 * `{cloudID, data}` (or `{cloudID, errCode, errMsg}` when expired, foreign or unknown), resolved for the calling app
 * and user. Nested CloudIDs arrive as plain strings already (the client sends them so). At most 5 are replaced, in
 * property order; a 6th and later top-level marker arrives as its plain cloudID string, like a nested one
 * (undocumented upstream, PROTOCOL.md §17.6: OpenRun's choice, so the function still sees the id).
 * @see PROTOCOL.md §11.2, §11.3
 */
import { MAX_CLOUD_ID_REPLACEMENTS, readCloudIdMarker } from '@openrun/core';
import { resolveCloudId } from '../cloud-ids.js';
import type { PlatformContext } from '../context.js';

/** The event after replacement and the keys that now hold open data. */
export interface ReplacedEvent {
  event: Record<string, unknown>;
  /** Top-level keys filled with open data, in order (for `OPEN_DATA_INFO`). */
  openDataKeys: string[];
}

/** Replaces the top-level CloudID markers of `data` for `appid` + `openid`. */
export async function replaceCloudIds(
  ctx: PlatformContext,
  appid: string,
  openid: string,
  data: Record<string, unknown>,
): Promise<ReplacedEvent> {
  const event: Record<string, unknown> = {};
  const openDataKeys: string[] = [];
  for (const [key, value] of Object.entries(data)) {
    const cloudID = readCloudIdMarker(value);
    if (cloudID === undefined) {
      setOwn(event, key, value);
    } else if (openDataKeys.length < MAX_CLOUD_ID_REPLACEMENTS) {
      setOwn(event, key, await resolveCloudId(ctx, cloudID, appid, openid));
      openDataKeys.push(key);
    } else {
      setOwn(event, key, cloudID);
    }
  }
  return { event, openDataKeys };
}

/** Sets a property by definition, so a `__proto__` key stays plain data. */
export function setOwn(target: Record<string, unknown>, key: string, value: unknown): void {
  Object.defineProperty(target, key, { value, enumerable: true, writable: true, configurable: true });
}
