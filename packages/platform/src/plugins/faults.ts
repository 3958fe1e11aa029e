/**
 * Fault injection: rules that make a route answer an errcode, wait, or drop the connection, for the next N calls or
 * with a probability. Matched in order, newest first; each rule counts its uses. The rules and their counts live in
 * the ephemeral store, so a `times: 1` rule fires once across every instance on that store. Keyed by the route's
 * `config.operation` ("GET /sns/jscode2session"), so handlers never know faults exist.
 */
import type { FastifyReply, FastifyRequest } from 'fastify';
import fp from 'fastify-plugin';
import type { EphemeralStore } from '../stores/ephemeral-store.js';
import type { FaultRule, NewFaultRule } from '../stores/records.js';
import type {} from './request-log.js';
import type {} from './platform-context.js';

export type { FaultAction, FaultRule, NewFaultRule } from '../stores/records.js';

/** A rule's errcode that a route group turns into its wire reply. */
export class FaultError extends Error {
  override readonly name = 'FaultError';
  constructor(readonly errcode: number) {
    super(`[openrun] injected fault: errcode ${errcode}`);
  }
}

/** The active rules, shared through the store. */
export interface FaultRegistry {
  add(rule: NewFaultRule): Promise<FaultRule>;
  list(): Promise<FaultRule[]>;
  remove(id: string): Promise<boolean>;
  clear(): Promise<void>;
  /** The rule that applies to this call of `operation`, counting the use. */
  take(operation: string): Promise<FaultRule | undefined>;
}

/** Creates the registry on `store`; `random` decides probabilistic rules. */
export function createFaultRegistry(store: EphemeralStore, random: () => number = Math.random): FaultRegistry {
  return {
    add: (rule) => store.addFault(rule),
    list: () => store.listFaults(),
    remove: (id) => store.removeFault(id),
    clear: () => store.clearFaults(),
    take: (operation) => store.takeFault(operation, random()),
  };
}

declare module 'fastify' {
  interface FastifyInstance {
    /** Active fault rules. */
    faults: FaultRegistry;
  }
  interface FastifyContextConfig {
    /** "METHOD /path" of the route: the key of faults, the request log and rate counters. */
    operation?: string;
  }
}

/** Decorates `faults` and applies them before every route that names its operation. */
export const faults = fp(
  async function faults(app) {
    const registry = createFaultRegistry(app.openrun.ephemeral);
    app.decorate('faults', registry);
    const apply = async (request: FastifyRequest, reply: FastifyReply, rule: FaultRule): Promise<void> => {
      request.openrunFaultId = rule.id;
      if ('delayMs' in rule.action) {
        await new Promise((resolve) => setTimeout(resolve, (rule.action as { delayMs: number }).delayMs));
        return;
      }
      if ('drop' in rule.action) {
        request.raw.socket.destroy();
        reply.hijack();
        return;
      }
      throw new FaultError(rule.action.errcode);
    };
    // A callback hook: the usual call (no rule) costs no promise of its own.
    app.addHook('onRequest', (request, reply, done) => {
      const operation = request.routeOptions.config.operation;
      if (!operation) return done();
      registry.take(operation).then(
        (rule) => (rule ? apply(request, reply, rule).then(() => done(), done) : done()),
        done,
      );
    });
  },
  { name: 'openrun-faults', dependencies: ['openrun-platform-context'] },
);
