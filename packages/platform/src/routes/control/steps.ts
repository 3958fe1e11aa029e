/**
 * Control API: a user's step history, one count per China-time day. PUT writes the given days in one transaction
 * (others stay); GET reads a range, by default the 31-day window ending today on the platform clock.
 */
import { stepWindowBounds } from '@openrun/core';
import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { Type } from 'typebox';
import { getSteps, putSteps } from '../../domain/steps.js';
import { StepDays, UserParams } from './schemas.js';

const RangeQuery = Type.Object({
  from: Type.Optional(Type.String({ maxLength: 10 })),
  to: Type.Optional(Type.String({ maxLength: 10 })),
});

/** Registers the step routes. */
export const stepsRoutes: FastifyPluginAsyncTypebox = async (app) => {
  const range = (from?: string, to?: string): [string, string] => {
    const [first, last] = stepWindowBounds(app.openrun.clock.nowSeconds(), app.openrun.config.stepDays);
    return [from ?? first, to ?? last];
  };
  app.put(
    '/users/:id/steps',
    { schema: { params: UserParams, body: StepDays, response: { 200: StepDays } } },
    async (request) => {
      await putSteps(app.openrun, request.params.id, request.body.days);
      const dates = request.body.days.map((d) => d.date).sort();
      if (dates.length === 0) return { days: [] };
      return { days: await getSteps(app.openrun, request.params.id, dates[0]!, dates.at(-1)!) };
    },
  );
  app.get(
    '/users/:id/steps',
    { schema: { params: UserParams, querystring: RangeQuery, response: { 200: StepDays } } },
    async (request) => {
      const [from, to] = range(request.query.from, request.query.to);
      return { days: await getSteps(app.openrun, request.params.id, from, to) };
    },
  );
};
