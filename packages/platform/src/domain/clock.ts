/**
 * The platform clock: every rule reads it. By default it follows the system clock; the control API can freeze it,
 * set it to any instant (backwards too) or advance it. Its state lives in the ephemeral store, so every instance on
 * one store runs on one clock: each request starts by re-reading it (`refresh`; on Redis from the copy kept in step over
 * pub/sub while the instance is in step), and a change is in the store, and heard by every live instance, before the
 * control call returns.
 */
import type { EphemeralStore } from '../stores/ephemeral-store.js';
import type { ClockRecord } from '../stores/records.js';

/** What the control API reports about the clock. */
export interface ClockState {
  /** Current platform time, epoch milliseconds. */
  nowMs: number;
  /** True while time stands still. */
  frozen: boolean;
}

/** Where the clock's state is kept. */
export type ClockStore = Pick<EphemeralStore, 'getClock' | 'setClock' | 'advanceClock'>;

/** A controllable clock shared through a store. */
export interface PlatformClock {
  /** Platform time in epoch milliseconds, as of the last `refresh` or change. */
  now(): number;
  /** Platform time in Unix seconds (floor). */
  nowSeconds(): number;
  state(): ClockState;
  /** Re-reads the shared state (called at the start of every request). */
  refresh(): Promise<void>;
  /** Moves the clock to `nowMs` (keeping its frozen state unless given). */
  set(change: { nowMs?: number; frozen?: boolean }): Promise<ClockState>;
  /** Moves the clock by `seconds`; concurrent advances on several instances add up. */
  advance(seconds: number): Promise<ClockState>;
  /** The stored form of a clock showing `state` now (what an import writes). */
  recordOf(state: ClockState): ClockRecord;
}

/** Creates a clock kept in `store` that runs with `systemNow` (Date.now by default) shifted by an offset, or stands frozen. */
export function createClock(store: ClockStore, systemNow: () => number = Date.now): PlatformClock {
  let current: ClockRecord = { offsetMs: 0, frozenAt: null };
  const now = (): number => current.frozenAt ?? systemNow() + current.offsetMs;
  const state = (): ClockState => ({ nowMs: now(), frozen: current.frozenAt !== null });
  return {
    now,
    nowSeconds: () => Math.floor(now() / 1000),
    state,
    async refresh() {
      current = await store.getClock();
    },
    async set(change) {
      current = await store.getClock();
      const target = change.nowMs ?? now();
      const frozen = change.frozen ?? current.frozenAt !== null;
      const next: ClockRecord = frozen ? { offsetMs: current.offsetMs, frozenAt: target } : { offsetMs: target - systemNow(), frozenAt: null };
      await store.setClock(next);
      current = next;
      return state();
    },
    async advance(seconds) {
      current = await store.advanceClock(Math.round(seconds * 1000));
      return state();
    },
    recordOf: (s) => (s.frozen ? { offsetMs: 0, frozenAt: s.nowMs } : { offsetMs: s.nowMs - systemNow(), frozenAt: null }),
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
