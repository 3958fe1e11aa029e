// Types of route-fuzz.mjs, for the TypeScript fuzz test.
import type fc from 'fast-check';

export interface FuzzOperation {
  method: string;
  path: string;
  params: string[];
  query: string[];
  bodySchema: unknown;
}
export interface GeneratedRequest {
  params: Record<string, unknown>;
  query: [string, unknown][];
  body: string | Buffer | null;
  contentType: string | undefined;
  auth: 'device' | 'none' | 'garbage';
}
export interface FuzzFixtures {
  value(name: string): string;
}
export interface MaterialRequest {
  method: string;
  url: string;
  headers: Record<string, string>;
  body: string | Buffer | undefined;
}
export const HIDDEN_DEVELOPER_ROUTES: FuzzOperation[];
export function operationsOf(openapi: unknown): FuzzOperation[];
export function requestsFor(op: FuzzOperation): fc.Arbitrary<GeneratedRequest>;
export function materialise(op: FuzzOperation, generated: GeneratedRequest, fixtures: FuzzFixtures): MaterialRequest;
export function groupOf(path: string): 'openrun' | 'developer' | 'gateway';
export function replyProblem(op: FuzzOperation, status: number, contentType: string, text: string): string | undefined;
