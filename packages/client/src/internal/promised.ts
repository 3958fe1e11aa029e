/**
 * The one cast between the runtime shape of a call's return value and its public per-option type.
 */

/**
 * The implementations return `Promise | undefined` (Promise style or callback style); the public signatures spell the
 * same thing per option type.
 */
export function promised<Return>(value: Promise<unknown> | undefined): Return {
  return value as Return;
}
