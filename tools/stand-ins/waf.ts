/**
 * The synthesized web ACL's rate-based rules over a request stream: in priority order, each counts requests per key
 * (address or constant) over its window and blocks over the limit. Blocked requests count and an IPv6 address is
 * its own key, as in WAF; managed groups are not modeled. WAF engages within seconds, the model at once: a burst's
 * pass-through is a lower bound.
 */
import type { WebAclProperties } from '../analysis/template';

interface RateRule {
  readonly name: string;
  readonly perAddress: boolean;
  readonly limit: number;
  readonly windowS: number;
  readonly pathPrefix?: string;
}

/** One key's counts per second over the rule's window (oldest first, from `head`), with their running sum. */
interface Counter {
  readonly seconds: number[];
  readonly counts: number[];
  head: number;
  total: number;
}

export interface WafModel {
  /** Whether the request passes; `address` is an IPv4 or IPv6 address as a string. */
  admit(address: string, path: string, nowMs: number): boolean;
  /** Requests blocked so far, per rule name. */
  readonly blocked: Map<string, number>;
}

export function rateRulesOf(webAclProperties: WebAclProperties): RateRule[] {
  return [...(webAclProperties.Rules ?? [])]
    .sort((a, b) => a.Priority - b.Priority)
    .flatMap((r) => {
      const rate = r.Statement.RateBasedStatement;
      if (!rate) return [];
      const match = rate.ScopeDownStatement?.ByteMatchStatement;
      if (rate.ScopeDownStatement && !(match && match.PositionalConstraint === 'STARTS_WITH'))
        throw new Error(`${r.Name}: only a STARTS_WITH path scope-down is modeled`);
      return [
        {
          name: r.Name,
          perAddress: rate.AggregateKeyType === 'IP',
          limit: rate.Limit,
          windowS: rate.EvaluationWindowSec ?? 300,
          pathPrefix: match?.SearchString,
        },
      ];
    });
}

export function wafModel(webAclProperties: WebAclProperties): WafModel {
  const rules = rateRulesOf(webAclProperties);
  const counters = rules.map(() => new Map<string, Counter>());
  const blocked = new Map<string, number>();
  return {
    blocked,
    admit(address, path, nowMs) {
      const second = Math.floor(nowMs / 1000);
      for (const [index, rule] of rules.entries()) {
        if (rule.pathPrefix && !path.startsWith(rule.pathPrefix)) continue;
        const key = rule.perAddress ? address : 'constant';
        let counter = counters[index].get(key);
        if (!counter) counters[index].set(key, (counter = { seconds: [], counts: [], head: 0, total: 0 }));
        // Requests arrive in time order: what left the window is at the front.
        while (counter.head < counter.seconds.length && counter.seconds[counter.head] <= second - rule.windowS)
          counter.total -= counter.counts[counter.head++];
        const last = counter.seconds.length - 1;
        if (last >= counter.head && counter.seconds[last] === second) counter.counts[last]++;
        else {
          counter.seconds.push(second);
          counter.counts.push(1);
        }
        counter.total++;
        if (counter.total > rule.limit) {
          blocked.set(rule.name, (blocked.get(rule.name) ?? 0) + 1);
          return false;
        }
      }
      return true;
    },
  };
}
