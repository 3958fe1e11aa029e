import { expect, it } from 'vitest';
import { normaliseFaultRoute } from './fault-route.js';

const OPS = new Set([
  'GET /sns/jscode2session',
  'GET /qq/sns/jscode2session',
  'POST /openrun/runtime/v1/apps/:appid/werun',
  'POST /openrun/runtime/v1/apps/:appid/functions/:name',
]);

it('normalises a concrete path, {param} and :param to the operation, and refuses anything else listing the routes', () => {
  const werun = 'POST /openrun/runtime/v1/apps/:appid/werun';
  expect(normaliseFaultRoute(OPS, 'POST /openrun/runtime/v1/apps/wx0123456789abcdef/werun')).toBe(werun);
  expect(normaliseFaultRoute(OPS, 'POST /openrun/runtime/v1/apps/{appid}/werun')).toBe(werun);
  expect(normaliseFaultRoute(OPS, 'post /openrun/runtime/v1/apps/:id/werun/')).toBe(werun);
  expect(normaliseFaultRoute(OPS, 'GET /sns/jscode2session?appid=x')).toBe('GET /sns/jscode2session');
  expect(normaliseFaultRoute(OPS, 'POST /openrun/runtime/v1/apps/{appid}/functions/sum')).toBe('POST /openrun/runtime/v1/apps/:appid/functions/:name');
  for (const bad of ['GET /nope', 'POST /sns/jscode2session', 'GET /sns/{x}', 'POST /openrun/runtime/v1/apps//werun', 'jscode2session']) {
    expect(() => normaliseFaultRoute(OPS, bad), bad).toThrow(/use one of: .*GET \/qq\/sns\/jscode2session, GET \/sns\/jscode2session/);
  }
});
