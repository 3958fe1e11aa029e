/**
 * The personality of OpenRun's own APIs (runtime and control): a real HTTP status and
 * `{error: {code, message, errMsg?}}`, for domain errors, schema failures, oversized bodies and unknown routes.
 */
import { OPENRUN_ERRORS, type OpenRunErrorBody, type OpenRunErrorName, type RuntimePrompt } from '@openrun/core';
import type { FastifyError, FastifyInstance, FastifyReply } from 'fastify';
import { OpenRunApiError } from '../../domain/errors.js';
import { findNulCharacter, jsonMayHoldNul, NUL_PROBLEM } from '../../domain/nul-character.js';
import { FaultError } from '../../plugins/faults.js';
import { StoreUnavailableError } from '../../stores/store-unavailable.js';
import { jsonNestsDeeperThan, JsonTooDeepError } from './json-body.js';

declare module 'fastify' {
  interface FastifyContextConfig {
    /** The client API a runtime route plays (`getWeRunData`), for the errMsg of schema failures. */
    api?: string;
  }
}

/** Writes an OpenRun API error reply. */
export function sendOpenRunError(
  reply: FastifyReply,
  name: OpenRunErrorName,
  message: string,
  errMsg?: string,
  errCode?: number,
  prompt?: RuntimePrompt,
): FastifyReply {
  const body: OpenRunErrorBody = {
    error: {
      code: OPENRUN_ERRORS[name].code,
      message,
      ...(errMsg ? { errMsg } : {}),
      ...(errCode !== undefined ? { errCode } : {}),
      ...(prompt ? { prompt } : {}),
    },
  };
  return reply.code(OPENRUN_ERRORS[name].status).type('application/json; charset=utf-8').send(JSON.stringify(body));
}

/** Applies OpenRun's error personality to the route group `app`, and bounds the depth of its JSON bodies. */
export function applyOpenRunPersonality(app: FastifyInstance): void {
  const defaultJson = app.getDefaultJsonParser('error', 'error');
  app.removeContentTypeParser('application/json');
  app.addContentTypeParser('application/json', { parseAs: 'string' }, (request, body, done) => {
    const text = String(body);
    if (jsonNestsDeeperThan(text)) return done(new JsonTooDeepError(), undefined);
    if (!jsonMayHoldNul(text)) return defaultJson(request, text, done);
    defaultJson(request, text, (error, value) => {
      const at = error ? undefined : findNulCharacter(value, 'body');
      if (at !== undefined) return done(new OpenRunApiError('VALIDATION', `${at} ${NUL_PROBLEM}`), undefined);
      done(error, value);
    });
  });
  app.setErrorHandler((error: FastifyError, request, reply) => {
    const api = request.routeOptions.config.api;
    if (error instanceof OpenRunApiError) {
      return sendOpenRunError(reply, error.errorName, error.message, error.errMsg, error.errCode, error.prompt);
    }
    if (error instanceof FaultError) {
      return reply.code(503).send({ error: { code: 'OR_ERR_FAULT_INJECTED', message: error.message, errMsg: api ? `${api}:fail system error` : undefined } });
    }
    // Logged once per outage by the store guard, not per request.
    if (error instanceof StoreUnavailableError) {
      return sendOpenRunError(reply, 'STORE_UNAVAILABLE', error.message, api ? `${api}:fail system error` : undefined);
    }
    if (error.validation) {
      const message = `request ${error.validationContext ?? 'input'} is invalid: ${error.message}`;
      return sendOpenRunError(reply, 'VALIDATION', message, api ? `${api}:fail parameter error: ${error.message}` : undefined);
    }
    if (error.code === 'FST_ERR_CTP_BODY_TOO_LARGE') return sendOpenRunError(reply, 'BODY_TOO_LARGE', 'the request body is too large');
    if (typeof error.statusCode === 'number' && error.statusCode >= 400 && error.statusCode < 500) {
      return sendOpenRunError(reply, 'VALIDATION', error.message);
    }
    app.reportFailure(error, request);
    return sendOpenRunError(reply, 'INTERNAL', 'unexpected failure inside OpenRun; see the platform log');
  });
  app.setNotFoundHandler((request, reply) =>
    sendOpenRunError(reply, 'ROUTE_NOT_FOUND', `no OpenRun API route ${request.method} ${request.url.split('?')[0]}`),
  );
}

/** The bearer token of a request, if any. */
export function bearerToken(authorization: string | undefined): string | undefined {
  const m = /^Bearer\s+(\S+)$/i.exec(authorization ?? '');
  return m?.[1];
}
