// The route fuzzer shared by the fuzz test (packages/platform/test/regressions/10-fuzz-routes.test.ts, a bounded run
// through inject) and bench/fuzz-routes.mjs (a longer run over real HTTP). It turns the platform's OpenAPI document,
// plus the developer API routes the document hides, into fast-check arbitraries of hostile requests — real and
// hostile path values (__proto__, constructor, broken %-escapes, 700-character segments), query strings, bodies
// shaped like the route's schema with hostile keys, deep and huge JSON, invalid UTF-8 and wrong content types — and
// checks every reply: no 5xx, and the shape of its route group.
import fc from 'fast-check';

/** Routes the OpenAPI document does not list (hidden) but that are part of the developer API. */
export const HIDDEN_DEVELOPER_ROUTES = [{ method: 'POST', path: '/tcb/admin', params: [], query: [], bodySchema: undefined }];

const HOSTILE_KEYS = ['__proto__', 'constructor', 'prototype', 'toString', 'hasOwnProperty', 'valueOf', '__defineGetter__'];
const HOSTILE_SEGMENTS = ['__proto__', 'constructor', '%zz', '%', '%E0%A4%A', '..', '%2e%2e', 'a'.repeat(700), '%00', '💥', ' ', '%20', 'null', '-1'];
const CONTENT_TYPES = [
  'application/json',
  'application/json; charset=utf-8',
  'application/json, text/plain',
  'text/plain',
  'application/x-www-form-urlencoded',
  'multipart/form-data; boundary=x',
  'application/xml',
  ';;;',
  'application/json; charset=latin1',
  undefined,
];

/** The operations of an OpenAPI document: method, path template, path and query parameter names, JSON body schema. */
export function operationsOf(openapi) {
  const ops = [];
  for (const [path, methods] of Object.entries(openapi.paths ?? {})) {
    for (const [method, op] of Object.entries(methods)) {
      if (method === 'options' || path.includes('{*}')) continue;
      const parameters = op.parameters ?? [];
      ops.push({
        method: method.toUpperCase(),
        path,
        params: parameters.filter((p) => p.in === 'path').map((p) => p.name),
        query: parameters.filter((p) => p.in === 'query').map((p) => p.name),
        bodySchema: op.requestBody?.content?.['application/json']?.schema,
      });
    }
  }
  return [...ops, ...HIDDEN_DEVELOPER_ROUTES];
}

const smallInt = fc.oneof(fc.integer({ min: -2, max: 40 }), fc.constantFrom(-1, 0, 2 ** 31, 2 ** 53, -(2 ** 53), 1e308, 0.5, -0.0005));
const hostileString = fc.oneof(
  fc.string({ maxLength: 20 }),
  fc.constantFrom(...HOSTILE_KEYS, '', ' ', '\u0000', '\ud800', 'scope.werun', 'scope.constructor', 'GET /nope', '2026-02-30', '9999-99-99'),
  fc.string({ unit: 'grapheme', maxLength: 10 }),
);
const anyJson = fc.jsonValue({ maxDepth: 3 });

/** A value shaped like `schema` (loosely: right type most of the time, hostile edges often). */
function valueFor(schema, depth = 0) {
  if (!schema || depth > 4) return anyJson;
  const alternatives = schema.anyOf ?? schema.oneOf;
  if (alternatives) return fc.oneof(...alternatives.map((s) => valueFor(s, depth + 1)));
  if (schema.const !== undefined) return fc.oneof(fc.constant(schema.const), hostileString);
  if (schema.enum) return fc.oneof(fc.constantFrom(...schema.enum), hostileString);
  switch (schema.type) {
    case 'object': {
      const props = Object.entries(schema.properties ?? {});
      const record = {};
      for (const [k, s] of props) record[k] = valueFor(s, depth + 1);
      return fc.oneof(
        { weight: 3, arbitrary: fc.record(record, { requiredKeys: [] }) },
        { weight: 1, arbitrary: fc.dictionary(fc.constantFrom(...HOSTILE_KEYS, ...props.map(([k]) => k)), anyJson, { maxKeys: 4 }) },
      );
    }
    case 'array':
      return fc.oneof(fc.array(valueFor(schema.items, depth + 1), { maxLength: 6 }), anyJson);
    case 'string':
      return fc.oneof(hostileString, fc.string({ minLength: 0, maxLength: 40 }));
    case 'integer':
    case 'number':
      return fc.oneof({ weight: 4, arbitrary: smallInt }, { weight: 1, arbitrary: hostileString });
    case 'boolean':
      return fc.oneof(fc.boolean(), fc.constantFrom('true', 1, null));
    default:
      return anyJson;
  }
}

/** A JSON text with hostile keys defined as own properties (JSON.stringify cannot write "__proto__" as a key). */
const hostileKeysBody = fc
  .array(fc.tuple(fc.constantFrom(...HOSTILE_KEYS), anyJson), { minLength: 1, maxLength: 4 })
  .map((pairs) => `{${pairs.map(([k, v]) => `${JSON.stringify(k)}:${JSON.stringify(v)}`).join(',')}}`);

