/**
 * The cloud gateway (`POST /tcb/admin`), the emulated TCB admin endpoint that unmodified `wx-server-sdk` functions
 * talk to (`TCB_CONTEXT_CNFG` points here). Its own personality: always HTTP 200; failures are TCB error bodies
 * `{code, message, requestId}` in `application/json; charset=utf-8`, which the SDK turns into its errCode.
 * @see PROTOCOL.md §13.1
 */
import { CLOUD_GATEWAY_ERRORS } from '@openrun/core';
import multipart from '@fastify/multipart';
import type { FastifyError, FastifyPluginAsync, FastifyReply } from 'fastify';
import { CloudGatewayError } from '../../domain/cloud-functions/cloud-gateway-error.js';
import { newRequestId } from '../../domain/cloud-functions/run-cloud-function.js';
import { StoreUnavailableError } from '../../stores/store-unavailable.js';
import { FaultError } from '../../plugins/faults.js';
import { adminRoute } from './admin.js';

function sendTcbError(reply: FastifyReply, requestId: string, code: string, message: string): FastifyReply {
  return reply.code(200).type('application/json; charset=utf-8').send(JSON.stringify({ code, message, requestId }));
}

/** Registers the cloud gateway at the root. */
export const cloudGateway: FastifyPluginAsync = async (app) => {
  await app.register(multipart, {
    attachFieldsToBody: 'keyValues',
    limits: { fileSize: app.openrun.config.bodyLimit, fieldSize: app.openrun.config.bodyLimit, files: 4, fields: 32 },
  });
  app.setErrorHandler((error: FastifyError, request, reply) => {
    const requestId = newRequestId(app.openrun);
    if (error instanceof CloudGatewayError) {
      const entry = CLOUD_GATEWAY_ERRORS[error.errorName];
      return sendTcbError(reply, requestId, entry.code, error.detail ? `${entry.message}: ${error.detail}` : entry.message);
    }
    if (error instanceof FaultError || error instanceof StoreUnavailableError) return sendTcbError(reply, requestId, 'SYS_ERR', error.message);
    if (error.validation || (typeof error.statusCode === 'number' && error.statusCode < 500)) {
      return sendTcbError(reply, requestId, CLOUD_GATEWAY_ERRORS.INVALID_PARAM.code, error.message);
    }
    app.reportFailure(error, request);
    return sendTcbError(reply, requestId, 'SYS_ERR', '[openrun] unexpected failure in the cloud gateway; see the platform log');
  });
  await app.register(adminRoute);
};
