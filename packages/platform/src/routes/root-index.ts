/**
 * `GET /`: a browser (anything that does not ask for JSON) is sent to the dashboard at `/ui/`; a JSON client
 * (`accept: application/json`) gets an index of the API groups with their paths, taken from the OpenAPI document.
 */
import type { FastifyPluginAsync } from 'fastify';

/** One API group in the index. */
export interface ApiGroupIndex {
  name: string;
  prefix: string;
  paths: string[];
}

/** The JSON answer of `GET /`. */
export interface RootIndex {
  name: 'OpenRun';
  version: string;
  dashboard: string;
  openapi: string;
  groups: ApiGroupIndex[];
}

const GROUPS: { name: string; prefix: string; test: (path: string) => boolean }[] = [
  { name: 'control API', prefix: '/openrun/control/v1', test: (p) => p.startsWith('/openrun/control/v1/') },
  { name: 'runtime API', prefix: '/openrun/runtime/v1', test: (p) => p.startsWith('/openrun/runtime/v1/') },
  { name: 'cloud gateway', prefix: '/tcb/admin', test: (p) => p === '/tcb/admin' },
  { name: 'QQ developer API (api.q.qq.com)', prefix: '/qq', test: (p) => p.startsWith('/qq/') },
  { name: 'WeChat developer API (api.weixin.qq.com)', prefix: '/', test: () => true },
];

/** True when the client asks for JSON rather than a page. */
function wantsJson(accept: string | undefined): boolean {
  if (!accept) return false;
  return /application\/json/i.test(accept) && !/text\/html/i.test(accept);
}

/** Registers `GET /`. */
export const rootIndex: FastifyPluginAsync<{ version: string }> = async (app, opts) => {
  app.get('/', { schema: { hide: true } }, async (request, reply) => {
    if (!wantsJson(request.headers.accept)) return reply.redirect('/ui/');
    const paths = Object.keys((app.swagger() as { paths?: Record<string, unknown> }).paths ?? {}).sort();
    const groups = GROUPS.map((g) => ({ name: g.name, prefix: g.prefix, paths: [] as string[] }));
    for (const path of paths) groups[GROUPS.findIndex((g) => g.test(path))]!.paths.push(path);
    const body: RootIndex = { name: 'OpenRun', version: opts.version, dashboard: '/ui/', openapi: '/openrun/openapi.json', groups };
    return body;
  });
};
