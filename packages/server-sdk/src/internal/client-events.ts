/** A tiny typed event emitter for client `request` / `response` events; a throwing listener never breaks a call. */
import type { ClientEventListener, ClientEventMap } from '../request-options.js';

/** Holds listeners per event. */
export class ClientEvents {
  readonly #listeners: { [E in keyof ClientEventMap]: Set<ClientEventListener<E>> } = {
    request: new Set(),
    response: new Set(),
  };

  /** Adds a listener. */
  on<E extends keyof ClientEventMap>(event: E, listener: ClientEventListener<E>): void {
    (this.#listeners[event] as Set<ClientEventListener<E>>).add(listener);
  }

  /** Removes a listener. */
  off<E extends keyof ClientEventMap>(event: E, listener: ClientEventListener<E>): void {
    (this.#listeners[event] as Set<ClientEventListener<E>>).delete(listener);
  }

  /** Calls every listener of `event`; listener errors are swallowed. */
  emit<E extends keyof ClientEventMap>(event: E, payload: ClientEventMap[E]): void {
    for (const listener of this.#listeners[event] as Set<ClientEventListener<E>>) {
      try {
        listener(payload);
      } catch {
        // A listener must not change the outcome of a platform call.
      }
    }
  }
}
