/**
 * The chances a fault take draws: the caller's random number for the first probabilistic rule, and for each further
 * one a number derived from the previous by a small linear congruential step. Every store computes the same
 * sequence (the Redis script does it in Lua), so a take needs one random number and one round trip.
 */

const M = 233_280;

/** The chance after `previous` (both in 0..1). */
export function nextChance(previous: number): number {
  return ((Math.floor(previous * M) * 9301 + 49_297) % M) / M;
}

/** Whether a rule applies: always without a probability, else when the chance falls below it. */
export function faultApplies(probability: number | undefined, chance: number): boolean {
  return probability === undefined || chance < probability;
}

/** The id a store gives its `n`-th fault rule. */
export const faultId = (n: number): string => `fault_${n}`;

/** The number in a `fault_N` id (0 for any other id), so new ids never collide with imported ones. */
export function faultNumber(id: string): number {
  return Number(/^fault_(\d+)$/.exec(id)?.[1] ?? 0);
}
