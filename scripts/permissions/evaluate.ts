/**
 * One request against the model, decided by @cloud-copilot/iam-simulate (AGPL-3.0, a dev-only test tool, never
 * shipped): the principal's identity policies, the resource's policy (a KMS key's policy included) and the
 * request's context. The engine decides; this file only gathers the policies and names the statements it used.
 */
import { getDenialReasons, getGrantReasons, type RequestAnalysis, runSimulation } from '@cloud-copilot/iam-simulate';
import type { ModelResourcePolicy, PermissionModel } from './model';

export interface AccessRequest {
  /** A role's ARN, a service principal (`sns.amazonaws.com`) or another account's principal. */
  readonly principal: string;
  readonly action: string;
  readonly resource: string;
  readonly context: Readonly<Record<string, string | string[]>>;
}

export interface Decision {
  readonly allowed: boolean;
  /**
   * `Unproven`: denied only because the engine dropped a context key it cannot match (iam-simulate 0.1.173 drops
   * `kms:EncryptionContext:<key>`), while every other part of the named statement matches: a real account decides.
   */
  readonly result: 'Allowed' | 'ExplicitlyDenied' | 'ImplicitlyDenied' | 'Unproven' | 'Error';
  /** The statements that allowed it (or denied it explicitly), as `identity <policy> #<n> <sid>`. */
  readonly statements: string[];
  /** For a denial: which kind of policy did not allow it (`identity`, `resource`). */
  readonly missing: string[];
}

/** What every request of the running system carries: all of it travels over TLS. */
const BASE_CONTEXT = { 'aws:SecureTransport': 'true' };

function statementLabel(policy: ModelResourcePolicy | undefined, index: number, sid: string | undefined): string {
  const source = policy?.sources[index - 1];
  return `resource ${source ?? '?'} #${index}${sid ? ` ${sid}` : ''}`;
}

/** What a decision reads of a model: the principal's policies and the resource's. */
export type PolicySource = Pick<PermissionModel, 'account' | 'role' | 'resourcePolicyFor'>;

export async function decide(model: PolicySource, request: AccessRequest): Promise<Decision> {
  const role = model.role(request.principal);
  const resourcePolicy = model.resourcePolicyFor(request.resource);
  const result = await runSimulation(
    {
      request: {
        principal: request.principal,
        action: request.action,
        resource: { resource: request.resource, accountId: model.account },
        contextVariables: { ...BASE_CONTEXT, ...request.context },
      },
      identityPolicies: (role?.identityPolicies ?? []).map((p) => ({ name: p.name, policy: p.policy })),
      serviceControlPolicies: [],
      resourceControlPolicies: [],
      resourcePolicy: resourcePolicy?.policy,
    },
    { simulationMode: 'Strict' },
  );
  if (result.resultType === 'error')
    return { allowed: false, result: 'Error', statements: [], missing: [result.errors.message] };
  // On `*`, the engine tries each resource type and keeps no result when `*` itself is implicitly denied for it
  // (narrower patterns cannot then allow it): nothing allows the action on any resource (PutMetricData in a namespace).
  if (result.resultType === 'wildcard' && result.results.length === 0)
    return result.overallResult === 'ImplicitlyDenied'
      ? { allowed: false, result: 'ImplicitlyDenied', statements: [], missing: ['identity'] }
      : { allowed: false, result: 'Error', statements: [], missing: ['the engine found no resource type'] };
  const analyses = result.resultType === 'single' ? [result.result.analysis] : result.results.map((r) => r.analysis);
  const overall = result.overallResult;
  const statements = new Set<string>();
  const missing = new Set<string>();
  for (const analysis of analyses) {
    if (overall === 'Allowed')
      for (const grant of getGrantReasons(analysis)) {
        if (grant.policyType === 'resource')
          statements.add(statementLabel(resourcePolicy, grant.statementIndex, grant.statementId));
        else if ('policyIdentifier' in grant)
          statements.add(
            `${grant.policyType} ${grant.policyIdentifier} #${grant.statementIndex}${grant.statementId ? ` ${grant.statementId}` : ''}`,
          );
      }
    else
      for (const denial of getDenialReasons(analysis)) {
        if (denial.denialType === 'Explicit')
          statements.add(
            denial.policyType === 'resource'
              ? statementLabel(resourcePolicy, denial.statementIndex, denial.statementId)
              : `${denial.policyType} ${denial.policyIdentifier ?? ''} #${denial.statementIndex}${denial.statementId ? ` ${denial.statementId}` : ''}`,
          );
        else missing.add(denial.policyType);
      }
  }
  const ignored = result.resultType === 'single' ? (result.result.ignoredContextKeys ?? []) : [];
  if (overall === 'ImplicitlyDenied' && ignored.length > 0 && result.resultType === 'single') {
    const blocked = statementsBlockedOnlyBy(
      result.result.analysis,
      ignored,
      (sid) => (resourcePolicy?.policy.Statement.findIndex((st) => st.Sid === sid) ?? -1) + 1,
    );
    if (blocked.length > 0)
      return {
        allowed: false,
        result: 'Unproven',
        statements: blocked.map(
          (b) =>
            `${statementLabel(resourcePolicy, b.index, b.sid)} but for ${b.keys.join(', ')}, which the engine drops`,
        ),
        missing: [],
      };
  }
  return { allowed: overall === 'Allowed', result: overall, statements: [...statements], missing: [...missing] };
}

/** Resource-policy statements whose only failing conditions are on context keys the engine dropped. */
function statementsBlockedOnlyBy(
  analysis: RequestAnalysis,
  ignored: string[],
  statementIndex: (sid: string | undefined) => number,
): Array<{ index: number; sid?: string; keys: string[] }> {
  const dropped = new Set(ignored.map((k) => k.toLowerCase()));
  const unmatched = analysis.resourceAnalysis?.unmatchedStatements ?? [];
  return unmatched.flatMap((u) => {
    const failing = (u.explain.conditions ?? []).filter((c) => !c.matches);
    const onlyDropped =
      u.principalMatch === 'Match' &&
      u.actionMatch &&
      u.resourceMatch &&
      failing.length > 0 &&
      failing.every((c) => c.failedBecauseMissing && dropped.has(c.conditionKeyValue.toLowerCase()));
    // The engine names a statement by its Sid, or by its 1-based position when it has none.
    const id = u.explain.identifier;
    const numbered = /^\d+$/.test(id);
    const keys = failing.map((c) => c.conditionKeyValue);
    return onlyDropped
      ? [{ index: numbered ? Number(id) : statementIndex(id), sid: numbered ? undefined : id, keys }]
      : [];
  });
}
