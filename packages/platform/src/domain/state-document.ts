/**
 * The state document: the whole platform state as one JSON value (apps, users with histories, openids, sessions,
 * grants, codes, tokens, cloudIDs, counters, faults and the clock). Its TypeBox schema documents
 * `GET /openrun/control/v1/export` and `POST /openrun/control/v1/import`; an import checks each element of the long
 * lists against its element schema as it streams in, and the rest of the document against this one.
 */
import { Type, type Static } from 'typebox';

const Ms = Type.Integer({ minimum: 0, maximum: 8.64e15 });
const Id = Type.String({ minLength: 1, maxLength: 200 });
const Platform = Type.Union([Type.Literal('weapp'), Type.Literal('qq')]);
const DateString = Type.String({ pattern: '^\\d{4}-\\d{2}-\\d{2}$' });
const Nullable = <T extends Parameters<typeof Type.Union>[0][number]>(t: T) => Type.Union([t, Type.Null()]);
const Closed = { additionalProperties: false } as const;

/** One app. */
export const AppState = Type.Object(
  {
    appid: Id, secret: Id, platform: Platform, name: Type.String({ maxLength: 100 }), cloud: Type.Boolean(),
    cloudEnv: Nullable(Type.String({ maxLength: 100 })), baseLibVersion: Type.String({ pattern: '^\\d+(\\.\\d+){0,3}$' }),
    openPlatformId: Nullable(Type.String({ maxLength: 64 })), createdAt: Ms,
  },
  Closed,
);

/** One day of a history. */
export const StepDayState = Type.Object({ date: DateString, steps: Type.Integer({ minimum: 0, maximum: 1_000_000 }) }, Closed);

/** The live model of a generated history. */
export const StepModelState = Type.Object(
  {
    seed: Type.Integer({ minimum: 0, maximum: 4294967295 }), baseline: Type.Integer({ minimum: 0, maximum: 100_000 }),
    weekendFactor: Type.Number({ minimum: 0, maximum: 5 }), restDayChance: Type.Number({ minimum: 0, maximum: 1 }),
    through: DateString,
  },
  Closed,
);

/** One user with the history. */
export const UserState = Type.Object(
  {
    id: Id, nickname: Type.String({ minLength: 1, maxLength: 100 }), deviceToken: Id, werunEnabled: Type.Boolean(),
    hasStepCounter: Type.Boolean(), promptAnswer: Type.Union([Type.Literal('accept'), Type.Literal('deny'), Type.Literal('ask')]), createdAt: Ms,
    steps: Type.Array(StepDayState), stepModel: Nullable(StepModelState),
  },
  Closed,
);

/** One user in one app: openid, session, grants. */
export const AppUserState = Type.Object(
  {
    appid: Id, userId: Id, openid: Id, unionid: Nullable(Id), sessionKey: Nullable(Id), sessionRotatedAt: Nullable(Ms),
    grants: Type.Record(Type.String({ maxLength: 64 }), Type.Boolean()),
  },
  Closed,
);

/** A fault rule. */
export const FaultState = Type.Object(
  {
    id: Id, route: Type.String({ pattern: '^(GET|POST|PUT|PATCH|DELETE) /', maxLength: 200 }),
    action: Type.Union([
      Type.Object({ errcode: Type.Integer() }, Closed),
      Type.Object({ delayMs: Type.Integer({ minimum: 0, maximum: 60_000 }) }, Closed),
      Type.Object({ drop: Type.Literal(true) }, Closed),
    ]),
    times: Type.Optional(Type.Integer({ minimum: 1 })), probability: Type.Optional(Type.Number({ minimum: 0, maximum: 1 })),
    uses: Type.Integer({ minimum: 0 }),
  },
  Closed,
);

/** A login code. */
export const LoginCodeState = Type.Object({ code: Id, appid: Id, userId: Id, expiresAt: Ms, used: Type.Boolean() }, Closed);
/** An access token. */
export const AccessTokenState = Type.Object(
  {
    token: Id, appid: Id, kind: Type.Union([Type.Literal('normal'), Type.Literal('stable')]), issuedAt: Ms, expiresAt: Ms,
    supersededUntil: Nullable(Ms),
  },
  Closed,
);
/** A cloudID with its payload. */
export const CloudIdState = Type.Object({ cloudId: Id, appid: Id, openid: Id, payload: Type.String(), expiresAt: Ms }, Closed);
/** A rate counter. */
export const CounterState = Type.Object({ key: Type.String({ maxLength: 300 }), value: Type.Integer(), expiresAt: Ms }, Closed);

/** Codes, tokens, cloudIDs and counters. */
export const EphemeralState = Type.Object(
  {
    loginCodes: Type.Array(LoginCodeState),
    accessTokens: Type.Array(AccessTokenState),
    cloudIds: Type.Array(CloudIdState),
    counters: Type.Array(CounterState),
  },
  Closed,
);

/** The whole state document. */
export const StateDocument = Type.Object(
  {
    format: Type.Literal('openrun-state'),
    version: Type.Literal(1),
    clock: Type.Object({ nowMs: Ms, frozen: Type.Boolean() }, Closed),
    faults: Type.Array(FaultState),
    apps: Type.Array(AppState),
    users: Type.Array(UserState),
    appUsers: Type.Array(AppUserState),
    ephemeral: EphemeralState,
  },
  Closed,
);
/** The whole state document. */
export type StateDocument = Static<typeof StateDocument>;
