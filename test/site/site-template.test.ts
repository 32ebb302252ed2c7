/** The Site and Data templates of both environments, as synthesized once for every test file. */
import { Match } from 'aws-cdk-lib/assertions';
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { committedConfig } from '../../lib/config';
import { CLOUDFRONT_LOG_FIELDS } from '../../lib/site/access-logs';
import { siteSecurityHeaderSet } from '../../lib/site/security-header-values';
import { BUILD_MARKER, VALIDATORS } from '../../lambda/prober/probes';
import { ObservatoryResult, observatoryScores } from '../../scripts/lib/observatory';
import { policyHeaders } from '../../scripts/lib/response-headers';
import { FIXTURE_APP_DIST } from '../fixtures/real-app/sources';
import { stackArtifact, template } from '../support/assembly';

const STAGES = [
  ['Staging', committedConfig.staging],
  ['Production', committedConfig.production],
] as const;
const CACHING_DISABLED = '4135ea2d-6df8-44a3-9df3-4b5a84be39ad';

const resourcesOf = (stage: 'Staging' | 'Production', part: string, type: string) =>
  Object.entries<any>(template(stage, part).toJSON().Resources).filter(([, r]) => r.Type === type);
const only = (stage: 'Staging' | 'Production', part: string, type: string) => {
  const found = resourcesOf(stage, part, type);
  expect(found).toHaveLength(1);
  return found[0];
};
/** The routing function whose logical id names it (ViewerRequest, ViewerResponse). */
const functionNamed = (stage: 'Staging' | 'Production', name: string) => {
  const found = resourcesOf(stage, 'Site', 'AWS::CloudFront::Function').filter(([id]) => id.includes(name));
  expect(found).toHaveLength(1);
  return found[0];
};
const distributionConfig = (stage: 'Staging' | 'Production') =>
  only(stage, 'Site', 'AWS::CloudFront::Distribution')[1].Properties.DistributionConfig;

/** The synthesized response-headers policy (CloudFormation's ResponseHeadersPolicyConfig). */
const policyConfig = (stage: 'Staging' | 'Production') =>
  only(stage, 'Site', 'AWS::CloudFront::ResponseHeadersPolicy')[1].Properties.ResponseHeadersPolicyConfig;

/**
 * The headers a response carries under the synthesized response-headers policy, as `verify` and `preview` read it:
 * every value comes from the template (a test below proves it), never from this file.
 */
const headersFromPolicy = (stage: 'Staging' | 'Production'): Record<string, string> => headersOf(policyConfig(stage));
const headersOf = (config: any): Record<string, string> => ({ ...policyHeaders(config).values });

/** The release's index.html as uploaded (SRI added), found among the Site stack's file assets. */
function uploadedIndexHtml(stage: 'Staging' | 'Production'): string {
  const dir = dirname(stackArtifact(stage, 'Site').templateFullPath);
  const assemblyRoot = existsSync(join(dir, '..', 'manifest.json')) ? join(dir, '..') : dir;
  for (const name of readdirSync(assemblyRoot).filter((n) => n.startsWith('asset.'))) {
    const file = join(assemblyRoot, name, 'index.html');
    if (existsSync(file)) return readFileSync(file, 'utf8');
  }
  throw new Error('no staged index.html in the assembly');
}

const OWN_SCRIPTS_ONLY = '<script type="module" src="/assets/index-1a2b3c4d.js" integrity="sha384-abc"></script>';
let observatoryResults: Map<string, ObservatoryResult[]> | undefined;

/**
 * The real MDN Observatory's result for the stage's headers, with app-dist/'s HTML (SRI on every script) and the
 * fixture app's, whose Google Identity <script> cannot carry SRI. Both stages share one process, made on first use.
 */
function observatoryOf(stage: 'Staging' | 'Production'): { own: ObservatoryResult; released: ObservatoryResult } {
  if (!observatoryResults) {
    const inputs = STAGES.flatMap(([name, config]) => {
      const headers = { ...headersFromPolicy(name), 'Content-Type': 'text/html' };
      return [OWN_SCRIPTS_ONLY, uploadedIndexHtml(name)].map((html) => ({
        headers,
        html,
        hostname: config.domain.name,
      }));
    });
    const results = observatoryScores(inputs);
    observatoryResults = new Map(STAGES.map(([name], i) => [name, results.slice(2 * i, 2 * i + 2)]));
  }
  const [own, released] = observatoryResults.get(stage)!;
  return { own, released };
}

