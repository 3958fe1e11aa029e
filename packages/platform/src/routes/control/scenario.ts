/**
 * Control API: `POST /scenario` replaces the whole state with a scenario (the JSON form of a scenario file: apps,
 * users with literal or generated histories, grants, faults, clock), after checking all of it.
 */
import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { Type } from 'typebox';
import { applyScenario } from '../../domain/scenario/apply-scenario.js';
import { AppView, appView, UserView, userView } from './schemas.js';

/** Registers the scenario route. */
export const scenarioRoutes: FastifyPluginAsyncTypebox = async (app) => {
  app.post(
    '/scenario',
    {
      schema: {
        body: Type.Unknown({ description: 'a scenario: {clock?, apps?, users?, grants?, faults?} (see the scenario file format)' }),
        response: { 200: Type.Object({ apps: Type.Array(AppView), users: Type.Array(UserView) }) },
      },
    },
    async (request) => {
      const applied = await applyScenario(app.openrun, request.body, 'scenario');
      return { apps: applied.apps.map(appView), users: applied.users.map(userView) };
    },
  );
};
