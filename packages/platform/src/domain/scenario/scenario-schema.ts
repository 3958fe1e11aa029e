/**
 * The scenario file (`openrun start --scenario FILE`, YAML or JSON): apps, users with literal or generated histories,
 * grants, faults and the clock, declared once. This TypeBox schema is what the file is checked against.
 */
import { Type, type Static } from 'typebox';

const Closed = { additionalProperties: false } as const;
const DateString = Type.String({ pattern: '^\\d{4}-\\d{2}-\\d{2}$' });

/** An app of the scenario; appid and secret are generated when absent. */
export const ScenarioApp = Type.Object(
  {
    platform: Type.Enum(['weapp', 'qq']),
    appid: Type.Optional(Type.String({ pattern: '^(wx[0-9a-f]{16}|[1-9][0-9]{9})$' })),
    secret: Type.Optional(Type.String({ pattern: '^[0-9a-f]{32}$' })),
    name: Type.Optional(Type.String({ minLength: 1, maxLength: 100 })),
    cloud: Type.Optional(Type.Boolean()),
    baseLibVersion: Type.Optional(Type.String({ pattern: '^\\d+(\\.\\d+){0,3}$' })),
    openPlatformId: Type.Optional(Type.String({ minLength: 1, maxLength: 64 })),
  },
  Closed,
);

/** A generated history: the seeded model of the control API's generate route. */
export const ScenarioGenerate = Type.Object(
  {
    seed: Type.Optional(Type.Integer({ minimum: 0, maximum: 4294967295 })),
    days: Type.Optional(Type.Integer({ minimum: 1, maximum: 3660 })),
    baseline: Type.Optional(Type.Integer({ minimum: 0, maximum: 60_000 })),
    weekendFactor: Type.Optional(Type.Number({ minimum: 0, maximum: 5 })),
    restDayChance: Type.Optional(Type.Number({ minimum: 0, maximum: 1 })),
  },
  Closed,
);

/** A user of the scenario; id and device token are generated when absent. */
export const ScenarioUser = Type.Object(
  {
    id: Type.Optional(Type.String({ pattern: '^[A-Za-z0-9_.-]{1,64}$' })),
    nickname: Type.Optional(Type.String({ minLength: 1, maxLength: 100 })),
    deviceToken: Type.Optional(Type.String({ pattern: '^[A-Za-z0-9_.-]{8,200}$' })),
    werunEnabled: Type.Optional(Type.Boolean()),
    hasStepCounter: Type.Optional(Type.Boolean()),
    promptAnswer: Type.Optional(Type.Enum(['accept', 'deny', 'ask'])),
    steps: Type.Optional(Type.Array(Type.Object({ date: DateString, steps: Type.Integer({ minimum: 0, maximum: 1_000_000 }) }, Closed))),
    generate: Type.Optional(ScenarioGenerate),
  },
  Closed,
);

/** A remembered decision of a user in an app: `granted` true, false, or null (never asked). */
export const ScenarioGrant = Type.Object(
  {
    app: Type.String({ minLength: 1 }),
    user: Type.String({ minLength: 1 }),
    scope: Type.String({ pattern: '^scope\\.[A-Za-z]+$' }),
    granted: Type.Boolean(),
  },
  Closed,
);

/** A fault rule, as `POST /openrun/control/v1/faults` takes it. */
export const ScenarioFault = Type.Object(
  {
    route: Type.String({ pattern: '^(GET|POST|PUT|PATCH|DELETE) /', maxLength: 200 }),
    errcode: Type.Optional(Type.Integer()),
    delayMs: Type.Optional(Type.Integer({ minimum: 0, maximum: 60_000 })),
    drop: Type.Optional(Type.Literal(true)),
    times: Type.Optional(Type.Integer({ minimum: 1 })),
    probability: Type.Optional(Type.Number({ minimum: 0, maximum: 1 })),
  },
  Closed,
);

/** The whole scenario. */
export const Scenario = Type.Object(
  {
    clock: Type.Optional(
      Type.Object({ now: Type.Optional(Type.String({ minLength: 1, maxLength: 40 })), frozen: Type.Optional(Type.Boolean()) }, Closed),
    ),
    apps: Type.Optional(Type.Array(ScenarioApp)),
    users: Type.Optional(Type.Array(ScenarioUser)),
    grants: Type.Optional(Type.Array(ScenarioGrant)),
    faults: Type.Optional(Type.Array(ScenarioFault)),
  },
  Closed,
);
/** The whole scenario. */
export type Scenario = Static<typeof Scenario>;
