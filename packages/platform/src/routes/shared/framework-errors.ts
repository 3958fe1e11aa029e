/**
 * Fastify's `frameworkErrors`: failures the router meets before any route runs (a broken %-escape, a path segment
 * over the length limit) answered in the wire format of the route group the path belongs to. Fastify allows this
 * handler only at the root, so the groups are told apart by the prefixes they are mounted at.
 */
import { flavourOf, formatErrmsg, PLATFORM_ERRORS, type PlatformErrorName } from '@openrun/core';
import type { FastifyError, FastifyReply, FastifyRequest } from 'fastify';
import { sendOpenRunError } from './openrun-personality.js';
import { WIRE_CONTENT_TYPE } from './wire-personality.js';

/** Prefixes of the groups with OpenRun's own error shape; every other path belongs to a developer API. */
const OPENRUN_PREFIXES = ['/openrun/', '/ui/', '/ui'];

function pathOf(request: FastifyRequest): string {
  return (request.raw.url ?? '/').split('?')[0]!;
}

/** Answers a routing failure in the shape of its route group (use as Fastify's `frameworkErrors` option). */
export function replyToFrameworkError(error: FastifyError, request: FastifyRequest, reply: FastifyReply): void {
  const path = pathOf(request);
  const tooLong = error.code === 'FST_ERR_MAX_PARAM_LENGTH';
  const shown = path.length > 80 ? `${path.slice(0, 77)}...` : path;
  if (OPENRUN_PREFIXES.some((prefix) => path === prefix || path.startsWith(prefix))) {
    const message = tooLong
      ? `a path segment of ${shown} is longer than 600 characters`
      : `the path ${shown} has a broken %-escape (a "%" must be followed by two hex digits)`;
    // The runtime API is called from browser builds: its errors carry the CORS header its routes send.
    if (path.startsWith('/openrun/runtime/')) reply.header('access-control-allow-origin', '*');
    void sendOpenRunError(reply, tooLong ? 'URL_TOO_LONG' : 'BAD_URL', message);
    return;
  }
  const name: PlatformErrorName = 'INVALID_URL';
  const flavour = flavourOf(path.startsWith('/qq/') ? 'qq' : 'weapp');
  const rid = request.server.openrun.ids.rid();
  const body = JSON.stringify({ errcode: PLATFORM_ERRORS[name].errcode, errmsg: formatErrmsg(PLATFORM_ERRORS[name][flavour], rid) });
  // No route runs, so no group hook fixes the content type: a Buffer keeps it exactly the real hosts' (Fastify would
  // add a charset to a string body).
  void reply.code(200).header('content-type', WIRE_CONTENT_TYPE).send(Buffer.from(body));
}
