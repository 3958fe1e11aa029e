/**
 * The error the cloud gateway's rules throw; the gateway writes it as a TCB error body `{code, message, requestId}`.
 */
import type { CloudGatewayErrorName } from '@openrun/core';

/** A cloud gateway failure, by catalogue name, with an optional detail appended to the message. */
export class CloudGatewayError extends Error {
  override readonly name = 'CloudGatewayError';
  constructor(
    readonly errorName: CloudGatewayErrorName,
    readonly detail?: string,
  ) {
    super(`[openrun] cloud gateway error ${errorName}`);
  }
}
