/** The synthesized collector: private function URL behind OAC, its event log, the WAF rule, the alarms and the saved queries. */
import { Match } from 'aws-cdk-lib/assertions';
import { CloudAssembly } from 'aws-cdk-lib/cx-api';
import { join } from 'node:path';
import { readVocabulary, VOCABULARY_PATH } from '../../lambda/telemetry/vocabulary';
import { assetFolder } from '../../scripts/lib/read-assembly';
import { assemblyDir, template } from '../support/assembly';

const telemetry = template('Production', 'Telemetry');
const site = template('Production', 'Site');
const monitoring = template('Production', 'Monitoring');
const resources = (t: typeof site, type: string) => Object.values(t.findResources(type)) as Array<{ Properties: any }>;

it('serves the collector from an AWS_IAM function URL that CloudFront signs with OAC, body hashed at the edge', () => {
  telemetry.hasResourceProperties('AWS::Lambda::Url', { AuthType: 'AWS_IAM' });
  const distribution = resources(site, 'AWS::CloudFront::Distribution')[0].Properties.DistributionConfig;
  const behaviour = distribution.CacheBehaviors.find((b: any) => b.PathPattern === '/_telemetry/*');
  expect(behaviour.AllowedMethods).toContain('POST');
  expect(behaviour.LambdaFunctionAssociations).toEqual([
    expect.objectContaining({ EventType: 'origin-request', IncludeBody: true }),
  ]);
  const origin = distribution.Origins.find((o: any) => o.Id === behaviour.TargetOriginId);
  expect(origin.OriginAccessControlId).toBeDefined();
  site.hasResourceProperties('AWS::CloudFront::OriginAccessControl', {
    OriginAccessControlConfig: Match.objectLike({ OriginAccessControlOriginType: 'lambda', SigningBehavior: 'always' }),
  });
  site.hasResourceProperties('AWS::Lambda::Permission', {
    Action: 'lambda:InvokeFunctionUrl',
    Principal: 'cloudfront.amazonaws.com',
  });
});

