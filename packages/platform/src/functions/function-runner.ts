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
import { createWorkerPool, type FunctionFailureKind, type FunctionLogLine, type WorkerOutcome, type WorkerPool } from './worker-pool.js';

/** Calls kept in the call log. */
const CALL_LOG_SIZE = 100;
/** Characters of a call's result kept in the call log. */
const RESULT_CHARS = 4096;

/** One finished call, with its console output. */
export interface FunctionCallRecord {
  /** Increasing number of the call. */
  seq: number;
  requestId: string;
  name: string;
  appid: string;
  source: string;
  /** Platform-clock instant the call started, epoch ms. */
  at: number;
  /** Wall time of the call, ms. */
  durationMs: number;
  ok: boolean;
  /** The JSON of what `main` returned (cut at 4096 characters; absent for `undefined` and for failures). */
  result?: string;
  /** How a failed call failed. */
  failure?: FunctionFailureKind;
  message?: string;
  logs: FunctionLogLine[];
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
  /** The last 100 finished calls, newest first, with their console output. */
  recentCalls(): FunctionCallRecord[];
  /** Stops watching and kills every worker. */
  close(): Promise<void>;
}

/** Creates a runner for `options.dir`. */
export function createFunctionRunner(options: FunctionRunnerOptions): FunctionRunner {
  const memoryMb = options.memoryMb ?? 256;
  const pools = new Map<string, { name: string; pool: WorkerPool }>();
  const invocations = createLiveInvocations();
  const callLog: FunctionCallRecord[] = [];
  let callSeq = 0;

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
    recentCalls: () => callLog.map((r) => ({ ...r, logs: [...r.logs] })),
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
      callLog.unshift({
        seq: ++callSeq,
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
      });
      if (options.onConsole) for (const line of outcome.logs) options.onConsole({ name: fn.name, ...line });
      callLog.length = Math.min(callLog.length, CALL_LOG_SIZE);
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
