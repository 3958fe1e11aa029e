/**
 * What every domain rule works with: stores, clock, id generator and configuration. Built once per platform.
 */
import type { IdGenerator } from '@openrun/core';
import type { PlatformConfig } from '../config.js';
import type { DurableStore } from '../stores/durable-store.js';
import type { EphemeralStore } from '../stores/ephemeral-store.js';
import type { StateStore } from '../stores/state-store.js';
import type { StoreBackend } from '../stores/store-backend.js';
import type { PlatformClock } from './clock.js';

/** The capabilities a domain rule may use; rules never read Date.now() or Math.random(). */
export interface PlatformContext {
  durable: DurableStore;
  ephemeral: EphemeralStore;
  /** Whole-state export and import across both stores (the backend's). */
  state: StateStore;
  /** Both stores together: whole-state import and reset, and what the banner says about them. */
  backend: StoreBackend;
  clock: PlatformClock;
  ids: IdGenerator;
  config: PlatformConfig;
  /** Every route's operation key ("METHOD /path/:param"), collected as routes are registered: what faults can name. */
  operations: ReadonlySet<string>;
}