it("gives the collector the release's vocabulary in a layer where the handler reads it", () => {
  const fn = resources(telemetry, 'AWS::Lambda::Function').find((f) => /_telemetry/.test(f.Properties.Description))!;
  const layers = telemetry.findResources('AWS::Lambda::LayerVersion');
  expect(Object.keys(layers)).toHaveLength(1);
  const [[layerId, layer]] = Object.entries(layers) as Array<[string, { Properties: any }]>;
  expect(fn.Properties.Layers).toEqual([{ Ref: layerId }]);
  expect(layer.Properties.CompatibleRuntimes).toEqual([fn.Properties.Runtime]);
  expect(layer.Properties.CompatibleArchitectures).toEqual(fn.Properties.Architectures);
  // The asset unpacks under /opt: the file is where readVocabulary() looks, built from the released fixture app.
  const folder = assetFolder(new CloudAssembly(assemblyDir()), layer.Properties.Content.S3Key);
  const vocabulary = readVocabulary(join(folder, VOCABULARY_PATH.replace(/^\/opt\//, '')));
  expect(vocabulary.words.has('createRoot')).toBe(true);
  expect(vocabulary.words.has('Schmidt')).toBe(false);
  expect(vocabulary.routes).toEqual(expect.arrayContaining(['/booking', '/_telemetry/errors']));
});

it('forwards no viewer address or cookie to the collector', () => {
  const policy = resources(site, 'AWS::CloudFront::OriginRequestPolicy')
    .map((r) => r.Properties.OriginRequestPolicyConfig)
    .find((c) => /telemetry/.test(c.Comment));
  expect(policy.HeadersConfig.Headers.sort()).toEqual(['content-type', 'origin', 'user-agent', 'x-miko-release']);
  expect(policy.CookiesConfig.CookieBehavior).toBe('none');
  expect(policy.QueryStringsConfig.QueryStringBehavior).toBe('none');
});

it('logs events to a KMS-encrypted log group kept 90 days', () => {
  const fn = resources(telemetry, 'AWS::Lambda::Function').find((f) => /_telemetry/.test(f.Properties.Description));
  const logGroupId = fn!.Properties.LoggingConfig.LogGroup.Ref;
  const logGroup = telemetry.toJSON().Resources[logGroupId].Properties;
  expect(logGroup.KmsKeyId).toBeDefined();
  expect(logGroup.RetentionInDays).toBe(90);
});

it('keeps error kinds in an on-demand table with a TTL', () => {
  // CDK's Template assertions throw on a mismatch; wrapped so the suite's one-assertion rule sees them.
  expect(() =>
    telemetry.hasResourceProperties('AWS::DynamoDB::Table', {
      TableName: 'miko-production-client-error-kinds',
      BillingMode: 'PAY_PER_REQUEST',
      TimeToLiveSpecification: { AttributeName: 'expiresAt', Enabled: true },
    }),
  ).not.toThrow();
});

it('rate-limits /_telemetry/ per IP in the WAF', () => {
  const acl = resources(site, 'AWS::WAFv2::WebACL')[0].Properties;
  const rule = acl.Rules.find((r: any) => r.Name === 'TelemetryRatePerIp');
  expect(rule.Action).toEqual({ Block: {} });
  expect(rule.Statement.RateBasedStatement).toMatchObject({
    Limit: 300,
    AggregateKeyType: 'IP',
    ScopeDownStatement: { ByteMatchStatement: { SearchString: '/_telemetry/', PositionalConstraint: 'STARTS_WITH' } },
  });
});

it('caps /_telemetry/ over all addresses in the WAF too, after the per-IP rule (the flood cost ceiling)', () => {
  const acl = resources(site, 'AWS::WAFv2::WebACL')[0].Properties;
  const total = acl.Rules.find((r: any) => r.Name === 'TelemetryRateTotal');
  const perIp = acl.Rules.find((r: any) => r.Name === 'TelemetryRatePerIp');
  expect(total.Action).toEqual({ Block: {} });
  expect(total.Statement.RateBasedStatement).toMatchObject({
    Limit: 11_000,
    AggregateKeyType: 'CONSTANT',
    EvaluationWindowSec: 300,
    ScopeDownStatement: { ByteMatchStatement: { SearchString: '/_telemetry/', PositionalConstraint: 'STARTS_WITH' } },
  });
  expect(total.Priority).toBe(perIp.Priority + 1);
});

it('names the collector in the CSP and the Reporting-Endpoints header', () => {
  const policy = resources(site, 'AWS::CloudFront::ResponseHeadersPolicy')[0].Properties.ResponseHeadersPolicyConfig;
  expect(policy.SecurityHeadersConfig.ContentSecurityPolicy.ContentSecurityPolicy).toMatch(
    /; report-uri \/_telemetry\/csp; report-to csp-endpoint$/,
  );
  expect(policy.CustomHeadersConfig.Items).toContainEqual({
    Header: 'Reporting-Endpoints',
    Value: 'csp-endpoint="/_telemetry/csp", default="/_telemetry/reports"',
    Override: true,
  });
});

describe('client alarms', () => {
  const alarm = (name: string) =>
    resources(monitoring, 'AWS::CloudWatch::Alarm').find((a) => a.Properties.AlarmName === name)!.Properties;

  it('a new error kind warns within one 10 s period', () => {
    expect(alarm('miko-production-warning-new-client-error-kind')).toMatchObject({
      Namespace: 'MiKO/Client',
      MetricName: 'NewClientErrorKinds',
      Period: 10,
      Threshold: 1,
      DatapointsToAlarm: 1,
    });
  });

  it('an error spike warns (anyone can post reports), never pages', () => {
    const spike = alarm('miko-production-warning-client-error-spike');
    expect(spike).toMatchObject({
      MetricName: 'ClientErrors',
      Period: 10,
      Threshold: 20,
      EvaluationPeriods: 3,
      DatapointsToAlarm: 2,
    });
    expect(spike.OKActions ?? []).toEqual([]);
    expect(JSON.stringify(spike.AlarmActions)).toMatch(/Warning/);
  });

  it('an enforced CSP that blocks warns; slow p75 LCP and INP warn', () => {
    expect(alarm('miko-production-warning-csp-enforced-blocking')).toMatchObject({
      MetricName: 'CspViolations',
      Dimensions: expect.arrayContaining([{ Name: 'Disposition', Value: 'enforce' }]),
    });
    expect(alarm('miko-production-warning-web-vitals-lcp')).toMatchObject({
      MetricName: 'LCP',
      ExtendedStatistic: 'p75',
      Threshold: 2500,
    });
    expect(alarm('miko-production-warning-web-vitals-inp')).toMatchObject({
      MetricName: 'INP',
      ExtendedStatistic: 'p75',
      Threshold: 200,
    });
  });
});

it('saves the triage queries against the collector log', () => {
  const names = resources(telemetry, 'AWS::Logs::QueryDefinition')
    .map((q) => q.Properties.Name)
    .sort();
  expect(names).toEqual([
    'miko-production/errors-of-this-fingerprint',
    'miko-production/errors-of-this-release',
    'miko-production/what-the-csp-blocked',
  ]);
  const csp = resources(telemetry, 'AWS::Logs::QueryDefinition').find((q) => /csp/.test(q.Properties.Name))!.Properties;
  expect(csp.QueryString).toMatch(/filter event = "csp-violation"/);
  expect(csp.LogGroupNames).toHaveLength(1);
});
