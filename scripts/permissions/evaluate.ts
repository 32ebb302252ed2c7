/**
 * One request against the model, decided by @cloud-copilot/iam-simulate (AGPL-3.0, a dev-only test tool, never
 * shipped): the principal's identity policies, the resource's policy (a KMS key's policy included) and the
 * request's context. The engine decides; this file only gathers the policies and names the statements it used.
 */
import { getDenialReasons, getGrantReasons, runSimulation } from '@cloud-copilot/iam-simulate';
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
  readonly result: 'Allowed' | 'ExplicitlyDenied' | 'ImplicitlyDenied' | 'Error';
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

export async function decide(model: PermissionModel, request: AccessRequest): Promise<Decision> {
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
  const analyses =
    result.resultType === 'single'
      ? [result.result.analysis]
      : result.results.map((r: { analysis: any }) => r.analysis);
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
  return { allowed: overall === 'Allowed', result: overall, statements: [...statements], missing: [...missing] };
}
