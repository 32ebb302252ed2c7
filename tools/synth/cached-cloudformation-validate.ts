/**
 * CDK's CloudFormation Validate with findings cached on disk, keyed by template text, account, region, construct
 * path and engine version, so an unchanged app starts no engine. It replaces the root's one plugin under the same
 * name, so acknowledgments (`CloudFormation-Validate::W3010`) and the findings-are-errors flag still apply.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import {
  CloudFormationValidatePlugin,
  IPolicyValidationContext,
  PolicyValidationPluginReport,
  PolicyValidationStack,
  PolicyViolation,
} from 'aws-cdk-lib';
import { CACHE_ROOT, cacheKeyOf, DiskCache } from './disk-cache';

/** Beside the test suite's cached assembly: removed with node_modules, never committed. */
export const VALIDATION_CACHE_DIR = join(CACHE_ROOT, 'miko-cfn-validate');
const CDK_LIB_VERSION: string = JSON.parse(readFileSync(require.resolve('aws-cdk-lib/package.json'), 'utf8')).version;

/** One finding of one template, without its template path (which differs from one assembly folder to the next). */
interface StoredFinding {
  readonly ruleName: string;
  readonly description: string;
  readonly severity?: string;
  readonly fix?: string;
  readonly ruleMetadata?: { readonly [key: string]: string };
  readonly resourceLogicalId?: string;
  readonly constructPath?: string;
  readonly locations: string[];
}

export class CachedCloudFormationValidatePlugin extends CloudFormationValidatePlugin {
  private readonly cache: DiskCache<StoredFinding[]>;

  constructor(cacheDir: string = VALIDATION_CACHE_DIR) {
    super();
    this.cache = new DiskCache(cacheDir, (stored): stored is StoredFinding[] => Array.isArray(stored));
  }

  public override validate(context: IPolicyValidationContext): PolicyValidationPluginReport {
    const stacks = context.stackTemplates.map((stack) => ({ stack, key: this.keyOf(stack) }));
    const findings = new Map<string, StoredFinding[]>();
    for (const { stack, key } of stacks) {
      const stored = this.cache.read(key);
      if (stored) findings.set(stack.templatePath, stored);
    }
    const toValidate = stacks.filter(({ stack }) => !findings.has(stack.templatePath));
    if (toValidate.length > 0) {
      const validated = toValidate.map(({ stack }) => stack);
      const report = super.validate({
        ...context,
        templatePaths: validated.map((stack) => stack.templatePath),
        stackTemplates: validated,
      });
      for (const { stack, key } of toValidate) {
        const own = findingsOf(report.violations, stack.templatePath);
        findings.set(stack.templatePath, own);
        this.cache.write(key, own);
      }
    }
    this.cache.pruneUnused();
    const violations = regroup(context.stackTemplates, findings);
    return { success: violations.every((v) => v.severity !== 'error' && v.severity !== 'fatal'), violations };
  }

  private keyOf(stack: PolicyValidationStack): string {
    return cacheKeyOf(
      JSON.stringify([CDK_LIB_VERSION, stack.accountId ?? '', stack.region ?? '', stack.stackConstructPath]),
      readFileSync(stack.templatePath),
    );
  }
}

function findingsOf(violations: readonly PolicyViolation[], templatePath: string): StoredFinding[] {
  return violations.flatMap((violation) =>
    violation.violatingResources
      .filter((resource) => resource.templatePath === templatePath)
      .map((resource) => ({
        ruleName: violation.ruleName,
        description: violation.description,
        severity: violation.severity,
        fix: violation.fix,
        ruleMetadata: violation.ruleMetadata,
        resourceLogicalId: resource.resourceLogicalId,
        constructPath: resource.constructPath,
        locations: resource.locations,
      })),
  );
}

/** As the plugin itself reports them: one violation per rule, severity and description, its resources in stack order. */
function regroup(
  stacks: readonly PolicyValidationStack[],
  findings: ReadonlyMap<string, StoredFinding[]>,
): PolicyViolation[] {
  const violations: {
    ruleName: string;
    description: string;
    severity?: string;
    fix?: string;
    ruleMetadata?: { [key: string]: string };
    violatingResources: PolicyViolation['violatingResources'];
  }[] = [];
  for (const { templatePath } of stacks) {
    for (const finding of findings.get(templatePath) ?? []) {
      const resource = {
        resourceLogicalId: finding.resourceLogicalId,
        constructPath: finding.constructPath,
        templatePath,
        locations: finding.locations,
      };
      const existing = violations.find(
        (v) =>
          v.ruleName === finding.ruleName && v.severity === finding.severity && v.description === finding.description,
      );
      if (existing) existing.violatingResources.push(resource);
      else
        violations.push({
          ruleName: finding.ruleName,
          description: finding.description,
          severity: finding.severity,
          fix: finding.fix,
          ruleMetadata: finding.ruleMetadata,
          violatingResources: [resource],
        });
    }
  }
  return violations;
}
