// @ts-check
/**
 * The worker process of one cloud function (forked by worker-pool.ts, plain CommonJS so that it runs the same from
 * `src/` under the tests and from the published package). It loads the user's `index.js` once (warm), then for each
 * `invoke` message sets the per-call `WX_*` environment, calls `main(event, context)` and reports the result; console
 * output of the call travels back over IPC so the platform can keep it with the call.
 * @see PROTOCOL.md §13.1
 */
'use strict';

const { format } = require('node:util');
const { pathToFileURL } = require('node:url');

const entry = process.argv[2];
if (!entry || typeof process.send !== 'function') {
  console.error('[openrun] function-worker.cjs is started by the OpenRun platform, not by hand');
  process.exit(2);
}

/** The invocation being run, for attributing console output. @type {string | undefined} */
let current;

/** @param {unknown} message */
function send(message) {
  if (process.connected && process.send) process.send(message);
}

for (const level of /** @type {const} */ (['log', 'info', 'warn', 'error', 'debug'])) {
  console[level] = (...args) => send({ type: 'log', id: current, level, text: format(...args) });
}

/** @param {unknown} error */
function describeError(error) {
  if (error instanceof Error) return { name: error.name, message: error.message, stack: error.stack ?? '' };
  return { name: 'Error', message: typeof error === 'string' ? error : format(error), stack: '' };
}

/** @returns {Promise<Record<string, unknown>>} */
async function load() {
  try {
    return require(entry);
  } catch (error) {
    const code = /** @type {{ code?: unknown }} */ (error).code;
    if (code !== 'ERR_REQUIRE_ESM' && code !== 'ERR_REQUIRE_ASYNC_MODULE') throw error;
    return import(pathToFileURL(entry).href);
  }
}

const loaded = load();
loaded.catch(() => undefined);

process.on('unhandledRejection', (reason) => {
  console.error('Unhandled promise rejection:', reason);
});

process.on('message', async (/** @type {any} */ message) => {
  if (!message || message.type !== 'invoke') return;
  const { id, env, event, context } = message;
  current = id;
  for (const [key, value] of Object.entries(env)) {
    if (value === null) delete process.env[key];
    else process.env[key] = String(value);
  }
  try {
    const mod = await loaded;
    const main = typeof mod.main === 'function' ? mod.main : mod.default && typeof mod.default.main === 'function' ? mod.default.main : undefined;
    if (!main) throw new Error(`${entry} does not export a main(event, context) function`);
    const result = await main(event, context);
    const json = result === undefined ? undefined : JSON.stringify(result);
    send({ type: 'result', id, ok: true, json });
  } catch (error) {
    send({ type: 'result', id, ok: false, error: describeError(error) });
  } finally {
    current = undefined;
  }
});

send({ type: 'ready' });
