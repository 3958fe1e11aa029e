/**
 * Keeps this instance's copy of the shared clock hash (the clock and the versions fv/tv/cv/dv that vouch for its read
 * caches) in step with Redis over pub/sub, so that a request reads no clock from Redis while the copy is trustworthy,
 * and makes a change return only once every live instance has it. The protocol, and why it never depends on timing
 * luck beyond clocks running at about the same rate, is written up in docs/shared-state.md ("Hearing changes").
 *
 * - Every script that moves the clock or a version publishes the whole hash on `<prefix>sync` in the same atomic step
 *   (`c|from|n|state`). Redis delivers a connection's messages in the order the scripts ran, so the last message
 *   heard is the hash as it stands after everything heard before it: a copy is always "the state as of message k".
 * - Every instance holds a lease: a member of `<prefix>instances` whose score (the stamp) moves with each renewal.
 *   The renewal script also publishes the hash on the same channel, addressed to the renewer (`h|id|nonce|state`).
 *   The copy is trusted for TRUST ms from when that renewal was *sent*, once its heartbeat has been heard on the
 *   current subscription: everything published before the renewal ran was heard before it.
 * - A change's script answers the lease holders. The changer waits until it heard its own message (when subscribed)
 *   and an acknowledgement from each other holder (`a|from|n` on `<prefix>inst:<changer>`), each at most LEASE ms
 *   after the reply; a holder that did not answer is evicted unless it renewed since. A holder that did not hear the
 *   change stopped trusting its copy by then, since its last renewal before the change was sent before the change ran
 *   and TRUST < LEASE; any later renewal's heartbeat reaches it after the change.
 * - Losing the subscription (or the command connection) ends the trust at once and gives the lease up; the copy is
 *   trusted again only after a heartbeat of a renewal sent on the new subscription.
 */
import { randomBytes } from 'node:crypto';
import { performance } from 'node:perf_hooks';
import type { Redis } from 'ioredis';
import type { ClockRecord } from '../records.js';
import type { ScriptRunner } from './run-script.js';
import { EVICT, LEAVE, RENEW_LEASE } from './scripts.js';

/**
 * The versions kept with the clock: each moves (in the same script) whenever the faults, the tokens, the cloudIDs or
 * the durable records change, so a record an instance cached at the same version is still the stored one.
 * `undefined`: not known now.
 */
export interface ObservedVersions {
  faults: string | undefined;
  tokens: string | undefined;
  cloudIds: string | undefined;
  durable: string | undefined;
}

/** The clock hash as a message carries it. */
export interface SyncedState {
  clock: ClockRecord;
  versions: ObservedVersions;
}

/** The lease and trust periods (ms). TRUST must stay well below LEASE: the gap absorbs clocks running at different rates. */
export interface SyncTiming {
  /** How long a changer waits for an instance holding a lease (from the change's reply) before it evicts it. */
  leaseMs: number;
  /** How long a heard heartbeat vouches for the copy, from when its renewal was sent. */
  trustMs: number;
  /** How often the lease is renewed. */
  renewEveryMs: number;
}

/** The default timing: renewed four times a second, trusted 1.5 s past a renewal, a silent instance waited for 2 s. */
export const SYNC_TIMING: SyncTiming = { leaseMs: 2000, trustMs: 1500, renewEveryMs: 250 };

/** A change about to be sent: its number, and the subscription it will be heard on. */
export interface PendingChange {
  n: string;
  /** The subscription's epoch when the change was sent, or -1 when this instance was not subscribed. */
  epoch: number;
}

/** This instance's side of the protocol. */
export interface InstanceSync {
  /** This instance's id (its lease, its inbox channel, and the name `openrun-sync-<id>` of its subscriber connection). */
  readonly id: string;
  /** The clock hash as of the last message, while this instance is in step; undefined otherwise (read it per request). */
  current(): SyncedState | undefined;
  /** Numbers a change before it is sent. */
  begin(): PendingChange;
  /** After a change's script ran: waits (at most the lease) until this instance and every lease holder have it. */
  settle(change: PendingChange, leases: string[]): Promise<void>;
  /** Gives up the lease and closes the subscription. */
  close(): Promise<void>;
}

const noop = (): void => undefined;
/** Most answers kept that nobody waited for yet. */
const HEARD_LIMIT = 10_000;
const field = (s: string | undefined): string | undefined => (s === undefined || s === '' ? undefined : s);

/** Parses `offset|frozenAt|fv|tv|cv|dv`. */
function parseState(parts: string[], from: number): SyncedState {
  const [offset, frozenAt, fv, tv, cv, dv] = parts.slice(from);
  return {
    clock: { offsetMs: offset ? Number(offset) : 0, frozenAt: frozenAt ? Number(frozenAt) : null },
    versions: { faults: field(fv), tokens: field(tv), cloudIds: field(cv), durable: field(dv) },
  };
}

