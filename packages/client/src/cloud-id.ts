/**
 * `wx.cloud.CloudID(cloudID)`: the object that asks the platform to replace a callFunction `data` property with the
 * open data the cloudID stands for. Callable with and without `new`.
 * @see PROTOCOL.md §11.1
 */

/**
 * The object `wx.cloud.CloudID(id)` returns; only its place in `data` decides how it travels.
 * @example wx.cloud.CloudID(id) instanceof CloudIdObject // true
 * @see PROTOCOL.md §11.1
 */
export class CloudIdObject {
  /** The cloudID string from `getWeRunData`. */
  readonly cloudID: string;
  constructor(cloudID: string) {
    if (typeof cloudID !== 'string') {
      throw new TypeError(`[openrun] wx.cloud.CloudID expects the cloudID string from getWeRunData, got ${typeof cloudID}`);
    }
    this.cloudID = cloudID;
  }
}

/** The type of `wx.cloud.CloudID`: works as `CloudID(id)` and as `new CloudID(id)`. */
export interface CloudIDConstructor {
  new (cloudID: string): CloudIdObject;
  (cloudID: string): CloudIdObject;
  readonly prototype: CloudIdObject;
}

/**
 * `wx.cloud.CloudID`: wraps a cloudID for `callFunction` data.
 * @example wx.cloud.callFunction({ name: 'steps', data: { weRunData: wx.cloud.CloudID(res.cloudID) } })
 * @see PROTOCOL.md §11.1
 */
export const CloudID: CloudIDConstructor = /* @__PURE__ */ createCloudIdConstructor();

function createCloudIdConstructor(): CloudIDConstructor {
  const constructor = function CloudID(cloudID: string): CloudIdObject {
    return new CloudIdObject(cloudID);
  };
  // `instanceof wx.cloud.CloudID` holds for objects made with or without `new`.
  Object.defineProperty(constructor, 'prototype', { value: CloudIdObject.prototype });
  return constructor as unknown as CloudIDConstructor;
}
