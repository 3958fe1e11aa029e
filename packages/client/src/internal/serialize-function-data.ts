/**
 * The JSON body of a callFunction request. Top-level CloudID objects become the core wire marker, which the platform
 * replaces with open data; CloudID objects nested deeper become their plain cloudID string, as on the real platform.
 * @see PROTOCOL.md §11.2
 */
import { toCloudIdMarker } from '@openrun/core';
import { CloudIdObject } from '../cloud-id.js';

/** `{"data": …}` with every CloudID object encoded by where it sits. */
export function serializeFunctionData(data: Record<string, unknown>): string {
  return JSON.stringify({ data }, function replace(this: unknown, _key: string, value: unknown): unknown {
    if (!(value instanceof CloudIdObject)) return value;
    return this === data ? toCloudIdMarker(value.cloudID) : value.cloudID;
  });
}