/** Starts the protocol for this instance: a subscriber connection (a duplicate of `redis`) and the lease renewals. */
export function startInstanceSync(redis: Redis, prefix: string, run: ScriptRunner, timing: SyncTiming = SYNC_TIMING): InstanceSync {
  const id = randomBytes(8).toString('hex');
  const channel = `${prefix}sync`;
  const inbox = `${prefix}inst:${id}`;
  const sub = redis.duplicate({ connectionName: `openrun-sync-${id}`, autoResubscribe: false, lazyConnect: true, enableAutoPipelining: false });

  /** Moves whenever the subscription is lost: heartbeats of renewals sent before no longer count. */
  let epoch = 0;
  let subscribed = false;
  let closed = false;
  let state: SyncedState | undefined;
  let trustedUntil = 0;
  /** Renewals sent in this epoch and not heard yet: number -> when sent. */
  const renewals = new Map<number, number>();
  let renewal = 0;
  let changes = 0;
  /** Who waits for what: `${from}|${n}` (an acknowledgement, or this instance's own message). */
  const waiting = new Map<string, () => void>();
  /**
   * What was heard before anyone waited for it: the reply to a change (command connection) and its message or an
   * acknowledgement (subscription) arrive on two sockets, in either order. Emptied beyond HEARD_LIMIT (a late
   * acknowledgement nobody waits for any more stays here), which at worst makes a change wait its lease.
   */
  const heard = new Set<string>();
  const hear = (key: string): void => {
    const done = waiting.get(key);
    if (done) return done();
    if (heard.size >= HEARD_LIMIT) heard.clear();
    heard.add(key);
  };

  const lose = (): void => {
    trustedUntil = 0;
    renewals.clear();
    heard.clear();
    epoch++;
    if (!subscribed) return;
    subscribed = false;
    // Own messages will not be heard on this subscription any more; the copy is not trusted until a new heartbeat.
    for (const [key, done] of waiting) if (key.startsWith(`${id}|`)) done();
    // Sent after every renewal of the old epoch, on the same connection, so none of them re-adds the lease after it.
    if (!closed) run(LEAVE, [], id, '').catch(noop);
  };

  const renew = (): void => {
    if (!subscribed || closed) return;
    const k = ++renewal;
    renewals.set(k, performance.now());
    run(RENEW_LEASE, [k], id, `${epoch}.${k}`).catch(() => renewals.delete(k));
  };

  const subscribe = (): void => {
    const at = epoch;
    sub.subscribe(channel, inbox).then(() => {
      // The SUBSCRIBE was answered, so every script sent from now on publishes to this subscription.
      if (closed || at !== epoch || sub.status !== 'ready') return;
      subscribed = true;
      renew();
    }, noop);
  };

  sub.on('message', (ch: string, message: string) => {
    const parts = message.split('|');
    const [kind, from, tag] = parts as [string, string, string];
    if (ch === inbox) {
      if (kind === 'a') hear(`${from}|${tag}`);
      return;
    }
    state = parseState(parts, 3);
    if (kind === 'c') {
      if (from === id) hear(`${id}|${tag}`);
      // Applied before it is acknowledged: a request the changer's caller sends next reads the new state here.
      else redis.publish(`${prefix}inst:${from}`, `a|${id}|${tag}`).catch(noop);
    } else if (kind === 'h' && from === id) {
      const [e, k] = tag.split('.').map(Number) as [number, number];
      const sentAt = e === epoch ? renewals.get(k) : undefined;
      if (sentAt !== undefined) {
        trustedUntil = Math.max(trustedUntil, sentAt + timing.trustMs);
        for (const r of renewals.keys()) if (r <= k) renewals.delete(r);
      }
    }
  });
  sub.on('ready', subscribe);
  sub.on('close', lose);
  sub.on('error', noop);
  redis.on('close', lose);
  // The command connection back while the subscription stayed: subscribing again is answered at once.
  const resume = (): void => {
    if (!subscribed && sub.status === 'ready') subscribe();
  };
  redis.on('ready', resume);
  sub.connect().catch(noop);
  const timer = setInterval(renew, timing.renewEveryMs);
  timer.unref();

  /** Resolves when `key` is answered or after `ms` (then runs `late`). */
  const answer = (key: string, ms: number, late: () => Promise<void> | void): Promise<void> =>
    new Promise<void>((done) => {
      if (heard.delete(key)) return done();
      const t = setTimeout(() => {
        waiting.delete(key);
        Promise.resolve(late()).catch(noop).finally(done);
      }, ms);
      waiting.set(key, () => {
        clearTimeout(t);
        waiting.delete(key);
        done();
      });
    });

  return {
    id,
    current: () => (state !== undefined && performance.now() < trustedUntil ? state : undefined),
    begin: () => ({ n: String(++changes), epoch: subscribed ? epoch : -1 }),
    async settle(change, leases) {
      const waits: Promise<void>[] = [];
      // Heard on the subscription it was sent on; if that is lost meanwhile, the copy is not trusted anyway.
      if (change.epoch === epoch && subscribed) {
        waits.push(answer(`${id}|${change.n}`, timing.leaseMs, () => {
          trustedUntil = 0;
        }));
      }
      for (let i = 0; i + 1 < leases.length; i += 2) {
        const holder = leases[i]!;
        const stamp = leases[i + 1]!;
        if (holder === id) continue;
        waits.push(answer(`${holder}|${change.n}`, timing.leaseMs, async () => {
          await run(EVICT, [holder, stamp], id, '');
        }));
      }
      await Promise.all(waits);
    },
    async close() {
      closed = true;
      clearInterval(timer);
      trustedUntil = 0;
      redis.off('close', lose);
      redis.off('ready', resume);
      await run(LEAVE, [], id, '').catch(noop);
      sub.disconnect();
    },
  };
}
