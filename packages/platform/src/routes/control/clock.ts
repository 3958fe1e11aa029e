/**
 * Control API: the platform clock. Freeze it, set it to any instant (ISO-8601 or epoch ms, backwards too), advance it.
 */
import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { Type, type Static } from 'typebox';
import { clockInstantProblem, type ClockState } from '../../domain/clock.js';
import { OpenRunApiError } from '../../domain/errors.js';

const ClockView = Type.Object({ now: Type.String({ format: 'date-time' }), nowMs: Type.Integer(), frozen: Type.Boolean() });
/** The clock as the control API shows it. */
export type ClockView = Static<typeof ClockView>;
const SetBody = Type.Object(
  {
    now: Type.Optional(Type.Union([Type.String({ minLength: 1, maxLength: 40 }), Type.Integer({ minimum: 0, maximum: 8.64e15 })])),
    frozen: Type.Optional(Type.Boolean()),
  },
  { additionalProperties: false },
);
const AdvanceBody = Type.Object({ seconds: Type.Number({ minimum: -3.15e9, maximum: 3.15e9 }) }, { additionalProperties: false });

const view = (s: ClockState) => ({ now: new Date(s.nowMs).toISOString(), nowMs: s.nowMs, frozen: s.frozen });

function parseInstant(now: string | number): number {
  const ms = typeof now === 'number' ? now : Date.parse(now);
  if (!Number.isFinite(ms) || Number.isNaN(new Date(ms).getTime())) {
    throw new OpenRunApiError('VALIDATION', `"${now}" is not an ISO-8601 instant or epoch milliseconds`);
  }
  return requireClockInstant(ms);
}

/** The instant, or a 400 saying why the clock cannot show it. */
function requireClockInstant(ms: number): number {
  const problem = clockInstantProblem(ms);
  if (problem) throw new OpenRunApiError('VALIDATION', `the clock cannot be set there: ${problem}`);
  return ms;
}

/** Registers the clock routes. */
export const clockRoutes: FastifyPluginAsyncTypebox = async (app) => {
  const clock = app.openrun.clock;
  app.get('/clock', { schema: { response: { 200: ClockView } } }, async () => view(clock.state()));
  app.put('/clock', { schema: { body: SetBody, response: { 200: ClockView } } }, async (request) => {
    const { now, frozen } = request.body;
    return view(await clock.set({ ...(now !== undefined ? { nowMs: parseInstant(now) } : {}), ...(frozen !== undefined ? { frozen } : {}) }));
  });
  app.post('/clock/advance', { schema: { body: AdvanceBody, response: { 200: ClockView } } }, async (request) => {
    requireClockInstant(clock.now() + Math.round(request.body.seconds * 1000));
    return view(await clock.advance(request.body.seconds));
  });
};
