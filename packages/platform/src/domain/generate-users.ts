/**
 * Bulk user generation: many users at once, each with a seeded realistic history (see step-model.ts), committed in
 * chunks of at most `generateChunkSize(days)` users, each chunk one transaction of its own. Ordinary writes made
 * meanwhile get through between two chunks (on SQLite they wait at the write gate only while a chunk is written), and
 * readers may see the first chunks before the reply. A generate is still all or nothing as far as its caller sees: if a
 * chunk fails, the users the chunks before it committed are deleted again (with their histories and everything made
 * for them meanwhile) before the error is answered. Only a crash in between (kill -9, power loss) leaves the chunks
 * committed so far in the store, as whole users with whole histories.
 * Each chunk's users and histories are computed first, with a turn of the event loop every 25 ms, and only then handed
 * to the store, which writes them in slices that yield too, so other requests are answered meanwhile.
 */
import { chinaDateOf, type ChinaDate } from '@openrun/core';
import type { UserWithSteps } from '../stores/durable-store.js';
import type { UserRecord } from '../stores/records.js';
import type { StepModelRecord } from '../stores/state-snapshot.js';
import type { PlatformContext } from './context.js';
import { OpenRunApiError } from './errors.js';
import { plannedHistory, seedOf } from './steps.js';

/** Most users one call creates. */
export const MAX_GENERATED_USERS = 10_000;

/** What to generate. */
export interface GenerateUsersOptions {
  count: number;
  /** Days of history per user, ending today (default 60; 0 for none). */
  days?: number;
  /** Base seed: user i gets seed + i (default: derived from each user id). */
  seed?: number;
  /** Nickname prefix (default "walker"). */
  nickname?: string;
}

/** The users a generate created and how it committed them. */
export interface GeneratedUsers {
  users: UserRecord[];
  /** How many transactions (chunks) the users were committed in, one after another. */
  chunks: number;
  /** Most users one chunk held. */
  chunkSize: number;
}

/** Days of history when the call names none. */
const DEFAULT_DAYS = 60;
/**
 * Most users one chunk writes. Measured on a store of a million users (bench/scale-users.mjs, 31 days each), the
 * slowest write made during a 10,000-user generate: 721 ms as one transaction, 159-173 ms in chunks of 1,000 (a chunk
 * took 55-80 ms); chunks of 500 were no better (each generate held the event loop once for about 0.5 s).
 */
const CHUNK_USERS = 1000;
/** Most step rows (users × days) one chunk writes: users with long histories go in smaller chunks. */
const CHUNK_STEP_ROWS = 50_000;
/** Users computed per batch handed to the store. */
const GENERATE_BATCH = 50;
/** Longest stretch of computing between two turns of the event loop, ms. */
const SLICE_MS = 25;

/** Most users one transaction of a generate with `days` of history per user writes. */
export function generateChunkSize(days: number): number {
  return Math.max(1, Math.min(CHUNK_USERS, Math.floor(CHUNK_STEP_ROWS / Math.max(days, 1))));
}

/** Creates `count` users with histories, chunk by chunk, all or nothing; returns them and how they were committed. */
export async function generateUsers(ctx: PlatformContext, options: GenerateUsersOptions): Promise<GeneratedUsers> {
  if (!Number.isInteger(options.count) || options.count < 1 || options.count > MAX_GENERATED_USERS) {
    throw new OpenRunApiError('VALIDATION', `count must be a whole number from 1 to ${MAX_GENERATED_USERS}`);
  }
  const chunkSize = generateChunkSize(options.days ?? DEFAULT_DAYS);
  const planner = plannedUsers(ctx, options);
  const users: UserRecord[] = [];
  let chunks = 0;
  try {
    for (let chunk = await planned(planner, chunkSize); chunk.length > 0; chunk = await planned(planner, chunkSize)) {
      // One transaction: a chunk that fails left nothing, only the chunks before it need undoing.
      await ctx.durable.createUsersWithSteps(batchesOf(chunk));
      chunks++;
      for (const p of chunk) users.push(p.user);
    }
  } catch (error) {
    // If the store fails at this too, the chunks committed so far stay, as after a crash.
    if (users.length > 0) await ctx.durable.deleteUsers(users.map((u) => u.id)).catch(() => undefined);
    throw error;
  }
  return { users, chunks, chunkSize };
}

/** The next (up to) `size` planned users, computed with a turn of the event loop every SLICE_MS. */
async function planned(planner: Iterator<PlannedUser>, size: number): Promise<PlannedUser[]> {
  const chunk: PlannedUser[] = [];
  let sliceStart = performance.now();
  for (let next = planner.next(); !next.done; next = planner.next()) {
    chunk.push(next.value);
    if (chunk.length === size) break;
    if (performance.now() - sliceStart >= SLICE_MS) {
      await new Promise((done) => setImmediate(done));
      sliceStart = performance.now();
    }
  }
  return chunk;
}

/**
 * A computed user waiting for the write: its counts in a typed array, the dates shared by every user of the call. What
 * waits is kept small because it lives until the write: as day objects, a generate's histories outlived the young
 * generation (seeding 100k users promoted 300 MB to the old space this way, 190 MB without; GC pauses 2.7 s -> 1.5 s).
 */
interface PlannedUser {
  user: UserRecord;
  dates: readonly ChinaDate[];
  steps: Int32Array;
  stepModel: StepModelRecord | null;
}

/** The planned users as the store takes them, in batches whose day objects are made just before they are written. */
function* batchesOf(planned: PlannedUser[]): Generator<UserWithSteps[]> {
  for (let from = 0; from < planned.length; from += GENERATE_BATCH) {
    yield planned.slice(from, from + GENERATE_BATCH).map((p) => ({
      user: p.user,
      days: Array.from(p.steps, (steps, i) => ({ date: p.dates[i]!, steps })),
      stepModel: p.stepModel,
    }));
  }
}

/** The new users, one by one, with their planned histories. */
function* plannedUsers(ctx: PlatformContext, options: GenerateUsersOptions): Generator<PlannedUser> {
  const days = options.days ?? DEFAULT_DAYS;
  const today = chinaDateOf(ctx.clock.nowSeconds());
  const now = ctx.clock.now();
  let dates: readonly ChinaDate[] | undefined;
  for (let i = 0; i < options.count; i++) {
    const id = ctx.ids.userId();
    const user: UserRecord = {
      id,
      nickname: `${options.nickname ?? 'walker'}-${id.slice(-6)}`,
      deviceToken: ctx.ids.deviceToken(),
      werunEnabled: true,
      hasStepCounter: true,
      promptAnswer: 'accept',
      createdAt: now,
    };
    if (days === 0) {
      yield { user, dates: [], steps: new Int32Array(0), stepModel: null };
      continue;
    }
    const plan = plannedHistory({ seed: options.seed === undefined ? seedOf(id) : options.seed + i }, today, days);
    // Every user of the call has the same window of days.
    dates ??= plan.days.map((d) => d.date);
    yield { user, dates, steps: Int32Array.from(plan.days, (d) => d.steps), stepModel: plan.model };
  }
}
