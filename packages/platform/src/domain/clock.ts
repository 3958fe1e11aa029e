/**
 * The platform clock: every rule reads it. By default it follows the system clock; the control API can freeze it,
 * set it to any instant (backwards too) or advance it.
 */

/** What the control API reports about the clock. */
export interface ClockState {
  /** Current platform time, epoch milliseconds. */
  nowMs: number;
  /** True while time stands still. */
  frozen: boolean;
}

/** A controllable clock. */
export interface PlatformClock {
  /** Platform time in epoch milliseconds. */
  now(): number;
  /** Platform time in Unix seconds (floor). */
  nowSeconds(): number;
  state(): ClockState;
  /** Moves the clock to `nowMs` (keeping its frozen state unless given). */
  set(change: { nowMs?: number; frozen?: boolean }): ClockState;
  /** Moves the clock by `seconds`, rounded to whole milliseconds. */
  advance(seconds: number): ClockState;
}

/** Creates a clock that runs with `systemNow` (Date.now by default) shifted by an offset, or stands frozen. */
export function createClock(systemNow: () => number = Date.now): PlatformClock {
  let offset = 0;
  let frozenAt: number | undefined;
  const now = (): number => frozenAt ?? systemNow() + offset;
  const state = (): ClockState => ({ nowMs: now(), frozen: frozenAt !== undefined });
  return {
    now,
    nowSeconds: () => Math.floor(now() / 1000),
    state,
    set(change) {
      const target = change.nowMs ?? now();
      const frozen = change.frozen ?? frozenAt !== undefined;
      if (frozen) frozenAt = target;
      else {
        frozenAt = undefined;
        offset = target - systemNow();
      }
      return state();
    },
    advance(seconds) {
      // Whole milliseconds only: a fractional advance must not leave a fractional instant in every record after it.
      const ms = Math.round(seconds * 1000);
      if (frozenAt !== undefined) frozenAt += ms;
      else offset += ms;
      return state();
    },
  };
}

/** The earliest instant the platform clock may show: 2000-01-01T00:00:00Z. */
export const EARLIEST_CLOCK_MS = Date.UTC(2000, 0, 1);
/** The latest instant the platform clock may show: 2100-12-31T23:59:59.999Z. */
export const LATEST_CLOCK_MS = Date.UTC(2101, 0, 1) - 1;

/** Why `ms` cannot be a platform instant (not whole milliseconds, or outside 2000–2100), or undefined when it can. */
export function clockInstantProblem(ms: number): string | undefined {
  if (!Number.isSafeInteger(ms)) return `${ms} is not a whole number of milliseconds`;
  if (ms < EARLIEST_CLOCK_MS || ms > LATEST_CLOCK_MS) {
    return `${Math.abs(ms) <= 8.64e15 ? new Date(ms).toISOString() : ms} is outside the years 2000–2100 the platform clock accepts`;
  }
  return undefined;
}