describe.each(STAGES)('%s site', (stage, config) => {
  const productionLike = stage === 'Production';
  const bucketName = `miko-${config.envName}-site-${config.account}`;

  it('keeps the release bucket private, encrypted, versioned, logged, and RETAINed in production', () => {
    const [, bucket] = resourcesOf(stage, 'Data', 'AWS::S3::Bucket').find(
      ([, r]) => r.Properties.BucketName === bucketName,
    )!;
    expect(bucket.DeletionPolicy).toBe(productionLike ? 'Retain' : 'Delete');
    expect(bucket.Properties).toMatchObject({
      PublicAccessBlockConfiguration: {
        BlockPublicAcls: true,
        BlockPublicPolicy: true,
        IgnorePublicAcls: true,
        RestrictPublicBuckets: true,
      },
      BucketEncryption: {
        ServerSideEncryptionConfiguration: [{ ServerSideEncryptionByDefault: { SSEAlgorithm: 'AES256' } }],
      },
      VersioningConfiguration: { Status: 'Enabled' },
      LoggingConfiguration: { DestinationBucketName: expect.anything(), LogFilePrefix: 's3/' },
    });
    const rules = bucket.Properties.LifecycleConfiguration.Rules;
    expect(rules).toEqual([
      expect.objectContaining({ Status: 'Enabled', NoncurrentVersionExpiration: { NoncurrentDays: 30 } }),
    ]);
    // The live release is never expired: no rule expires current objects.
    expect(rules.some((r: any) => r.ExpirationInDays !== undefined)).toBe(false);
  });

  it('expires access logs after 90 days', () => {
    // The site's buckets only: Data also holds the backup vault (test/backups/backups-template.test.ts).
    const logBuckets = resourcesOf(stage, 'Data', 'AWS::S3::Bucket').filter(
      ([, r]) => r.Properties.BucketName !== bucketName && !r.Properties.ObjectLockEnabled,
    );
    expect(logBuckets).toHaveLength(1);
    expect(logBuckets[0][1].Properties.LifecycleConfiguration.Rules[0]).toMatchObject({ ExpirationInDays: 90 });
  });

  it("writes the bucket's one policy in the Site stack: TLS only, and read for OUR distribution only (AWS:SourceArn)", () => {
    expect(
      resourcesOf(stage, 'Data', 'AWS::S3::BucketPolicy').filter(([, r]) => JSON.stringify(r).includes(bucketName)),
    ).toEqual([]);
    const [, policy] = only(stage, 'Site', 'AWS::S3::BucketPolicy');
    expect(policy.Properties.Bucket).toBe(bucketName);
    const [distributionId] = only(stage, 'Site', 'AWS::CloudFront::Distribution');
    const statements = policy.Properties.PolicyDocument.Statement;
    expect(statements).toContainEqual(
      expect.objectContaining({
        Effect: 'Deny',
        Principal: { AWS: '*' },
        Condition: { Bool: { 'aws:SecureTransport': 'false' } },
      }),
    );
    const grant = statements.find((s: any) => s.Effect === 'Allow');
    expect(grant.Principal).toEqual({ Service: 'cloudfront.amazonaws.com' });
    expect(JSON.stringify(grant.Condition.StringEquals['AWS:SourceArn'])).toContain(`"Ref":"${distributionId}"`);
    expect(grant.Action).toEqual(['s3:GetObject', 's3:ListBucket']);
  });

  it('uses Origin Access Control, never an OAI', () => {
    const origins = distributionConfig(stage).Origins;
    for (const origin of origins) expect(origin.OriginAccessControlId).toBeDefined();
    expect(origins.find((o: any) => o.S3OriginConfig).S3OriginConfig).toEqual({ OriginAccessIdentity: '' });
    expect(resourcesOf(stage, 'Site', 'AWS::CloudFront::CloudFrontOriginAccessIdentity')).toEqual([]);
    expect(resourcesOf(stage, 'Data', 'AWS::CloudFront::CloudFrontOriginAccessIdentity')).toEqual([]);
  });

  it('sends every security header with its exact value', () => {
    const headers = headersFromPolicy(stage);
    expect(headers).toMatchObject({
      'Strict-Transport-Security': 'max-age=63072000; includeSubDomains; preload',
      'X-Content-Type-Options': 'nosniff',
      'X-Frame-Options': 'DENY',
      'Referrer-Policy': 'strict-origin-when-cross-origin',
      'Cross-Origin-Opener-Policy': 'same-origin-allow-popups',
      'Cross-Origin-Resource-Policy': 'same-origin',
    });
    expect(headers['Permissions-Policy']).toMatch(/(^|, )camera=\(\)/);
    expect(headers['Permissions-Policy']).toMatch(/(^|, )geolocation=\(\)/);
    const ref = new URL(config.backends.supabase.projectUrl).host;
    expect(headers['Content-Security-Policy']).toBe(
      `default-src 'none'; script-src 'self' https://accounts.google.com; style-src 'self'; ` +
        `style-src-elem 'self' https://fonts.googleapis.com https://accounts.google.com 'unsafe-inline'; img-src 'self' data:; font-src 'self' https://fonts.gstatic.com; ` +
        `connect-src 'self' https://${ref} wss://${ref} https://n8n.miko.example.com https://www.googleapis.com https://oauth2.googleapis.com https://o000000.ingest.sentry.io https://accounts.google.com; ` +
        `frame-src https://accounts.google.com; worker-src 'self' blob:; ` +
        `manifest-src 'self'; object-src 'none'; base-uri 'none'; form-action 'self'; frame-ancestors 'none'; upgrade-insecure-requests; ` +
        'report-uri /_telemetry/csp; report-to csp-endpoint',
    );
    expect(headers['Reporting-Endpoints']).toBe('csp-endpoint="/_telemetry/csp", default="/_telemetry/reports"');
  });

  it('sends exactly the headers config asks for, and strips Server', () => {
    // The construct types some headers itself (X-Content-Type-Options has no value in config's shape): one dropped
    // there would be missing from the template while config still promises it.
    expect(headersFromPolicy(stage)).toEqual(siteSecurityHeaderSet(config).headers);
    expect(policyHeaders(policyConfig(stage)).removed).toEqual(['Server']);
  });

  it("takes every header these tests expect from the template alone (a helper's own value would hide a missing one)", () => {
    const synthesized = policyConfig(stage);
    const withHeaders = headersFromPolicy(stage);
    const typed: Record<string, string> = {
      StrictTransportSecurity: 'Strict-Transport-Security',
      ContentTypeOptions: 'X-Content-Type-Options',
      FrameOptions: 'X-Frame-Options',
      ReferrerPolicy: 'Referrer-Policy',
      ContentSecurityPolicy: 'Content-Security-Policy',
    };
    const present = Object.keys(synthesized.SecurityHeadersConfig);
    expect(present.length).toBeGreaterThanOrEqual(4);
    for (const field of present) {
      const without = structuredClone(synthesized);
      delete without.SecurityHeadersConfig[field];
      expect(withHeaders).toHaveProperty([typed[field]]);
      expect(headersOf(without)).not.toHaveProperty([typed[field]]);
    }
    for (const { Header } of synthesized.CustomHeadersConfig.Items) {
      const without = structuredClone(synthesized);
      without.CustomHeadersConfig.Items = without.CustomHeadersConfig.Items.filter((i: any) => i.Header !== Header);
      expect(withHeaders).toHaveProperty([Header]);
      expect(headersOf(without)).not.toHaveProperty([Header]);
    }
  });

  it(
    productionLike
      ? 'lets search engines index production'
      : 'keeps staging out of search engines (X-Robots-Tag: noindex)',
    () => {
      expect(headersFromPolicy(stage)['X-Robots-Tag']).toBe(productionLike ? undefined : 'noindex');
    },
  );

  it("scores A+ with the real MDN Observatory: 135 with the build's own scripts, the Google script costing its SRI points", () => {
    const { own, released } = observatoryOf(stage);
    expect(own).toMatchObject({ grade: 'A+', score: 135, testsPassed: own.testsQuantity });
    expect(own.tests['subresource-integrity'].result).toBe('sri-implemented-and-all-scripts-loaded-securely');
    expect(own.tests['content-security-policy'].result).toBe('csp-implemented-with-no-unsafe-default-src-none');
    expect(released.tests['subresource-integrity'].result).toBe(
      'sri-not-implemented-but-external-scripts-loaded-securely',
    );
    expect(released).toMatchObject({ grade: 'A+', score: 125 });
  });

  it('releases index.html with the build marker and SRI that the build itself does not carry, and the prober accepts it', () => {
    const built = readFileSync(join(FIXTURE_APP_DIST, 'index.html'), 'utf8');
    expect(built).not.toContain(BUILD_MARKER);
    expect(built).not.toMatch(/integrity=/);
    const released = uploadedIndexHtml(stage);
    expect(released).toContain(BUILD_MARKER);
    expect(released).toMatch(/<script[^>]+src="\/assets\/index-[A-Za-z0-9_-]+\.js" integrity="sha384-/);
    expect(released).toMatch(/<link[^>]+href="\/assets\/index-[A-Za-z0-9_-]+\.css" integrity="sha384-/);
    expect(VALIDATORS.site(200, released)).toBe(true);
    expect(VALIDATORS.site(200, built)).toBe(false);
  });

  it('releases HTML the enforced policy allows: no inline script or handler, own files hashed under /assets/, others from declared origins', () => {
    const html = uploadedIndexHtml(stage);
    expect(html).not.toMatch(/<script(?![^>]*\bsrc=)[^>]*>/i);
    expect(html).not.toMatch(/\sstyle=|\son[a-z]+=/i);
    const policy = headersFromPolicy(stage)['Content-Security-Policy'];
    for (const [, tag, url] of html.matchAll(/<(script|link)\b[^>]*\b(?:src|href)="([^"]+)"/g)) {
      if (url.startsWith('/'))
        expect(url).toMatch(/^\/(assets\/[A-Za-z0-9._-]+-[A-Za-z0-9_-]{6,}\.(js|css)|favicon\.svg)$/);
      else expect(policy).toContain(new URL(url).origin);
      expect(tag).toMatch(/script|link/);
    }
  });

  it('attaches the headers policy and the routing function to every behaviour, the release namer to the bucket’s', () => {
    const [policyId] = only(stage, 'Site', 'AWS::CloudFront::ResponseHeadersPolicy');
    const functionId = functionNamed(stage, 'ViewerRequest')[0];
    const responseFunctionId = functionNamed(stage, 'ViewerResponse')[0];
    const dist = distributionConfig(stage);
    const behaviours = [dist.DefaultCacheBehavior, ...dist.CacheBehaviors];
    expect(dist.CacheBehaviors.map((b: any) => b.PathPattern).sort()).toEqual([
      '/_telemetry/*',
      '/assets/*',
      '/health*',
    ]);
    for (const behaviour of behaviours) {
      expect(behaviour.ResponseHeadersPolicyId).toEqual({ Ref: policyId });
      const fromBucket = behaviour.PathPattern === undefined || behaviour.PathPattern === '/assets/*';
      expect(behaviour.FunctionAssociations).toEqual([
        { EventType: 'viewer-request', FunctionARN: { 'Fn::GetAtt': [functionId, 'FunctionARN'] } },
        ...(fromBucket
          ? [{ EventType: 'viewer-response', FunctionARN: { 'Fn::GetAtt': [responseFunctionId, 'FunctionARN'] } }]
          : []),
      ]);
      // A redirected POST comes back as a GET, so telemetry refuses plain HTTP instead of redirecting it.
      expect(behaviour.ViewerProtocolPolicy).toBe(
        behaviour.PathPattern === '/_telemetry/*' ? 'https-only' : 'redirect-to-https',
      );
    }
    expect(dist.CustomErrorResponses).toBeUndefined();
  });

  it('runs both routing functions on cloudfront-js-2.0 with the release store', () => {
    const [storeId] = only(stage, 'Site', 'AWS::CloudFront::KeyValueStore');
    for (const name of ['ViewerRequest', 'ViewerResponse']) {
      const [, fn] = functionNamed(stage, name);
      expect(fn.Properties.FunctionConfig.Runtime).toBe('cloudfront-js-2.0');
      expect(fn.Properties.FunctionConfig.KeyValueStoreAssociations).toEqual([
        { KeyValueStoreARN: { 'Fn::GetAtt': [storeId, 'Arn'] } },
      ]);
      expect(JSON.stringify(fn.Properties.FunctionCode)).toContain(`"Fn::GetAtt":["${storeId}","Id"]`);
    }
  });

  it('caches hashed assets a year and revalidates everything else, with brotli and gzip', () => {
    const dist = distributionConfig(stage);
    const policies = Object.fromEntries(
      resourcesOf(stage, 'Site', 'AWS::CloudFront::CachePolicy').map(([id, r]) => [id, r.Properties.CachePolicyConfig]),
    );
    const assets = policies[dist.CacheBehaviors.find((b: any) => b.PathPattern === '/assets/*').CachePolicyId.Ref];
    const documents = policies[dist.DefaultCacheBehavior.CachePolicyId.Ref];
    expect(assets).toMatchObject({ DefaultTTL: 31536000, MaxTTL: 31536000 });
    expect(documents).toMatchObject({ MinTTL: 0, DefaultTTL: 0, MaxTTL: 3600 });
    for (const policy of [assets, documents]) {
      expect(policy.ParametersInCacheKeyAndForwardedToOrigin).toMatchObject({
        EnableAcceptEncodingBrotli: true,
        EnableAcceptEncodingGzip: true,
        CookiesConfig: { CookieBehavior: 'none' },
        QueryStringsConfig: { QueryStringBehavior: 'none' },
      });
    }
  });

  it('uploads each file class with its Cache-Control, assets first, and moves the pointer last', () => {
    const deployments = Object.fromEntries(
      resourcesOf(stage, 'Site', 'Custom::CDKBucketDeployment').map(([id, r]) => [id, r]),
    );
    const byPrefix = Object.values<any>(deployments).map((d) => [
      d.Properties.DestinationBucketKeyPrefix,
      d.Properties.SystemMetadata['cache-control'],
      d.Properties.Prune,
    ]);
    const release = stackArtifact(stage, 'Site').template.Outputs.ReleaseId.Value;
    expect(byPrefix.sort()).toEqual(
      [
        ['assets/', 'public, max-age=31536000, immutable', false],
        [`releases/${release}/`, 'no-cache', false],
        [`releases/${release}/`, 'public, max-age=300, must-revalidate', false],
      ].sort(),
    );
    const idOf = (cacheControl: string) =>
      Object.keys(deployments).find(
        (id) => deployments[id].Properties.SystemMetadata['cache-control'] === cacheControl,
      )!;
    const assetsId = idOf('public, max-age=31536000, immutable');
    const documentsId = idOf('no-cache');
    expect(deployments[documentsId].DependsOn).toContain(assetsId);
    const [, pointer] = only(stage, 'Site', 'Custom::MikoLiveRelease');
    expect(pointer.DependsOn).toEqual(expect.arrayContaining(Object.keys(deployments)));
    expect(pointer.Properties).toMatchObject({
      ReleaseId: release,
      BucketName: bucketName,
      ReleasesToKeep: String(config.site.releasesToKeep),
    });
  });

  it('writes config.json and version.json with the release', () => {
    const [, documents] = resourcesOf(stage, 'Site', 'Custom::CDKBucketDeployment').find(
      ([, r]) => r.Properties.SystemMetadata['cache-control'] === 'no-cache',
    )!;
    expect(documents.Properties.SourceObjectKeys).toHaveLength(3);
  });

  it('sends /health* to the health function URL, never cached, with only the release header and the prober token forwarded', () => {
    const dist = distributionConfig(stage);
    const health = dist.CacheBehaviors.find((b: any) => b.PathPattern === '/health*');
    expect(health.CachePolicyId).toBe(CACHING_DISABLED);
    const [, requestPolicy] = resourcesOf(stage, 'Site', 'AWS::CloudFront::OriginRequestPolicy').find(
      ([id]) => id === health.OriginRequestPolicyId.Ref,
    )!;
    expect(requestPolicy.Properties.OriginRequestPolicyConfig).toMatchObject({
      HeadersConfig: { HeaderBehavior: 'whitelist', Headers: ['x-miko-release', 'x-miko-probe-token'] },
      CookiesConfig: { CookieBehavior: 'none' },
      QueryStringsConfig: { QueryStringBehavior: 'none' },
    });
    const origin = dist.Origins.find((o: any) => o.Id === health.TargetOriginId);
    expect(origin.CustomOriginConfig).toMatchObject({ OriginProtocolPolicy: 'https-only' });
  });

  it('lets only this distribution invoke the health URL, with the permission in the Site stack and nothing in Health naming Site', () => {
    const [distributionId] = only(stage, 'Site', 'AWS::CloudFront::Distribution');
    const permissions = resourcesOf(stage, 'Site', 'AWS::Lambda::Permission').map(([, r]) => r.Properties);
    // One pair per function URL origin: health and the telemetry collector.
    expect(permissions.map((p) => p.Action).sort()).toEqual([
      'lambda:InvokeFunction',
      'lambda:InvokeFunction',
      'lambda:InvokeFunctionUrl',
      'lambda:InvokeFunctionUrl',
    ]);
    for (const permission of permissions) {
      expect(permission.Principal).toBe('cloudfront.amazonaws.com');
      expect(JSON.stringify(permission.SourceArn)).toContain(`"Ref":"${distributionId}"`);
    }
    expect(JSON.stringify(template(stage, 'Health').toJSON())).not.toMatch(/Site/);
    expect(stackArtifact(stage, 'Health').dependencies.map((d) => d.id)).not.toContain(`${stage}Site`);
  });

  it('serves TLS 1.2+ (2021 policy), HTTP/2 and HTTP/3 and IPv6 on its own name', () => {
    const dist = distributionConfig(stage);
    expect(dist).toMatchObject({ HttpVersion: 'http2and3', IPV6Enabled: true, Aliases: [config.domain.name] });
    expect(dist.ViewerCertificate).toMatchObject({
      MinimumProtocolVersion: 'TLSv1.2_2021',
      SslSupportMethod: 'sni-only',
    });
    template(stage, 'Site').hasResourceProperties('AWS::CertificateManager::Certificate', {
      DomainName: config.domain.name,
      ValidationMethod: 'DNS',
      DomainValidationOptions: [{ DomainName: config.domain.name, HostedZoneId: config.domain.hostedZone.id }],
    });
    const [distributionId] = only(stage, 'Site', 'AWS::CloudFront::Distribution');
    const records = resourcesOf(stage, 'Site', 'AWS::Route53::RecordSet').map(([, r]) => r.Properties);
    expect(records.map((r) => r.Type).sort()).toEqual(['A', 'AAAA']);
    for (const record of records) {
      expect(record).toMatchObject({
        Name: `${config.domain.name}.`,
        HostedZoneId: config.domain.hostedZone.id,
        AliasTarget: { DNSName: { 'Fn::GetAtt': [distributionId, 'DomainName'] } },
      });
    }
  });

  it('protects the distribution with managed rules and per-IP rate limits from config, stricter on /health*', () => {
    const [webAclId, acl] = only(stage, 'Site', 'AWS::WAFv2::WebACL');
    expect(distributionConfig(stage).WebACLId).toEqual({ 'Fn::GetAtt': [webAclId, 'Arn'] });
    expect(acl.Properties).toMatchObject({ Scope: 'CLOUDFRONT', DefaultAction: { Allow: {} } });
    const rules = Object.fromEntries(acl.Properties.Rules.map((r: any) => [r.Name, r]));
    for (const group of [
      'AWSManagedRulesCommonRuleSet',
      'AWSManagedRulesKnownBadInputsRuleSet',
      'AWSManagedRulesAmazonIpReputationList',
    ]) {
      // The common rule set's 8 KB body rule only counts: the telemetry exception is service-limits.test.ts's.
      expect(rules[group].Statement.ManagedRuleGroupStatement).toMatchObject({ VendorName: 'AWS', Name: group });
      expect(rules[group].Statement.ManagedRuleGroupStatement.RuleActionOverrides ?? []).toEqual(
        group === 'AWSManagedRulesCommonRuleSet' ? [{ Name: 'SizeRestrictions_BODY', ActionToUse: { Count: {} } }] : [],
      );
      expect(rules[group].OverrideAction).toEqual({ None: {} });
    }
    expect(rules.SiteRatePerIp).toMatchObject({
      Action: { Block: {} },
      Statement: { RateBasedStatement: { AggregateKeyType: 'IP', Limit: config.waf.rateLimitPer5Minutes } },
    });
    expect(rules.HealthRatePerIp).toMatchObject({
      Action: { Block: {} },
      Statement: {
        RateBasedStatement: {
          Limit: config.waf.healthRateLimitPer5Minutes,
          ScopeDownStatement: { ByteMatchStatement: { SearchString: '/health', PositionalConstraint: 'STARTS_WITH' } },
        },
      },
    });
    expect(rules.HealthRatePerIp.Priority).toBeLessThan(rules.SiteRatePerIp.Priority);
    template(stage, 'Site').hasResourceProperties('AWS::WAFv2::LoggingConfiguration', {
      RedactedFields: Match.arrayWith([{ QueryString: {} }]),
    });
  });

  it('logs CloudFront requests without query strings, cookies or Referer', () => {
    const [, delivery] = only(stage, 'Site', 'AWS::Logs::Delivery');
    expect(delivery.Properties.RecordFields).toEqual([...CLOUDFRONT_LOG_FIELDS]);
    for (const field of ['cs-uri-query', 'cs(Cookie)', 'cs(Referer)'])
      expect(delivery.Properties.RecordFields).not.toContain(field);
    template(stage, 'Site').hasResourceProperties('AWS::Logs::DeliverySource', { LogType: 'ACCESS_LOGS' });
  });
});
