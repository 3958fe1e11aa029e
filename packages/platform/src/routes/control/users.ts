/**
 * Control API: users — people with a device token, a WeRun switch, a step counter and an answer for consent dialogs.
 * `GET /users` pages through them in creation order (`limit`, `cursor`, `q` = id or device-token prefix, exact case,
 * or nickname prefix without ASCII case; a prefix shared by very many users may give a short page that has a next);
 * `DELETE /users/{id}` removes one with the history, openids, sessions and grants.
 */
import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { Type } from 'typebox';
import { nextCursorOf, readPageQuery } from '../../domain/page-cursor.js';
import { createUser, deleteUser, requireUser, updateUser } from '../../domain/users.js';
import { NextCursor, PageQuery, PromptAnswer, UserParams, UserView, userView } from './schemas.js';

const UserSettings = {
  nickname: Type.Optional(Type.String({ minLength: 1, maxLength: 100 })),
  werunEnabled: Type.Optional(Type.Boolean()),
  hasStepCounter: Type.Optional(Type.Boolean()),
  promptAnswer: Type.Optional(PromptAnswer),
};
const NewUserBody = Type.Object(UserSettings, { additionalProperties: false });
const UserPatchBody = Type.Object(UserSettings, { additionalProperties: false });
const UsersQuery = Type.Object(
  {
    ...PageQuery.properties,
    q: Type.Optional(Type.String({ minLength: 1, maxLength: 100, description: 'prefix of the id or device token (exact case) or of the nickname (ASCII letters in either case)' })),
  },
  { additionalProperties: false },
);
const UsersPage = Type.Object({ users: Type.Array(UserView), nextCursor: NextCursor });

/** Registers the user routes. */
export const usersRoutes: FastifyPluginAsyncTypebox = async (app) => {
  app.post('/users', { schema: { body: NewUserBody, response: { 201: UserView } } }, async (request, reply) => {
    reply.code(201);
    return userView(await createUser(app.openrun, request.body ?? {}));
  });
  app.get('/users', { schema: { querystring: UsersQuery, response: { 200: UsersPage } } }, async (request) => {
    const { q } = request.query;
    const page = await app.openrun.durable.listUsers({ ...readPageQuery('users', request.query, q ?? ''), prefix: q });
    return { users: page.items.map(userView), ...nextCursorOf('users', page.next, q ?? '') };
  });
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
