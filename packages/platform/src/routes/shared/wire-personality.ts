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
import { StoreUnavailableError } from '../../stores/store-unavailable.js';

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

function send(reply: FastifyReply, body: { errcode: number; errmsg: string }): FastifyReply {
  return reply.code(200).type(WIRE_CONTENT_TYPE).send(JSON.stringify(body));
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
    try {
      done(null, JSON.parse(text) as unknown);
    } catch {
      done(new BadJsonError(), undefined);
    }
  });

  app.addHook('onSend', async (_request, reply, payload) => {
    reply.header('content-type', WIRE_CONTENT_TYPE);
    return payload;
  });

  app.setErrorHandler((error: FastifyError, request, reply) => {
    const rid = app.openrun.ids.rid();
    if (error instanceof PlatformApiError) {
      const body = platformErrorBody(error.errorName, flavour, rid);
      if (error.detail) body.errmsg = formatErrmsg(`${PLATFORM_ERRORS[error.errorName][flavour]}: ${error.detail}`, rid);
      return send(reply, body);
    }
    if (error instanceof FaultError) {
      const name = platformErrorByCode(error.errcode);
      const text = name ? PLATFORM_ERRORS[name][flavour] : 'system error';
      return send(reply, { errcode: error.errcode, errmsg: formatErrmsg(text, rid) });
    }
    // Logged once per outage by the store guard, not per request.
    if (error instanceof StoreUnavailableError) return send(reply, platformErrorBody('SYSTEM_ERROR', flavour, rid));
    if (error instanceof EmptyBodyError) return send(reply, platformErrorBody('EMPTY_POST_DATA', flavour, rid));
    if (error instanceof BadJsonError || error.code === 'FST_ERR_CTP_BODY_TOO_LARGE') {
      return send(reply, platformErrorBody('DATA_FORMAT_ERROR', flavour, rid));
    }
    if (error.validation) {
      const target = validationTarget(error);
      const name = (target && request.routeOptions.config.paramErrors?.[target]) || 'DATA_FORMAT_ERROR';
      return send(reply, platformErrorBody(name, flavour, rid));
    }
    request.log.error({ err: error }, 'unexpected failure on a developer API route');
    return send(reply, platformErrorBody('SYSTEM_ERROR', flavour, rid));
  });

  app.setNotFoundHandler((request, reply) => {
    const rid = app.openrun.ids.rid();
    reply.code(404);
    return reply
      .type(WIRE_CONTENT_TYPE)
      .send(JSON.stringify({ errcode: 404, errmsg: formatErrmsg(`[openrun] no developer API at ${request.method} ${request.url.split('?')[0]}`, rid) }));
  });
}

/** Registers `METHOD path` answering 43002 require POST method (for POST-only endpoints). */
export function requirePost(app: FastifyInstance, path: string): void {
  app.get(path, { config: { operation: `GET ${path}` } }, async () => {
    throw new PlatformApiError('REQUIRE_POST');
  });
}
