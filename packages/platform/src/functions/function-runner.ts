/**
 * The cloud-function runner: finds functions in the configured folder, keeps a warm worker pool per function and
 * cloud env, restarts a function's workers when its files change, and runs one call with the environment of
 * PROTOCOL.md §13.1. The gateway URL is asked for lazily, at the first call, because the platform knows where it
 * listens only after `listen`.
 * @see PROTOCOL.md §13.1
 */
import { createFunctionCatalog, type FunctionCatalog, type FunctionDefinition } from './function-catalog.js';
import { createLiveInvocations, type LiveInvocations } from './live-invocations.js';
import { workerBaseEnv, workerCallEnv, FUNCTION_REGION, type CallIdentity } from './worker-env.js';
import type { FunctionCallRecord, FunctionLogLine, NewFunctionCallRecord } from '../stores/records.js';
import { createWorkerPool, type WorkerOutcome, type WorkerPool } from './worker-pool.js';

/** Characters of a call's result kept in the call log. */
const RESULT_CHARS = 4096;

export type { FunctionCallRecord } from '../stores/records.js';

/** Where finished calls are logged (the ephemeral store, shared by every instance on it). */
export interface FunctionCallLog {
  append(call: NewFunctionCallRecord): Promise<void>;
  /** Newest first. */
  list(): Promise<FunctionCallRecord[]>;
}

/** A console line of a finished call, for the terminal of `openrun start`. */
export interface FunctionConsoleLine extends FunctionLogLine {
  /** The function's name. */
  name: string;
}

/** How the runner is set up. */
export interface FunctionRunnerOptions {
  /** The functions folder; without one no function exists. */
  dir: string | undefined;
  /** The cloud gateway URL (`http://127.0.0.1:<port>/tcb/admin`), read at the first call. */
  gatewayUrl: () => string;
  /** Workers per function and env. Default 4. */
  maxWorkers?: number;
  /** Heap limit per worker, MB. Default 256. */
  memoryMb?: number;
  /** Extra Node options for workers (tests preload a connection recorder). */
  workerExecArgv?: string[];
  /** The call log. */
  callLog: FunctionCallLog;
  /** Hears a call that could not be logged (the call itself has its outcome). */
  onLogError?: (error: unknown) => void;
  /** The platform clock (epoch ms) that stamps the call log. Default: the system clock. */
  now?: () => number;
  /** Receives each console line of every call once the call ends (the CLI prints them). */
  onConsole?: (line: FunctionConsoleLine) => void;
}

/** One call to run. */
export interface FunctionCall {
  requestId: string;
  cloudEnv: string;
  identity: CallIdentity;
  event: unknown;
}

/** Runs cloud functions. */
export interface FunctionRunner {
  /** The function called `name`; undefined when there is none (a malformed config.json throws). */
  find(name: string): FunctionDefinition | undefined;
  /** Names of every function. */
  list(): string[];
  /** Runs `call` on a warm worker of `fn`. */
  run(fn: FunctionDefinition, call: FunctionCall): Promise<WorkerOutcome>;
  /** Calls running now, by API token. */
  readonly invocations: LiveInvocations;
  /** The last 100 finished calls of every instance on the store, newest first, with their console output. */
  recentCalls(): Promise<FunctionCallRecord[]>;
  /** Stops watching and kills every worker. */
  close(): Promise<void>;
}

/** Creates a runner for `options.dir`. */
export function createFunctionRunner(options: FunctionRunnerOptions): FunctionRunner {
  const memoryMb = options.memoryMb ?? 256;
  const pools = new Map<string, { name: string; pool: WorkerPool }>();
  const invocations = createLiveInvocations();

  const restart = (name: string): void => {
    for (const [key, entry] of pools) {
      if (entry.name !== name) continue;
      pools.delete(key);
      void entry.pool.close({ drain: true });
    }
  };
  const catalog: FunctionCatalog | undefined = options.dir ? createFunctionCatalog(options.dir, restart) : undefined;

  const poolFor = (fn: FunctionDefinition, cloudEnv: string): WorkerPool => {
    const key = `${fn.name}\u0000${cloudEnv}`;
    let entry = pools.get(key);
    if (!entry) {
      const env = workerBaseEnv({ name: fn.name, cloudEnv, gatewayUrl: options.gatewayUrl(), memoryMb });
      entry = {
        name: fn.name,
        pool: createWorkerPool({
          entry: fn.entry,
          cwd: fn.dir,
          env,
          memoryMb,
          ...(options.maxWorkers ? { maxWorkers: options.maxWorkers } : {}),
          ...(options.workerExecArgv ? { execArgv: options.workerExecArgv } : {}),
        }),
      };
      pools.set(key, entry);
    }
    return entry.pool;
  };

  return {
    find: (name) => catalog?.get(name),
    list: () => catalog?.list() ?? [],
    invocations,
    recentCalls: () => options.callLog.list(),
    async run(fn, call) {
      let pool: WorkerPool;
      try {
        pool = poolFor(fn, call.cloudEnv);
      } catch (error) {
        // E.g. a platform that was never started with listen(): no gateway URL to give the workers.
        return { ok: false, kind: 'startup', message: (error as Error).message, logs: [] };
      }
      const env = workerCallEnv(call.identity);
      const context = {
        callbackWaitsForEmptyEventLoop: false,
        memory_limit_in_mb: memoryMb,
        time_limit_in_ms: fn.timeoutMs,
        request_id: call.requestId,
        function_name: fn.name,
        function_version: '$LATEST',
        namespace: call.cloudEnv,
        tencentcloud_region: FUNCTION_REGION,
        environment: JSON.stringify(Object.fromEntries(Object.entries(env).filter(([k, v]) => v !== null && k !== 'WX_API_TOKEN'))),
      };
      const at = (options.now ?? Date.now)();
      const started = performance.now();
      const outcome = await pool.invoke({ id: call.requestId, env, event: call.event, context, timeoutMs: fn.timeoutMs });
      await options.callLog
        .append({
          requestId: call.requestId,
          name: fn.name,
          appid: call.identity.appid,
          source: call.identity.source,
          at,
          durationMs: Math.round((performance.now() - started) * 10) / 10,
          ok: outcome.ok,
          ...(outcome.ok
            ? outcome.json !== undefined ? { result: outcome.json.slice(0, RESULT_CHARS) } : {}
            : { failure: outcome.kind, message: outcome.message }),
          logs: outcome.logs,
        })
        .catch((error: unknown) => options.onLogError?.(error));
      if (options.onConsole) for (const line of outcome.logs) options.onConsole({ name: fn.name, ...line });
      return outcome;
    },
    async close() {
      catalog?.close();
      const all = [...pools.values()];
      pools.clear();
      await Promise.all(all.map((e) => e.pool.close()));
    },
  };
}
