/**
 * The wire personality of the WeChat and QQ developer APIs, applied inside a route group's own scope: HTTP 200 with
 * `{errcode, errmsg: "<text>, rid: <rid>"}` for every failure, bodies read as JSON whatever the content type, and
 * schema failures turned into the platform's errcode for the missing or bad parameter.
 * @see PROTOCOL.md §8.3, §18
 */
import {
  flavourOf,
  formatErrmsg,
  PLATFORM_ERRORS,
  platformErrorBody,
  platformErrorByCode,
  type Flavour,
  type MiniProgramPlatform,
  type PlatformErrorName,
} from '@openrun/core';
import type { FastifyError, FastifyInstance, FastifyReply } from 'fastify';
import { PlatformApiError } from '../../domain/errors.js';
import { FaultError } from '../../plugins/faults.js';
import { replyIsJsonOf } from '../../plugins/request-log.js';
import { StoreUnavailableError } from '../../stores/store-unavailable.js';
import { jsonNestsDeeperThan } from './json-body.js';

declare module 'fastify' {
  interface FastifyContextConfig {
    /** Which platform error a schema failure of each parameter becomes (default 47001 data format error). */
    paramErrors?: Record<string, PlatformErrorName>;
  }
}

/** The content type the real hosts answer with. */
export const WIRE_CONTENT_TYPE = 'application/json; encoding=utf-8';

class EmptyBodyError extends Error {}
class BadJsonError extends Error {}

/**
 * Writes a developer-API reply: HTTP 200 and the JSON body, in the real hosts' content type. A route whose reply holds
 * long strings (getopendata's `json` texts) sends it this way too: JSON.stringify escapes them natively, several times
 * faster than the schema serializer's loop. `text`, when given, is JSON.stringify(body) written already.
 */
export function sendWire(reply: FastifyReply, body: { errcode: number; errmsg: string }, text = JSON.stringify(body)): FastifyReply {
  replyIsJsonOf(reply.request, body);
  return reply.code(200).type(WIRE_CONTENT_TYPE).send(text);
}

function validationTarget(error: FastifyError): string | undefined {
  const first = error.validation?.[0];
  if (!first) return undefined;
  const missing = (first.params as { missingProperty?: unknown } | undefined)?.missingProperty;
  if (typeof missing === 'string') return missing;
  return first.instancePath.split('/')[1];
}

/** Applies the WeChat/QQ wire personality to the route group `app` (call inside the group's plugin). */
export function applyWirePersonality(app: FastifyInstance, platform: MiniProgramPlatform): void {
  const flavour: Flavour = flavourOf(platform);

  app.removeAllContentTypeParsers();
  app.addContentTypeParser('*', { parseAs: 'string' }, (_request, body, done) => {
    const text = String(body);
    if (text.trim() === '') return done(new EmptyBodyError(), undefined);
    if (jsonNestsDeeperThan(text)) return done(new BadJsonError(), undefined);
    try {
      done(null, JSON.parse(text) as unknown);
    } catch {
      done(new BadJsonError(), undefined);
    }
  });

  // The real hosts read the body as JSON whatever its content type says, even one that does not parse
  // ("application/json, text/plain"), so the declared type is replaced before Fastify would refuse it.
  app.addHook('onRequest', (request, _reply, done) => {
    if (request.headers['content-type'] !== undefined) request.headers['content-type'] = 'application/json';
    done();
  });

  app.addHook('onSend', (_request, reply, payload, done) => {
    reply.header('content-type', WIRE_CONTENT_TYPE);
    done(null, payload);
  });

  app.setErrorHandler((error: FastifyError, request, reply) => {
    const rid = app.openrun.ids.rid();
    if (error instanceof PlatformApiError) {
      const body = platformErrorBody(error.errorName, flavour, rid);
      if (error.detail) body.errmsg = formatErrmsg(`${PLATFORM_ERRORS[error.errorName][flavour]}: ${error.detail}`, rid);
      return sendWire(reply, body);
    }
    if (error instanceof FaultError) {
      const name = platformErrorByCode(error.errcode);
      const text = name ? PLATFORM_ERRORS[name][flavour] : 'system error';
      return sendWire(reply, { errcode: error.errcode, errmsg: formatErrmsg(text, rid) });
    }
    // Logged once per outage by the store guard, not per request.
    if (error instanceof StoreUnavailableError) return sendWire(reply, platformErrorBody('SYSTEM_ERROR', flavour, rid));
    if (error instanceof EmptyBodyError) return sendWire(reply, platformErrorBody('EMPTY_POST_DATA', flavour, rid));
    if (error instanceof BadJsonError || error.code === 'FST_ERR_CTP_BODY_TOO_LARGE') {
      return sendWire(reply, platformErrorBody('DATA_FORMAT_ERROR', flavour, rid));
    }
    if (error.validation) {
      const target = validationTarget(error);
      const paramErrors = request.routeOptions.config.paramErrors;
      const name = (target && paramErrors && Object.hasOwn(paramErrors, target) && paramErrors[target]) || 'DATA_FORMAT_ERROR';
      return sendWire(reply, platformErrorBody(name, flavour, rid));
    }
    // Any other framework refusal of the request (its body, its headers) is the client's mistake: an unreadable body.
    if (typeof error.statusCode === 'number' && error.statusCode >= 400 && error.statusCode < 500) {
      return sendWire(reply, platformErrorBody('DATA_FORMAT_ERROR', flavour, rid));
    }
    app.reportFailure(error, request);
    return sendWire(reply, platformErrorBody('SYSTEM_ERROR', flavour, rid));
  });

  app.setNotFoundHandler((request, reply) => {
    const rid = app.openrun.ids.rid();
    reply.code(404);
    return reply
      .type(WIRE_CONTENT_TYPE)
      .send(JSON.stringify({ errcode: 404, errmsg: formatErrmsg(`[openrun] no developer API at ${request.method} ${requestedPath(request.originalUrl)}`, rid) }));
  });
}

/** The path a client asked for (before host routing), without origin or query. */
function requestedPath(url: string): string {
  return url.replace(/^https?:\/\/[^/]*/i, '').split('?')[0] || '/';
}

/** Registers `METHOD path` answering 43002 require POST method (for POST-only endpoints). */
export function requirePost(app: FastifyInstance, path: string): void {
  app.get(path, { config: { operation: `GET ${path}` } }, async () => {
    throw new PlatformApiError('REQUIRE_POST');
  });
}
