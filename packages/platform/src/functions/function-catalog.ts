/**
 * The cloud functions of one folder: `DIR/<name>/index.js` (plus an optional `config.json`, `package.json` and
 * `node_modules`, as in a WeChat cloud project). Discovered at start and again whenever a file under `DIR` changes;
 * a change inside `DIR/<name>/` is reported so that the function's warm workers restart with the new code.
 */
import { existsSync, readdirSync, watch, type FSWatcher } from 'node:fs';
import { join, resolve } from 'node:path';
import { readFunctionConfig, type FunctionConfig } from './function-config.js';

/** A function name as WeChat cloud accepts it (also keeps paths inside DIR). */
export const FUNCTION_NAME_PATTERN = /^[A-Za-z][A-Za-z0-9_-]{0,59}$/;

/** One discovered function. */
export interface FunctionDefinition extends FunctionConfig {
  name: string;
  /** The function's folder (the worker's working directory). */
  dir: string;
  /** Absolute path of its index.js. */
  entry: string;
}

/** The functions of a folder, kept current while it changes. */
export interface FunctionCatalog {
  /** The function called `name`, or undefined when there is none. */
  get(name: string): FunctionDefinition | undefined;
  /** Names of every function found. */
  list(): string[];
  /** Stops watching. */
  close(): void;
}

/** Reads `dir` and watches it; `onChange(name)` runs after files of function `name` changed (debounced). */
export function createFunctionCatalog(dir: string, onChange: (name: string) => void = () => undefined): FunctionCatalog {
  const root = resolve(dir);
  const cache = new Map<string, FunctionDefinition | null>();
  const timers = new Map<string, NodeJS.Timeout>();

  const load = (name: string): FunctionDefinition | null => {
    if (!FUNCTION_NAME_PATTERN.test(name)) return null;
    const folder = join(root, name);
    const entry = join(folder, 'index.js');
    if (!existsSync(entry)) return null;
    return { name, dir: folder, entry, ...readFunctionConfig(join(folder, 'config.json')) };
  };
  const get = (name: string): FunctionDefinition | undefined => {
    if (!cache.has(name)) cache.set(name, load(name));
    return cache.get(name) ?? undefined;
  };

  let watcher: FSWatcher | undefined;
  try {
    watcher = watch(root, { recursive: true, persistent: false }, (_event, filename) => {
      const name = filename?.toString().split(/[\\/]/)[0];
      if (!name) return;
      clearTimeout(timers.get(name));
      timers.set(
        name,
        setTimeout(() => {
          timers.delete(name);
          cache.delete(name);
          onChange(name);
        }, 50).unref(),
      );
    });
    watcher.on('error', () => undefined);
  } catch {
    // A folder that does not exist yet: every lookup reads the disk instead.
    watcher = undefined;
  }

  return {
    get: (name) => (watcher ? get(name) : (load(name) ?? undefined)),
    list: () => {
      let names: string[] = [];
      try {
        names = readdirSync(root, { withFileTypes: true }).filter((e) => e.isDirectory()).map((e) => e.name);
      } catch {
        return [];
      }
      return names.filter((n) => get(n) !== undefined).sort();
    },
    close: () => {
      watcher?.close();
      for (const t of timers.values()) clearTimeout(t);
      timers.clear();
    },
  };
}
