/**
 * A store backend: the durable and the ephemeral store of one platform, opened together, with what spans both — the
 * whole-state import that must be all or nothing — and what the banner says about them.
 */
import type { DurableStore } from './durable-store.js';
import type { EphemeralStore } from './ephemeral-store.js';
import type { StateStore } from './state-store.js';

/** Which implementation holds the state. */
export type StoreBackendKind = 'sqlite' | 'memory' | 'postgres+redis';

/** The stores of one platform. */
export interface StoreBackend {
  kind: StoreBackendKind;
  /** Where the state lives, for the banner and messages; never contains a password. */
  description: string;
  durable: DurableStore;
  ephemeral: EphemeralStore;
  /**
   * Whole-state export and import; an import that fails or crashes part-way leaves the old state or the new one,
   * never a mix.
   */
  state: StateStore;
  /** Forgets every app, user, code, token, cloudID, counter, fault and logged request, as one step where possible. */
  reset(): Promise<void>;
  /**
   * Settles once every write made so far is committed, for a backend that commits the writes of one turn together
   * (SQLite); undefined when nothing is waiting. A reply waits for it, so it never reports state a crash could undo.
   */
  settled?(): Promise<void> | undefined;
  close(): Promise<void>;
}
