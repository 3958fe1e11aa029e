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
      if (frozenAt !== undefined) frozenAt += seconds * 1000;
      else offset += seconds * 1000;
      return state();
    },
  };
}
