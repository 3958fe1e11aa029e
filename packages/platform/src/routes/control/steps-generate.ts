/**
 * Control API: generated step data. `POST /users/{id}/steps/generate` gives a user a realistic seeded history (whole
 * days written; today grows with the platform clock); `POST /users/generate` creates many users with histories, all or
 * nothing, committed in chunks (domain/generate-users.ts).
 */
import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { Type, type Static } from 'typebox';
import { generateUsers, MAX_GENERATED_USERS } from '../../domain/generate-users.js';
import { generateSteps } from '../../domain/steps.js';
import { StepDays, UserParams, UserView, userView } from './schemas.js';

const ModelFields = {
  seed: Type.Optional(Type.Integer({ minimum: 0, maximum: 4294967295 })),
  days: Type.Optional(Type.Integer({ minimum: 1, maximum: 3660 })),
};
const GenerateBody = Type.Object(
  {
    ...ModelFields,
    baseline: Type.Optional(Type.Integer({ minimum: 0, maximum: 60_000 })),
    weekendFactor: Type.Optional(Type.Number({ minimum: 0, maximum: 5 })),
    restDayChance: Type.Optional(Type.Number({ minimum: 0, maximum: 1 })),
  },
  { additionalProperties: false },
);
const GenerateUsersBody = Type.Object(
  {
    count: Type.Integer({ minimum: 1, maximum: MAX_GENERATED_USERS }),
    seed: ModelFields.seed,
    days: Type.Optional(Type.Integer({ minimum: 0, maximum: 3660 })),
    nickname: Type.Optional(Type.String({ minLength: 1, maxLength: 40 })),
  },
  { additionalProperties: false },
);

const GeneratedUsersView = Type.Object({
  created: Type.Integer(),
  chunks: Type.Integer({
    minimum: 1,
    description: 'how many transactions the users were committed in, one after another (readers may see the first before the reply; a failure undoes them all)',
  }),
  chunkSize: Type.Integer({ minimum: 1, description: 'most users one of those transactions held' }),
  users: Type.Array(UserView),
});
/** The 201 reply of `POST /users/generate`. */
export type GeneratedUsersReply = Static<typeof GeneratedUsersView>;

/** Registers the generate routes. */
export const stepsGenerateRoutes: FastifyPluginAsyncTypebox = async (app) => {
  app.post(
    '/users/:id/steps/generate',
    { schema: { params: UserParams, body: GenerateBody, response: { 200: StepDays } } },
    async (request) => ({ days: await generateSteps(app.openrun, request.params.id, request.body ?? {}) }),
  );
  app.post(
    '/users/generate',
    { schema: { body: GenerateUsersBody, response: { 201: GeneratedUsersView } } },
    async (request, reply) => {
      const { users, chunks, chunkSize } = await generateUsers(app.openrun, request.body);
      reply.code(201);
      return { created: users.length, chunks, chunkSize, users: users.map(userView) };
    },
  );
};