/** A request body: schema-shaped JSON, hostile keys, deep or huge JSON, invalid UTF-8, or not JSON at all. */
function bodyFor(op) {
  return fc.oneof(
    { weight: 5, arbitrary: valueFor(op.bodySchema).map((v) => JSON.stringify(v) ?? 'null') },
    { weight: 2, arbitrary: hostileKeysBody },
    { weight: 1, arbitrary: fc.integer({ min: 50, max: 6000 }).map((d) => `${'['.repeat(d)}${']'.repeat(d)}`) },
    { weight: 1, arbitrary: fc.integer({ min: 50, max: 6000 }).map((d) => `${'{"a":'.repeat(d)}1${'}'.repeat(d)}`) },
    { weight: 1, arbitrary: fc.integer({ min: 1000, max: 20000 }).map((n) => JSON.stringify({ items: Array.from({ length: n }, (_, i) => i) })) },
    { weight: 1, arbitrary: fc.constantFrom(900_000, 1_100_000).map((n) => `"${'x'.repeat(n)}"`) },
    { weight: 1, arbitrary: fc.uint8Array({ minLength: 1, maxLength: 64 }).map((bytes) => Buffer.concat([Buffer.from('{"a":"'), Buffer.from([0xff, 0xfe, ...bytes]), Buffer.from('"}')])) },
    { weight: 1, arbitrary: fc.constantFrom('', ' ', 'this is not json', 'null', '[1,2]', '{"a":1', 'a=1&b=2', '<xml/>', '\u0000') },
  );
}

/** A path value: the real one (from the run's fixtures) most of the time, else a hostile or random segment. */
const pathValue = (name) =>
  fc.oneof(
    { weight: 4, arbitrary: fc.constant({ fixture: name }) },
    { weight: 2, arbitrary: fc.constantFrom(...HOSTILE_SEGMENTS) },
    { weight: 1, arbitrary: fc.string({ minLength: 1, maxLength: 12 }).map(encodeURIComponent) },
  );

const queryValue = (name) =>
  fc.oneof({ weight: 3, arbitrary: fc.constant({ fixture: name }) }, { weight: 2, arbitrary: hostileString }, { weight: 1, arbitrary: fc.constantFrom('%zz', '%', 'a'.repeat(3000)) });

/** The arbitrary of one operation's requests (abstract: fixture values are filled in by `materialise`). */
export function requestsFor(op) {
  const params = fc.record(Object.fromEntries(op.params.map((p) => [p, pathValue(p)])));
  const query = fc.array(fc.tuple(fc.constantFrom(...(op.query.length ? op.query : ['x']), ...HOSTILE_KEYS), queryValue('q')), { maxLength: 6 });
  const queryFull = op.query.length ? fc.oneof(query, fc.constant(op.query.map((q) => [q, { fixture: q }]))) : query;
  const hasBody = op.method !== 'GET' && op.method !== 'DELETE';
  return fc.record({
    params,
    query: queryFull,
    body: hasBody ? fc.option(bodyFor(op), { freq: 8 }) : fc.constant(null),
    contentType: fc.constantFrom(...CONTENT_TYPES),
    auth: fc.constantFrom('device', 'none', 'garbage'),
  });
}

/** Fills a generated request with the fixtures of the running platform: a real request to send. */
export function materialise(op, generated, fixtures) {
  const value = (v, name) => (v && typeof v === 'object' && 'fixture' in v ? fixtures.value(name) : v);
  let path = op.path;
  for (const p of op.params) path = path.replace(`{${p}}`, String(value(generated.params[p], p)));
  const query = generated.query.map(([k, v]) => `${encodeURIComponent(k)}=${String(value(v, k)).replace(/[&#\s]/g, encodeURIComponent)}`).join('&');
  const headers = {};
  if (generated.auth === 'device') headers.authorization = `Bearer ${fixtures.value('deviceToken')}`;
  if (generated.auth === 'garbage') headers.authorization = 'Bearer __proto__';
  if (generated.body !== null && generated.contentType !== undefined) headers['content-type'] = generated.contentType;
  return { method: op.method, url: query ? `${path}?${query}` : path, headers, body: generated.body ?? undefined };
}

/** The route group of a path: 'openrun' (runtime, control) or 'developer' (WeChat, QQ, cloud gateway). */
export function groupOf(path) {
  return path.startsWith('/openrun/') ? 'openrun' : path.startsWith('/tcb/admin') ? 'gateway' : 'developer';
}

/** Why a reply is wrong for its route group, or undefined when it is right. */
export function replyProblem(op, status, contentType, text) {
  if (status >= 500 && !(status === 503 && text.includes('OR_ERR_FAULT_INJECTED'))) return `HTTP ${status}: ${text.slice(0, 300)}`;
  const group = groupOf(op.path);
  let body;
  if (text !== '') {
    try {
      body = JSON.parse(text);
    } catch {
      if (group === 'gateway' && status === 200) return undefined; // protobuf replies of the cloud gateway
      if (op.path === '/openrun/tls' || op.path.endsWith('.pem')) return undefined;
      return `not JSON (${contentType}): ${text.slice(0, 200)}`;
    }
  }
  if (group === 'developer') {
    if (status !== 200 && status !== 404) return `developer API answered HTTP ${status}`;
    if (body && typeof body.errcode === 'number' && body.errcode !== 0 && !/rid: [0-9a-f-]+$/.test(String(body.errmsg))) return `errmsg without rid: ${text.slice(0, 200)}`;
    if (body && 'error' in body && typeof body.error === 'object') return `OpenRun error shape on the developer API: ${text.slice(0, 200)}`;
    return undefined;
  }
  if (group === 'gateway') return status === 200 ? undefined : `cloud gateway answered HTTP ${status}`;
  if (status >= 400) {
    if (!body || typeof body.error !== 'object' || !/^OR_ERR_[A-Z_]+$/.test(String(body.error.code)) || typeof body.error.message !== 'string') {
      return `4xx without {error:{code:"OR_ERR_…",message}}: ${text.slice(0, 200)}`;
    }
  }
  return undefined;
}
