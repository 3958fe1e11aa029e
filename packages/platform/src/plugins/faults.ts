/**
 * Fault injection: rules that make a route answer an errcode, wait, or drop the connection, for the next N calls or
 * with a probability. Matched in order, newest first; each rule counts its uses. Keyed by the route's
 * `config.operation` ("GET /sns/jscode2session"), so handlers never know faults exist.
 */
import fp from 'fastify-plugin';
import type {} from './request-log.js';

/** What a fault does. */
export type FaultAction = { errcode: number } | { delayMs: number } | { drop: true };

/** A fault rule as the control API accepts it. */
export interface FaultRule {
  id: string;
  /** Method and path of the route, e.g. "GET /sns/jscode2session". */
  route: string;
  action: FaultAction;
  /** Apply to this many calls, then stop (undefined = no limit). */
  times?: number;
  /** Chance of applying to a call, 0..1 (default 1). */
  probability?: number;
  /** Calls it has applied to. */
  uses: number;
}

/** A rule's errcode that a route group turns into its wire reply. */
export class FaultError extends Error {
  override readonly name = 'FaultError';
  constructor(readonly errcode: number) {
    super(`[openrun] injected fault: errcode ${errcode}`);
  }
}

/** The list of active rules. */
export interface FaultRegistry {
  add(rule: Omit<FaultRule, 'id' | 'uses'>): FaultRule;
  list(): FaultRule[];
  remove(id: string): boolean;
  clear(): void;
  /** Replaces every rule with these (ids and use counts kept), as an import does. */
  replaceAll(rules: FaultRule[]): void;
  /** The rule that applies to this call of `operation`, counting the use. */
  take(operation: string): FaultRule | undefined;
}

/** Creates an empty registry; `random` decides probabilistic rules. */
export function createFaultRegistry(random: () => number = Math.random): FaultRegistry {
  let rules: FaultRule[] = [];
  let next = 1;
  return {
    add(rule) {
      const created: FaultRule = { ...rule, id: `fault_${next++}`, uses: 0 };
      rules = [created, ...rules];
      return created;
    },
    list: () => rules.map((r) => ({ ...r })),
    remove(id) {
      const before = rules.length;
      rules = rules.filter((r) => r.id !== id);
      return rules.length < before;
    },
    clear() {
      rules = [];
    },
    replaceAll(replacement) {
      rules = replacement.map((r) => ({ ...r }));
      const numbers = rules.map((r) => Number(/^fault_(\d+)$/.exec(r.id)?.[1] ?? 0));
      next = Math.max(next, ...numbers.map((n) => n + 1));
    },
    take(operation) {
      for (const rule of rules) {
        if (rule.route !== operation) continue;
        if (rule.times !== undefined && rule.uses >= rule.times) continue;
        if (rule.probability !== undefined && random() >= rule.probability) continue;
        rule.uses++;
        return rule;
      }
      return undefined;
    },
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
    const registry = createFaultRegistry();
    app.decorate('faults', registry);
    app.addHook('onRequest', async (request, reply) => {
      const operation = request.routeOptions.config.operation;
      if (!operation) return;
      const rule = registry.take(operation);
      if (!rule) return;
      request.openrunFaultId = rule.id;
      if ('delayMs' in rule.action) {
        await new Promise((resolve) => setTimeout(resolve, (rule.action as { delayMs: number }).delayMs));
        return;
      }
      if ('drop' in rule.action) {
        request.raw.socket.destroy();
        return reply.hijack();
      }
      throw new FaultError(rule.action.errcode);
    });
  },
  { name: 'openrun-faults' },
);
