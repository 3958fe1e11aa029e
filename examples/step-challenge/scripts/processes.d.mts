/** Types of processes.mjs, for the TypeScript tests that drive the example. */
import type { ChildProcess } from 'node:child_process';

export interface Started {
  url: string;
  child: ChildProcess;
  output(): string;
  stop(): Promise<void>;
}
export interface WeApp {
  appid: string;
  secret: string;
  platform: 'weapp' | 'qq';
  cloudEnv?: string;
}
export const exampleDir: string;
export function openrunCli(): string;
export function startProcess(options: {
  command: string;
  args: string[];
  ready: RegExp;
  env?: NodeJS.ProcessEnv;
  cwd?: string;
  timeoutMs?: number;
  name: string;
  echo?: boolean;
}): Promise<Started>;
export function stopProcess(child: ChildProcess): Promise<void>;
export function startOpenRun(options?: { port?: number; echo?: boolean }): Promise<Started>;
export function startBackend(options: {
  openrunUrl: string;
  appid: string;
  secret: string;
  port?: number;
  staticDir?: string;
  echo?: boolean;
}): Promise<Started>;
export function weappOf(openrunUrl: string): Promise<WeApp>;
