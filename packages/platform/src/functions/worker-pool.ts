/**
 * Warm worker processes for one cloud function: each is a `child_process.fork` of function-worker.cjs that has the
 * user's index.js loaded and runs one call at a time. A call that throws, never settles, exits the process or runs out
 * of memory fails alone; a worker that timed out or died is replaced, and the platform keeps serving. A worker idle
 * for 5 minutes exits (the next call starts a new one).
 */
import { fork, type ChildProcess } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import type { FunctionFailureKind, FunctionLogLine } from '../stores/records.js';

export type { FunctionFailureKind, FunctionLogLine } from '../stores/records.js';

/** The worker script; the same relative path from `src/functions/` and `dist/functions/`. */
const WORKER_SCRIPT = fileURLToPath(new URL('../../src/functions/function-worker.cjs', import.meta.url));
/** How long a new worker may take to load the function before its call fails. */
const STARTUP_LIMIT_MS = 20_000;
/** Bytes of a worker's stderr kept to explain a crash. */
const STDERR_TAIL = 4096;
/** Console lines kept per call; further lines are counted, not kept. */
const MAX_LOG_LINES = 500;
/** Characters kept per console line. */
const MAX_LOG_LINE = 8192;

/** The outcome of one call; `json` is the JSON text of what `main` returned (undefined when it returned nothing). */
export type WorkerOutcome =
  | { ok: true; json: string | undefined; logs: FunctionLogLine[] }
  | { ok: false; kind: FunctionFailureKind; message: string; logs: FunctionLogLine[] };

/** One call handed to a worker. */
export interface WorkerCall {
  id: string;
  /** Per-call environment (`WX_OPENID`, …); `null` removes a variable. */
  env: Record<string, string | null>;
  event: unknown;
  context: Record<string, unknown>;
  timeoutMs: number;
}

/** What a pool is started with. */
export interface WorkerPoolOptions {
  /** Absolute path of the function's index.js. */
  entry: string;
  /** Working directory of the workers (the function's folder). */
  cwd: string;
  /** The fixed environment of every worker. */
  env: Record<string, string>;
  /** Most workers running at once; further calls wait. Default 4. */
  maxWorkers?: number;
  /** Heap limit per worker (`--max-old-space-size`), MB. Default 256. */
  memoryMb?: number;
  /** Extra Node options for the workers (tests preload a connection recorder). */
  execArgv?: string[];
  /** A worker idle this long (ms) exits, so apps and functions no longer called cost nothing. Default 5 minutes. */
  idleMs?: number;
}

/** A pool of warm workers for one function. */
export interface WorkerPool {
  invoke(call: WorkerCall): Promise<WorkerOutcome>;
  /** Worker processes alive now. */
  size(): number;
  /**
   * Stops the pool. `drain` (used when the function's files change) lets calls in flight finish on the old code and
   * kills each worker when its call ends; otherwise every worker is killed now and calls in flight fail.
   */
  close(options?: { drain?: boolean }): Promise<void>;
}

type WorkerMessage =
  | { type: 'ready' }
  | { type: 'log'; id?: string; level: FunctionLogLine['level']; text: string }
  | { type: 'result'; id: string; ok: true; json?: string }
  | { type: 'result'; id: string; ok: false; error: { name: string; message: string; stack: string } };

interface Worker {
  child: ChildProcess;
  ready: Promise<boolean>;
  busy: boolean;
  dead: boolean;
  idleTimer?: NodeJS.Timeout;
  stderr: string;
  exitCode: number | null;
  signal: NodeJS.Signals | null;
  /** The call in flight, if any. */
  call?: { id: string; logs: FunctionLogLine[]; dropped: number; settle: (outcome: WorkerOutcome) => void };
}

/** Keeps a console line of the call in flight, within the per-call bounds. */
function keepLog(worker: Worker, line: FunctionLogLine): void {
  const call = worker.call;
  if (!call) return;
  if (call.logs.length < MAX_LOG_LINES) call.logs.push({ level: line.level, text: line.text.slice(0, MAX_LOG_LINE) });
  else call.dropped += 1;
}

/** The call's console lines, with a note when some were dropped. */
function logsOf(worker: Worker): FunctionLogLine[] {
  const call = worker.call;
  if (!call) return [];
  return call.dropped > 0 ? [...call.logs, { level: 'warn', text: `[openrun] ${call.dropped} more console lines were not kept` }] : call.logs;
}

