/**
 * The control API (`/openrun/control/v1`): apps, users, steps (generate, import), grants, sessions, live records,
 * clock, faults, request log, export/import, scenario, reset. Needs
 * `Authorization: Bearer <control token>` unless the platform is known to listen on loopback addresses only.
 */
import type { FastifyPluginAsync } from 'fastify';
import { applyOpenRunPersonality } from '../shared/openrun-personality.js';
import { appsRoutes } from './apps.js';
import { clockRoutes } from './clock.js';
import { requireControlAccess } from './control-auth.js';
import { faultsRoutes } from './faults.js';
import { functionCallsRoute } from './function-calls.js';
import { grantsRoutes } from './grants.js';
import { liveRoutes } from './live.js';
import { requestsRoutes } from './requests.js';
import { resetRoute } from './reset.js';
import { scenarioRoutes } from './scenario.js';
import { sessionsRoutes } from './sessions.js';
import { stateRoutes } from './state.js';
import { stepsGenerateRoutes } from './steps-generate.js';
import { stepsImportRoutes } from './steps-import.js';
import { stepsRoutes } from './steps.js';
import { usersRoutes } from './users.js';

/** Registers the control API (mount with prefix `/openrun/control/v1`). */
export const controlApi: FastifyPluginAsync = async (app) => {
  applyOpenRunPersonality(app);
  requireControlAccess(app);
  await app.register(appsRoutes);
  await app.register(usersRoutes);
  await app.register(stepsRoutes);
  await app.register(grantsRoutes);
  await app.register(clockRoutes);
  await app.register(faultsRoutes);
  await app.register(stepsGenerateRoutes);
  await app.register(stepsImportRoutes);
  await app.register(sessionsRoutes);
  await app.register(liveRoutes);
  await app.register(requestsRoutes);
  await app.register(stateRoutes);
  await app.register(scenarioRoutes);
  await app.register(resetRoute);
  await app.register(functionCallsRoute);
};
