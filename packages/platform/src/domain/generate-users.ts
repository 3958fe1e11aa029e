/**
 * Bulk user generation: many users at once, each with a seeded realistic history (see step-model.ts), written in one
 * transaction per call (all or nothing). The users and histories are computed first, with a turn of the event loop
 * every 25 ms, and only then handed to the store: the store's write transaction (during which other writes
 * wait) holds only the writing, which it does in slices that yield, so other requests are answered meanwhile.
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

/** Users computed per batch handed to the store. */
const GENERATE_BATCH = 50;
/** Longest stretch of computing between two turns of the event loop, ms. */
const SLICE_MS = 25;

/** Creates `count` users with histories in one transaction and returns them. */
export async function generateUsers(ctx: PlatformContext, options: GenerateUsersOptions): Promise<UserRecord[]> {
  if (!Number.isInteger(options.count) || options.count < 1 || options.count > MAX_GENERATED_USERS) {
    throw new OpenRunApiError('VALIDATION', `count must be a whole number from 1 to ${MAX_GENERATED_USERS}`);
  }
  const created: UserRecord[] = [];
  const planned: PlannedUser[] = [];
  let sliceStart = performance.now();
  for (const user of plannedUsers(ctx, options)) {
    created.push(user.user);
    planned.push(user);
    if (performance.now() - sliceStart >= SLICE_MS) {
      await new Promise((done) => setImmediate(done));
      sliceStart = performance.now();
    }
  }
  await ctx.durable.createUsersWithSteps(batchesOf(planned));
  return created;
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
  const days = options.days ?? 60;
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
