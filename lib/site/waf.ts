/**
 * The distribution's web ACL (CLOUDFRONT scope, so us-east-1): AWS managed rules (common exploits, known bad inputs,
 * bad-reputation IPs) and per-IP rate limits, stricter on `/health*` (each request is a Lambda call) and on
 * `/_telemetry/*`, which also has a limit over all addresses. Logs redact the query string. The common set's 8 KB
 * body rule only counts (Reporting API batches are larger); our own rule blocks its label elsewhere.
 */
import { RemovalPolicy } from 'aws-cdk-lib';
import * as kms from 'aws-cdk-lib/aws-kms';
import * as logs from 'aws-cdk-lib/aws-logs';
import * as wafv2 from 'aws-cdk-lib/aws-wafv2';
import { PROBE_TOKEN_HEADER } from '../../lambda/shared/probe-token';
import { Construct } from 'constructs';
import { TELEMETRY_PREFIX } from '../telemetry/paths';

/** A WAF log names client IPs and paths; three months covers abuse investigations. */
export const WAF_LOG_RETENTION = logs.RetentionDays.THREE_MONTHS;

/** The managed groups, in evaluation order (cheapest, most decisive first). */
export const MANAGED_RULE_GROUPS = [
  'AWSManagedRulesAmazonIpReputationList',
  'AWSManagedRulesKnownBadInputsRuleSet',
  'AWSManagedRulesCommonRuleSet',
] as const;

export interface SiteWafProps {
  readonly envName: string;
  readonly rateLimitPer5Minutes: number;
  readonly healthRateLimitPer5Minutes: number;
  /** The same for `/_telemetry/*` (browser reports and beacons; each costs a Lambda call). */
  readonly telemetryRateLimitPer5Minutes: number;
  /** `/_telemetry/*` from all addresses together: the cost ceiling (docs/readme/telemetry-trust.md). */
  readonly telemetryTotalRateLimitPer5Minutes: number;
  /** Encrypts the WAF log group. */
  readonly key: kms.IKey;
}

/** The label the common rule set puts on a request whose body is over 8 KB. */
export const OVERSIZE_BODY_LABEL = 'awswaf:managed:aws:core-rule-set:SizeRestrictions_Body';

const visibility = (metricName: string): wafv2.CfnWebACL.VisibilityConfigProperty => ({
  cloudWatchMetricsEnabled: true,
  sampledRequestsEnabled: true,
  metricName,
});

/** The web ACL's name, which is also its metric name (the `WebACL` dimension of AWS/WAFV2 metrics). */
export function webAclName(envName: string): string {
  return `miko-${envName}-site`;
}

export class SiteWaf extends Construct {
  readonly webAcl: wafv2.CfnWebACL;

  constructor(scope: Construct, id: string, props: SiteWafProps) {
    super(scope, id);
    const managedRules: wafv2.CfnWebACL.RuleProperty[] = MANAGED_RULE_GROUPS.map((name, index) => ({
      name,
      priority: index,
      overrideAction: { none: {} },
      statement: {
        managedRuleGroupStatement: {
          vendorName: 'AWS',
          name,
          ...(name === 'AWSManagedRulesCommonRuleSet'
            ? { ruleActionOverrides: [{ name: 'SizeRestrictions_BODY', actionToUse: { count: {} } }] }
            : {}),
        },
      },
      visibilityConfig: visibility(name),
    }));
    const healthPaths: wafv2.CfnWebACL.StatementProperty = {
      byteMatchStatement: {
        fieldToMatch: { uriPath: {} },
        positionalConstraint: 'STARTS_WITH',
        searchString: '/health',
        textTransformations: [{ priority: 0, type: 'NONE' }],
      },
    };
    const telemetryPaths: wafv2.CfnWebACL.StatementProperty = {
      byteMatchStatement: {
        fieldToMatch: { uriPath: {} },
        positionalConstraint: 'STARTS_WITH',
        searchString: `${TELEMETRY_PREFIX}/`,
        textTransformations: [{ priority: 0, type: 'NONE' }],
      },
    };
    // After the managed groups: a rule sees only the labels of rules evaluated before it.
    const oversizeBodies: wafv2.CfnWebACL.RuleProperty = {
      name: 'OversizeBodyOutsideTelemetry',
      priority: managedRules.length,
      action: { block: {} },
      statement: {
        andStatement: {
          statements: [
            { labelMatchStatement: { scope: 'LABEL', key: OVERSIZE_BODY_LABEL } },
            { notStatement: { statement: telemetryPaths } },
          ],
        },
      },
      visibilityConfig: visibility('OversizeBodyOutsideTelemetry'),
    };
    const rateRule = (
      name: string,
      aggregateKeyType: 'IP' | 'CONSTANT',
      limit: number,
      scopeDownStatement?: wafv2.CfnWebACL.StatementProperty,
    ): wafv2.CfnWebACL.RuleProperty => ({
      name,
      priority: 0, // set below, in list order
      action: { block: {} },
      statement: { rateBasedStatement: { aggregateKeyType, limit, evaluationWindowSec: 300, scopeDownStatement } },
      visibilityConfig: visibility(name),
    });
    const rateRules = [
      rateRule('HealthRatePerIp', 'IP', props.healthRateLimitPer5Minutes, healthPaths),
      rateRule('TelemetryRatePerIp', 'IP', props.telemetryRateLimitPer5Minutes, telemetryPaths),
      rateRule('TelemetryRateTotal', 'CONSTANT', props.telemetryTotalRateLimitPer5Minutes, telemetryPaths),
      rateRule('SiteRatePerIp', 'IP', props.rateLimitPer5Minutes),
    ].map((rule, index) => ({ ...rule, priority: managedRules.length + 1 + index }));
    this.webAcl = new wafv2.CfnWebACL(this, 'WebAcl', {
      // Named, and named like its metrics: the AWS/WAFV2 alarms and dashboard address it by this name.
      name: webAclName(props.envName),
      scope: 'CLOUDFRONT',
      defaultAction: { allow: {} },
      description: `MiKO ${props.envName}: managed protections and per-IP rate limits for the site`,
      rules: [...managedRules, oversizeBodies, ...rateRules],
      visibilityConfig: visibility(webAclName(props.envName)),
    });

    // WAF requires the log group's name to start with aws-waf-logs-.
    const logGroup = new logs.LogGroup(this, 'Logs', {
      logGroupName: `aws-waf-logs-miko-${props.envName}-site`,
      retention: WAF_LOG_RETENTION,
      encryptionKey: props.key,
      removalPolicy: RemovalPolicy.DESTROY,
    });
    new wafv2.CfnLoggingConfiguration(this, 'Logging', {
      resourceArn: this.webAcl.attrArn,
      logDestinationConfigs: [logGroup.logGroupArn],
      // Query strings can carry patient data (a booking link, a search): never keep them in WAF logs. Referer
      // carries the page URL a request came from, query string included, so it is redacted too, as is the prober's token.
      redactedFields: [
        { queryString: {} },
        { singleHeader: { Name: 'authorization' } },
        { singleHeader: { Name: 'cookie' } },
        { singleHeader: { Name: 'referer' } },
        { singleHeader: { Name: PROBE_TOKEN_HEADER } },
      ],
    });
  }
}
