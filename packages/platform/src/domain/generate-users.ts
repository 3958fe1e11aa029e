/**
 * Bulk user generation: many users at once, each with a seeded realistic history (see step-model.ts), written in one
 * transaction per call (all or nothing). The users and histories are computed first, in batches with a turn of the
 * event loop between them, and only then handed to the store: the store's write transaction (during which other writes
 * wait) holds only the writing, which it does in slices that yield, so other requests are answered meanwhile.
 */
import { chinaDateOf } from '@openrun/core';
import type { UserWithSteps } from '../stores/durable-store.js';
import type { UserRecord } from '../stores/records.js';
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
  const batches: UserWithSteps[][] = [];
  let sliceStart = performance.now();
  for (const batch of generatedBatches(ctx, options, created)) {
    batches.push(batch);
    if (performance.now() - sliceStart >= SLICE_MS) {
      await new Promise((done) => setImmediate(done));
      sliceStart = performance.now();
    }
  }
  await ctx.durable.createUsersWithSteps(batches);
  return created;
}

/** The new users in batches, each pushed to `created` as it is made. */
function* generatedBatches(ctx: PlatformContext, options: GenerateUsersOptions, created: UserRecord[]): Generator<UserWithSteps[]> {
  const days = options.days ?? 60;
  const today = chinaDateOf(ctx.clock.nowSeconds());
  const now = ctx.clock.now();
  let batch: UserWithSteps[] = [];
  for (let i = 0; i < options.count; i++) {
    if (batch.length === GENERATE_BATCH) {
      yield batch;
      batch = [];
    }
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
    created.push(user);
    if (days === 0) {
      batch.push({ user, days: [], stepModel: null });
      continue;
    }
    const plan = plannedHistory({ seed: options.seed === undefined ? seedOf(id) : options.seed + i }, today, days);
    batch.push({ user, days: plan.days, stepModel: plan.model });
  }
  if (batch.length > 0) yield batch;
}
