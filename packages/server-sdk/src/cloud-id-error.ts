/**
 * Per-id errors of getopendata: the call as a whole succeeds and each cloudID carries either data or
 * `{errCode, errMsg}`. These classes are returned in results, not thrown.
 * @see PROTOCOL.md §10.2, §11.5
 */
import { CLOUD_ID_ERRORS } from '@openrun/core';
import { OpenRunError } from './errors.js';

/** A cloudID could not be resolved; `errCode` is the platform's -60100x code. */
export class CloudIdError extends OpenRunError {
  override readonly name: string = 'CloudIdError';
  override readonly type: string = 'cloud_id_error';
  /** The platform's per-id errCode, e.g. -601006. */
  readonly errCode: number;
  /** The platform's per-id errMsg, e.g. `cloudID expired.`. */
  readonly errMsg: string;
  /** The cloudID this error is about. */
  readonly cloudId: string;

  constructor(cloudId: string, errCode: number, errMsg: string) {
    super(`[openrun] getOpenData: cloudID rejected: errCode ${errCode} (${errMsg})`);
    this.cloudId = cloudId;
    this.errCode = errCode;
    this.errMsg = errMsg;
  }
}

/** -601006: the cloudID is older than 5 minutes; get fresh data from the client. */
export class CloudIdExpiredError extends CloudIdError {
  override readonly name = 'CloudIdExpiredError';
  override readonly type = 'cloud_id_expired';
}

/** -601007: the cloudID was issued to another user or app. */
export class CloudIdForeignError extends CloudIdError {
  override readonly name = 'CloudIdForeignError';
  override readonly type = 'cloud_id_foreign';
}

/** -601005: the platform does not know this cloudID. */
export class InvalidCloudIdError extends CloudIdError {
  override readonly name = 'InvalidCloudIdError';
  override readonly type = 'invalid_cloud_id';
}

/** The per-id error class for a `{errCode, errMsg}` item. */
export function cloudIdErrorFrom(cloudId: string, errCode: number, errMsg: string): CloudIdError {
  switch (errCode) {
    case CLOUD_ID_ERRORS.EXPIRED.errCode:
      return new CloudIdExpiredError(cloudId, errCode, errMsg);
    case CLOUD_ID_ERRORS.NOT_BELONG_TO_USER.errCode:
      return new CloudIdForeignError(cloudId, errCode, errMsg);
    case CLOUD_ID_ERRORS.INVALID.errCode:
      return new InvalidCloudIdError(cloudId, errCode, errMsg);
    default:
      return new CloudIdError(cloudId, errCode, errMsg);
  }
}
