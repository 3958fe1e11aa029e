/**
 * The one way an API implementation reports a failure with an exact errMsg; the invoke runner turns it into the
 * `fail` result. Never escapes the package.
 */
import { failErrMsg, type RuntimePrompt } from '@openrun/core';

/** A failed API call with the errMsg (and, for cloud APIs, the errCode) its `fail` result carries. */
export class ApiCallError extends Error {
  override readonly name = 'ApiCallError';
  constructor(
    readonly errMsg: string,
    readonly errCode?: number,
  ) {
    super(errMsg);
  }
}

/** The platform wants the device to show the consent dialog (a user whose `promptAnswer` is `ask`). */
export class PromptRequiredError extends ApiCallError {
  constructor(
    errMsg: string,
    readonly prompt: RuntimePrompt,
  ) {
    super(errMsg);
  }
}

/** The `Object.prototype.toString` tag the base library names types by: `String`, `Number`, `Undefined`, … */
export function typeTag(value: unknown): string {
  return Object.prototype.toString.call(value).slice(8, -1);
}

/** True for a non-null, non-array object. */
export function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/** The base library's parameter-check text: `<api>:fail parameter error: parameter.<key> should be <T> instead of <U>;` */
export function parameterError(api: string, key: string | undefined, expected: string, actual: unknown): ApiCallError {
  const where = key === undefined ? 'parameter' : `parameter.${key}`;
  return new ApiCallError(failErrMsg(api, `parameter error: ${where} should be ${expected} instead of ${typeTag(actual)};`));
}

/** Throws the parameter error unless `options[key]` has the expected type (or is absent and optional). */
export function expectParameter(
  api: string,
  options: Record<string, unknown>,
  key: string,
  expected: 'String' | 'Number' | 'Boolean' | 'Object',
  required: boolean,
): void {
  const value = options[key];
  if (value === undefined && !required) return;
  if (typeTag(value) !== expected) throw parameterError(api, key, expected, value);
}