/** Starts a pool with one warm worker. */
export function createWorkerPool(options: WorkerPoolOptions): WorkerPool {
  const maxWorkers = options.maxWorkers ?? 4;
  const idleMs = options.idleMs ?? 5 * 60 * 1000;
  const memoryMb = options.memoryMb ?? 256;
  const workers = new Set<Worker>();
  const waiting: Array<(worker: Worker | undefined) => void> = [];
  let closed = false;

  const spawn = (): Worker => {
    const child = fork(WORKER_SCRIPT, [options.entry], {
      cwd: options.cwd,
      env: options.env,
      execArgv: [`--max-old-space-size=${memoryMb}`, ...(options.execArgv ?? [])],
      stdio: ['ignore', 'pipe', 'pipe', 'ipc'],
      serialization: 'json',
    });
    const worker: Worker = { child, busy: false, dead: false, stderr: '', exitCode: null, signal: null, ready: Promise.resolve(false) };
    worker.ready = new Promise<boolean>((resolveReady) => {
      const timer = setTimeout(() => resolveReady(false), STARTUP_LIMIT_MS);
      timer.unref();
      child.on('message', (raw: WorkerMessage) => {
        if (raw.type === 'ready') {
          clearTimeout(timer);
          resolveReady(true);
        } else if (raw.type === 'log') {
          if (raw.id === undefined || raw.id === worker.call?.id) keepLog(worker, { level: raw.level, text: raw.text });
        } else if (raw.type === 'result' && worker.call?.id === raw.id) {
          const { settle } = worker.call;
          const logs = logsOf(worker);
          settle(raw.ok ? { ok: true, json: raw.json, logs } : { ok: false, kind: 'error', message: errorText(raw.error), logs });
        }
      });
      child.once('exit', () => {
        clearTimeout(timer);
        resolveReady(false);
      });
    });
    child.stdout?.on('data', (chunk: Buffer) => keepLog(worker, { level: 'log', text: chunk.toString().replace(/\n$/, '') }));
    child.stderr?.on('data', (chunk: Buffer) => {
      worker.stderr = (worker.stderr + chunk.toString()).slice(-STDERR_TAIL);
    });
    child.on('error', () => undefined);
    child.once('exit', (code, signal) => {
      worker.dead = true;
      worker.exitCode = code;
      worker.signal = signal;
      workers.delete(worker);
      // Let stderr drain ('close') so an out-of-memory report is seen before the call fails; bounded.
      const settleDeath = (): void => worker.call?.settle(deathOutcome(worker, memoryMb));
      child.once('close', settleDeath);
      setTimeout(settleDeath, 1000).unref();
    });
    workers.add(worker);
    return worker;
  };

  /** Takes a worker out of service at once and kills it. */
  const retire = (worker: Worker): void => {
    clearTimeout(worker.idleTimer);
    worker.dead = true;
    workers.delete(worker);
    worker.child.kill('SIGKILL');
  };

  const markBusy = (worker: Worker): Worker => {
    worker.busy = true;
    clearTimeout(worker.idleTimer);
    return worker;
  };

  const markIdle = (worker: Worker): void => {
    worker.busy = false;
    worker.idleTimer = setTimeout(() => {
      if (!worker.busy && !worker.dead) retire(worker);
    }, idleMs);
    worker.idleTimer.unref();
  };

  const release = (worker: Worker): void => {
    worker.busy = false;
    if (closed && !worker.dead) retire(worker);
    if (worker.dead) {
      // Keep one warm worker ready after a crash or a timeout kill.
      if (!closed && workers.size === 0) markIdle(spawn());
      const next = waiting.shift();
      if (next) next(acquireNow());
      return;
    }
    const next = waiting.shift();
    if (next) next(markBusy(worker));
    else markIdle(worker);
  };

  const acquireNow = (): Worker | undefined => {
    for (const w of workers) {
      if (!w.busy && !w.dead) return markBusy(w);
    }
    return workers.size < maxWorkers ? markBusy(spawn()) : undefined;
  };

  const acquire = (): Promise<Worker | undefined> => {
    if (closed) return Promise.resolve(undefined);
    const now = acquireNow();
    return now ? Promise.resolve(now) : new Promise((resolveWorker) => waiting.push(resolveWorker));
  };

  markIdle(spawn());

  return {
    size: () => workers.size,
    async invoke(call) {
      const worker = await acquire();
      if (!worker) return { ok: false, kind: 'startup', message: 'the function runner is shutting down', logs: [] };
      try {
        if (!(await worker.ready)) {
          retire(worker);
          return { ok: false, kind: 'startup', message: startupText(worker), logs: [] };
        }
        return await new Promise<WorkerOutcome>((settleCall) => {
          const timer = setTimeout(() => {
            retire(worker);
            done({ ok: false, kind: 'timeout', message: `Invoking task timed out after ${call.timeoutMs / 1000} seconds`, logs: logsOf(worker) });
          }, call.timeoutMs);
          const done = (outcome: WorkerOutcome): void => {
            clearTimeout(timer);
            worker.call = undefined;
            settleCall(outcome);
          };
          worker.call = { id: call.id, logs: [], dropped: 0, settle: done };
          if (worker.dead) return done(deathOutcome(worker, memoryMb));
          worker.child.send({ type: 'invoke', id: call.id, env: call.env, event: call.event, context: call.context }, (error) => {
            if (error) done({ ok: false, kind: 'exit', message: `the function process is gone: ${error.message}`, logs: [] });
          });
        });
      } finally {
        release(worker);
      }
    },
    async close(closeOptions = {}) {
      closed = true;
      for (const next of waiting.splice(0)) next(undefined);
      const exits = [...workers].filter((w) => !(closeOptions.drain && w.busy)).map(
        (w) =>
          new Promise<void>((done) => {
            if (w.child.exitCode !== null || w.child.signalCode !== null) return done();
            w.child.once('exit', () => done());
            retire(w);
          }),
      );
      await Promise.all(exits);
    },
  };
}

function errorText(error: { name: string; message: string; stack: string }): string {
  return error.stack || `${error.name}: ${error.message}`;
}

function deathOutcome(worker: Worker, memoryMb: number): WorkerOutcome {
  const logs = logsOf(worker);
  if (/heap out of memory|Reached heap limit|Allocation failed/i.test(worker.stderr)) {
    return { ok: false, kind: 'memory', message: `Memory limit exceeded: the function used more than ${memoryMb} MB`, logs };
  }
  const how = worker.signal ? `signal ${worker.signal}` : `exit code ${worker.exitCode ?? 'unknown'}`;
  return { ok: false, kind: 'exit', message: `Process exited before completing request (${how})`, logs };
}

function startupText(worker: Worker): string {
  const tail = worker.stderr.trim().split('\n').slice(-5).join('\n');
  return `the function process did not start${tail ? `: ${tail}` : ''}`;
}
