/**
 * Control API: fault rules. `{"route":"GET /sns/jscode2session","errcode":-1,"times":1}` makes the next call of that
 * route answer -1; `delayMs` waits first; `drop` closes the connection. Newest rule first; GET shows use counts.
 * The route may be a concrete path or use `{param}` / `:param`; it is stored as the route's operation key.
 */
import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { Type, type Static } from 'typebox';
import { OpenRunApiError } from '../../domain/errors.js';
import { normaliseFaultRoute } from '../../domain/fault-route.js';
import type { FaultAction } from '../../plugins/faults.js';

const NewFault = Type.Object(
  {
    route: Type.String({ pattern: '^(GET|POST|PUT|PATCH|DELETE) /', maxLength: 200 }),
    errcode: Type.Optional(Type.Integer()),
    delayMs: Type.Optional(Type.Integer({ minimum: 0, maximum: 60_000 })),
    drop: Type.Optional(Type.Literal(true)),
    times: Type.Optional(Type.Integer({ minimum: 1 })),
    probability: Type.Optional(Type.Number({ minimum: 0, maximum: 1 })),
  },
  { additionalProperties: false },
);
const FaultView = Type.Object({
  id: Type.String(),
  route: Type.String(),
  action: Type.Union([
    Type.Object({ errcode: Type.Integer() }),
    Type.Object({ delayMs: Type.Integer() }),
    Type.Object({ drop: Type.Literal(true) }),
  ]),
  times: Type.Optional(Type.Integer()),
  probability: Type.Optional(Type.Number()),
  uses: Type.Integer(),
});
/** A fault rule as the control API shows it. */
export type FaultView = Static<typeof FaultView>;

/** Registers the fault routes. */
export const faultsRoutes: FastifyPluginAsyncTypebox = async (app) => {
  app.post('/faults', { schema: { body: NewFault, response: { 201: FaultView } } }, async (request, reply) => {
    const { route, errcode, delayMs, drop, times, probability } = request.body;
    const actions: FaultAction[] = [
      ...(errcode !== undefined ? [{ errcode }] : []),
      ...(delayMs !== undefined ? [{ delayMs }] : []),
      ...(drop ? [{ drop: true as const }] : []),
    ];
    if (actions.length !== 1) throw new OpenRunApiError('VALIDATION', 'a fault needs exactly one of errcode, delayMs or drop');
    reply.code(201);
    return await app.faults.add({ route: normaliseFaultRoute(app.openrun.operations, route), action: actions[0]!, ...(times !== undefined ? { times } : {}), ...(probability !== undefined ? { probability } : {}) });
  });
  app.get('/faults', { schema: { response: { 200: Type.Object({ faults: Type.Array(FaultView) }) } } }, async () => ({
    faults: await app.faults.list(),
  }));
  app.delete('/faults', async (_request, reply) => {
    await app.faults.clear();
    return reply.code(204).send();
  });
  app.delete('/faults/:id', { schema: { params: Type.Object({ id: Type.String({ maxLength: 64 }) }) } }, async (request, reply) => {
    if (!(await app.faults.remove(request.params.id))) throw new OpenRunApiError('VALIDATION', `no fault has id "${request.params.id}"`);
    return reply.code(204).send();
  });
};
