/**
 * How a `wx.cloud.CloudID(id)` object travels from the client SDK to the platform inside callFunction `data`. The real
 * encoding is not public (PROTOCOL.md §11.1), so OpenRun uses one marker object, defined only here.
 * @see PROTOCOL.md §11
 */

/** The property that marks a serialized CloudID object. */
export const CLOUD_ID_MARKER_KEY = '__openrun_cloudID__';

/** A CloudID object as it travels on the wire. */
export interface CloudIdMarker {
  [CLOUD_ID_MARKER_KEY]: string;
}

/** Wraps a cloudID string in the wire marker. */
export function toCloudIdMarker(cloudID: string): CloudIdMarker {
  return { [CLOUD_ID_MARKER_KEY]: cloudID };
}

/** Returns the cloudID when `value` is exactly a marker object, else undefined. */
export function readCloudIdMarker(value: unknown): string | undefined {
  if (value === null || typeof value !== 'object' || Array.isArray(value)) return undefined;
  const keys = Object.keys(value);
  const id = (value as Record<string, unknown>)[CLOUD_ID_MARKER_KEY];
  return keys.length === 1 && typeof id === 'string' ? id : undefined;
}

/** Most CloudIDs replaced in one callFunction. */
export const MAX_CLOUD_ID_REPLACEMENTS = 5;
