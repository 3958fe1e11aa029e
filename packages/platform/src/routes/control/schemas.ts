/**
 * Schemas of the control API's records, shared by its routes.
 */
import { Type, type Static } from 'typebox';
import type { AppRecord, UserRecord } from '../../stores/records.js';

/** An app as the control API shows it. */
export const AppView = Type.Object({
  appid: Type.String(),
  secret: Type.String(),
  platform: Type.Union([Type.Literal('weapp'), Type.Literal('qq')]),
  name: Type.String(),
  cloud: Type.Boolean(),
  cloudEnv: Type.Union([Type.String(), Type.Null()]),
  baseLibVersion: Type.String(),
  openPlatformId: Type.Union([Type.String(), Type.Null()]),
  createdAt: Type.String({ format: 'date-time' }),
});
/** An app as the control API shows it. */
export type AppView = Static<typeof AppView>;

/** How a user answers consent dialogs. */
export const PromptAnswer = Type.Union([Type.Literal('accept'), Type.Literal('deny'), Type.Literal('ask')]);

/** A user as the control API shows it. */
export const UserView = Type.Object({
  id: Type.String(),
  nickname: Type.String(),
  deviceToken: Type.String(),
  werunEnabled: Type.Boolean(),
  hasStepCounter: Type.Boolean(),
  promptAnswer: PromptAnswer,
  createdAt: Type.String({ format: 'date-time' }),
});
/** A user as the control API shows it. */
export type UserView = Static<typeof UserView>;

/** `?limit=` (1–1,000, default 100) and `?cursor=` (a `nextCursor` of the same list and filters). */
export const PageQuery = Type.Object(
  {
    limit: Type.Optional(Type.String({ pattern: '^\\d{1,7}$', description: 'items per page, 1 to 1000 (default 100)' })),
    cursor: Type.Optional(Type.String({ minLength: 1, maxLength: 2000, description: 'the nextCursor of the previous page' })),
  },
  { additionalProperties: false },
);

/** Present when there is a next page: pass it back as `?cursor=`. */
export const NextCursor = Type.Optional(Type.String({ description: 'absent on the last page' }));

/** `{id}` path parameter. */
export const UserParams = Type.Object({ id: Type.String({ minLength: 1, maxLength: 64 }) });

/** One day of steps. */
export const StepDayView = Type.Object({
  date: Type.String({ pattern: '^\\d{4}-\\d{2}-\\d{2}$' }),
  steps: Type.Integer({ minimum: 0, maximum: 1_000_000 }),
});

/** `{days}` body and reply. */
export const StepDays = Type.Object({ days: Type.Array(StepDayView, { maxItems: 3660 }) });

/** Converts a stored app to its view. */
export function appView(app: AppRecord): AppView {
  return { ...app, createdAt: new Date(app.createdAt).toISOString() };
}

/** Converts a stored user to its view. */
export function userView(user: UserRecord): UserView {
  return { ...user, createdAt: new Date(user.createdAt).toISOString() };
}
