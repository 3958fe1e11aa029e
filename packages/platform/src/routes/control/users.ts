/**
 * Control API: users — people with a device token, a WeRun switch, a step counter and an answer for consent dialogs.
 * `DELETE /users/{id}` removes one with the history, openids, sessions and grants.
 */
import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { Type } from 'typebox';
import { createUser, deleteUser, requireUser, updateUser } from '../../domain/users.js';
import { PromptAnswer, UserParams, UserView, userView } from './schemas.js';

const UserSettings = {
  nickname: Type.Optional(Type.String({ minLength: 1, maxLength: 100 })),
  werunEnabled: Type.Optional(Type.Boolean()),
  hasStepCounter: Type.Optional(Type.Boolean()),
  promptAnswer: Type.Optional(PromptAnswer),
};
const NewUserBody = Type.Object(UserSettings, { additionalProperties: false });
const UserPatchBody = Type.Object(UserSettings, { additionalProperties: false });

/** Registers the user routes. */
export const usersRoutes: FastifyPluginAsyncTypebox = async (app) => {
  app.post('/users', { schema: { body: NewUserBody, response: { 201: UserView } } }, async (request, reply) => {
    reply.code(201);
    return userView(await createUser(app.openrun, request.body ?? {}));
  });
  app.get('/users', { schema: { response: { 200: Type.Object({ users: Type.Array(UserView) }) } } }, async () => ({
    users: (await app.openrun.durable.listUsers()).map(userView),
  }));
  app.get('/users/:id', { schema: { params: UserParams, response: { 200: UserView } } }, async (request) =>
    userView(await requireUser(app.openrun, request.params.id)),
  );
  app.patch('/users/:id', { schema: { params: UserParams, body: UserPatchBody, response: { 200: UserView } } }, async (request) =>
    userView(await updateUser(app.openrun, request.params.id, request.body)),
  );
  app.delete('/users/:id', { schema: { params: UserParams } }, async (request, reply) => {
    await deleteUser(app.openrun, request.params.id);
    return reply.code(204).send();
  });
};
