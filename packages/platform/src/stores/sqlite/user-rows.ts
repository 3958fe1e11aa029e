/**
 * Writing many users with their histories (generate, whole-state import) on the connection a bulk transaction runs on.
 * A user's days go in multi-row statements of up to DAYS_PER_STATEMENT rows: one statement call per 64 days instead of
 * one per day makes a day row about four times cheaper, which is most of the time a seed of a million users spends.
 */
import type { StepDay, UserRecord } from '../records.js';
import type { StepModelRecord } from '../state-snapshot.js';
import type { SqliteDatabase } from './database.js';
import { dayOf } from './durable-store.js';

/** Most day rows bound to one statement (3 parameters each, far below SQLite's limit of 32,766). */
const DAYS_PER_STATEMENT = 64;

type Statement = ReturnType<SqliteDatabase['prepare']>;

/** Inserts a user with its days and step model and returns the user's pk; throws what the constraint that failed says. */
export type UserRowsWriter = (user: UserRecord, days: readonly StepDay[], model: StepModelRecord | null) => number;

/** Prepares the statements of a UserRowsWriter on `conn` (a day given twice for one user keeps the last count). */
export function prepareUserRowsWriter(conn: SqliteDatabase): UserRowsWriter {
  const insertUser = conn.prepare(
    `INSERT INTO users (id, nickname, device_token, werun_enabled, has_step_counter, prompt_answer, created_at)
     VALUES (?, ?, ?, ?, ?, ?, ?)`,
  );
  const putModel = conn.prepare('INSERT OR REPLACE INTO step_models VALUES (?, ?, ?, ?, ?, ?)');
  const putDays = new Map<number, Statement>();
  const daysStatement = (rows: number): Statement => {
    let s = putDays.get(rows);
    if (!s) {
      s = conn.prepare(`INSERT OR REPLACE INTO steps (user_pk, day, steps) VALUES ${Array(rows).fill('(?, ?, ?)').join(', ')}`);
      putDays.set(rows, s);
    }
    return s;
  };
  const params: (number | string)[] = [];
  return (user, days, model) => {
    const pk = Number(
      insertUser.run(
        user.id, user.nickname, user.deviceToken, user.werunEnabled ? 1 : 0, user.hasStepCounter ? 1 : 0, user.promptAnswer,
        user.createdAt,
      ).lastInsertRowid,
    );
    for (let from = 0; from < days.length; from += DAYS_PER_STATEMENT) {
      const to = Math.min(days.length, from + DAYS_PER_STATEMENT);
      params.length = 0;
      for (let i = from; i < to; i++) params.push(pk, dayOf(days[i]!.date), days[i]!.steps);
      daysStatement(to - from).run(params);
    }
    if (model) putModel.run(pk, model.seed, model.baseline, model.weekendFactor, model.restDayChance, model.through);
    return pk;
  };
}
