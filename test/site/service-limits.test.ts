/**
 * Limits only a deploy would show, checked on the synthesized Site stack of both environments: the Lambda@Edge
 * runtime is one AWS documents for Lambda@Edge, and the web ACL lets every telemetry body the collector accepts
 * through (the common rule set's 8 KB body rule would refuse larger Reporting API batches with 403).
 */
import { loadAppConfig } from '../../lib/config';
import {
  assertCloudFrontFunctionSize,
  assertEdgeFunctionLimits,
  assertKeyValueSize,
  LAMBDA_EDGE_NODE_RUNTIMES,
} from '../../lib/shared/service-limits';
import { template } from '../support/assembly';

/** The common rule set's SizeRestrictions_BODY: a body over 8 KB (AWS's managed rule group documentation). */
const MANAGED_BODY_LIMIT_BYTES = 8 * 1024;
const BODY_LABEL = 'awswaf:managed:aws:core-rule-set:SizeRestrictions_Body';

interface Request {
  readonly path: string;
  readonly bodyBytes: number;
}

/**
 * The web ACL's verdict for a request over its synthesized rules in priority order: the common rule set modeled by
 * SizeRestrictions_BODY only, URI byte matches, label matches, and/or/not. Rate rules never fire for one request.
 */
function verdict(rules: any[], request: Request): 'allow' | 'block' {
  const labels = new Set<string>();
  const holds = (statement: any): boolean => {
    if (statement.byteMatchStatement) {
      const { searchString, positionalConstraint, fieldToMatch } = statement.byteMatchStatement;
      if (!fieldToMatch.uriPath || positionalConstraint !== 'STARTS_WITH')
        throw new Error(`the test models no ${JSON.stringify(statement)}`);
      return request.path.startsWith(searchString);
    }
    if (statement.labelMatchStatement) return labels.has(statement.labelMatchStatement.key);
    if (statement.notStatement) return !holds(statement.notStatement.statement);
    if (statement.andStatement) return statement.andStatement.statements.every(holds);
    if (statement.orStatement) return statement.orStatement.statements.some(holds);
    throw new Error(`the test models no ${JSON.stringify(statement)}`);
  };
  for (const rule of [...rules].sort((a, b) => a.Priority - b.Priority)) {
    const statement = rule.Statement;
    if (statement.ManagedRuleGroupStatement) {
      const group = statement.ManagedRuleGroupStatement;
      if (group.Name !== 'AWSManagedRulesCommonRuleSet' || request.bodyBytes <= MANAGED_BODY_LIMIT_BYTES) continue;
      labels.add(BODY_LABEL);
      const override = (group.RuleActionOverrides ?? []).find((o: any) => o.Name === 'SizeRestrictions_BODY');
      if (!override) return 'block';
      continue;
    }
    if (statement.RateBasedStatement) continue;
    if (holds(lowerCamel(statement)) && rule.Action?.Block) return 'block';
  }
  return 'allow';
}

/** CloudFormation's PascalCase statement, in the lowerCamel keys the model above reads. */
function lowerCamel(value: unknown): any {
  if (Array.isArray(value)) return value.map(lowerCamel);
  if (value === null || typeof value !== 'object') return value;
  return Object.fromEntries(Object.entries(value).map(([k, v]) => [k[0].toLowerCase() + k.slice(1), lowerCamel(v)]));
}

describe.each([
  ['Staging', 'staging'],
  ['Production', 'production'],
] as const)('%s limits', (stage, envName) => {
  const maxBodyBytes = loadAppConfig()[envName].telemetry.maxBodyBytes;
  const rules = () => {
    const [acl] = Object.values<any>(template(stage, 'Site').findResources('AWS::WAFv2::WebACL'));
    return acl.Properties.Rules;
  };

  const cases: Array<[string, string, number, 'allow' | 'block']> = [
    ['a Reporting API batch at the collector limit', '/_telemetry/reports', maxBodyBytes, 'allow'],
    ['a CSP report of 9 KB', '/_telemetry/csp', 9 * 1024, 'allow'],
    ['a small report', '/_telemetry/errors', 500, 'allow'],
    ['a 9 KB body anywhere else', '/booking', 9 * 1024, 'block'],
    ['a 9 KB body on a look-alike path', '/_telemetryx/reports', 9 * 1024, 'block'],
  ];
  it.each(cases)('the web ACL decides %s: %s', (_what, path, bodyBytes, expected) => {
    expect(verdict(rules(), { path, bodyBytes })).toBe(expected);
  });

  it("runs the payload hasher on a runtime AWS documents for Lambda@Edge (nodejs22.x, the newest on AWS's list)", () => {
    const functions = Object.entries<any>(template(stage, 'Site').findResources('AWS::Lambda::Function')).filter(
      ([id]) => id.startsWith('TelemetryPayloadHasher'),
    );
    expect(functions.map(([, f]) => f.Properties.Runtime)).toEqual(['nodejs22.x']);
    expect(LAMBDA_EDGE_NODE_RUNTIMES).toContain('nodejs22.x');
  });
});

describe('the synth-time limit checks', () => {
  const edge = {
    name: 'f',
    event: 'origin' as const,
    runtime: 'nodejs22.x',
    timeoutSeconds: 5,
    memoryMb: 128,
    bundleDir: __filename,
    bodyBytes: 65_536,
  };

  it('pass a function within every Lambda@Edge limit', () => {
    expect(() => assertEdgeFunctionLimits(edge)).not.toThrow();
  });

  it.each([
    [{ runtime: 'nodejs24.x' }, /runtime nodejs24\.x exceeds what Lambda@Edge supports .* Fix: use nodejs22\.x/],
    [{ timeoutSeconds: 31 }, /timeout of 31 s exceeds 30 s for origin events/],
    [{ event: 'viewer' as const, memoryMb: 256 }, /256 MB exceeds 128 MB for viewer events/],
    [{ bodyBytes: 2 * 1024 * 1024 }, /a 2097152-byte body exceeds the 1048576 bytes origin events expose/],
  ])('refuse %j, naming the limit and the fix', (change, message) => {
    expect(() => assertEdgeFunctionLimits({ ...edge, ...change })).toThrow(message);
  });

  it('refuse a CloudFront function over 10 KB and a KeyValueStore value over 1024 characters', () => {
    expect(() => assertCloudFrontFunctionSize('viewer-request.js', 'x'.repeat(10 * 1024 + 1))).toThrow(
      /viewer-request\.js \(10241 bytes\) exceeds 10240 bytes.*Fix: move data into the KeyValueStore/,
    );
    expect(() => assertCloudFrontFunctionSize('viewer-request.js', 'x'.repeat(10 * 1024))).not.toThrow();
    expect(() => assertKeyValueSize('live-release', 'r'.repeat(1025))).toThrow(/exceeds 1024 characters/);
    expect(() => assertKeyValueSize('k'.repeat(513), 'r')).toThrow(/exceeds 512 characters/);
  });
});
