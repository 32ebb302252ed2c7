/**
 * The optional CloudTrail trail (lib/data/account-trail.ts) on a stack of its own: the platform key with its real
 * policy, a log bucket and the trail, synthesized with the app's three nag packs. Each property AWS requires of a
 * trail that CloudTrail will create and deliver to is asserted on the template; config refuses a wrong value.
 */
import { App, RemovalPolicy, Stack, Validations } from 'aws-cdk-lib';
import { Template } from 'aws-cdk-lib/assertions';
import * as kms from 'aws-cdk-lib/aws-kms';
import * as s3 from 'aws-cdk-lib/aws-s3';
import { AwsSolutionsChecks, HIPAASecurityChecks, NIST80053R5Checks } from 'cdk-nag';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { committedConfig } from '../../lib/config';
import { AccountTrail } from '../../lib/data/account-trail';
import { platformKeyPolicy } from '../../lib/secrets/key-policy';
import { problemsAfter } from '../support/config-problems';
import { testTempDir } from '../support/temp-dir';

const ACCOUNT = '222222222222';
const TRAIL_ARN = `arn:aws:cloudtrail:us-east-1:${ACCOUNT}:trail/miko-production-trail`;

const app = new App({ outdir: testTempDir('miko-account-trail-') });
Validations.of(app).addPlugins(new AwsSolutionsChecks(app), new HIPAASecurityChecks(app), new NIST80053R5Checks(app));
const stack = new Stack(app, 'TrailOnly', { env: { account: ACCOUNT, region: 'us-east-1' } });
const key = new kms.Key(stack, 'PlatformKey', { enableKeyRotation: true, policy: platformKeyPolicy(stack) });
const logBucket = s3.Bucket.fromBucketName(stack, 'Logs', 'miko-production-logs');
new AccountTrail(stack, 'AccountTrail', {
  envName: 'production',
  account: ACCOUNT,
  key,
  retentionDays: 2190,
  logBucket,
  removalPolicy: RemovalPolicy.RETAIN,
});
let nagError: unknown;
try {
  app.synth();
} catch (error) {
  nagError = error;
}
const template = Template.fromStack(stack).toJSON();
const resources = Object.entries(template.Resources as Record<string, any>);
const only = (type: string) => {
  const found = resources.filter(([, r]) => r.Type === type);
  expect(found).toHaveLength(1);
  return { id: found[0][0], properties: found[0][1].Properties, resource: found[0][1] };
};
const statement = (policy: { Statement: any[] }, sid: string) => policy.Statement.find((s) => s.Sid === sid);

it('logs every region with log-file validation, encrypted with the platform key, into its own bucket', () => {
  const trail = only('AWS::CloudTrail::Trail');
  const bucket = only('AWS::S3::Bucket');
  expect(trail.properties).toMatchObject({
    TrailName: 'miko-production-trail',
    EnableLogFileValidation: true,
    IsLogging: true,
    IsMultiRegionTrail: true,
    IncludeGlobalServiceEvents: true,
    KMSKeyId: { 'Fn::GetAtt': [only('AWS::KMS::Key').id, 'Arn'] },
    S3BucketName: { Ref: bucket.id },
  });
  // CloudTrail checks the bucket policy when the trail is created.
  expect(trail.resource.DependsOn).toContain(only('AWS::S3::BucketPolicy').id);
});

it('delivers to a bucket locked in compliance mode for the audit retention, encrypted, private', () => {
  const bucket = only('AWS::S3::Bucket').properties;
  expect(bucket.BucketName).toBe(`miko-production-cloudtrail-${ACCOUNT}`);
  expect(bucket.ObjectLockEnabled).toBe(true);
  expect(bucket.ObjectLockConfiguration.Rule.DefaultRetention).toEqual({ Mode: 'COMPLIANCE', Days: 2190 });
  expect(bucket.VersioningConfiguration.Status).toBe('Enabled');
  expect(bucket.BucketEncryption.ServerSideEncryptionConfiguration[0].ServerSideEncryptionByDefault).toEqual({
    SSEAlgorithm: 'aws:kms',
    KMSMasterKeyID: { 'Fn::GetAtt': [only('AWS::KMS::Key').id, 'Arn'] },
  });
  expect(bucket.PublicAccessBlockConfiguration).toEqual({
    BlockPublicAcls: true,
    BlockPublicPolicy: true,
    IgnorePublicAcls: true,
    RestrictPublicBuckets: true,
  });
});

it('has the bucket policy CloudTrail requires, for this trail only (aws:SourceArn)', () => {
  const policy = only('AWS::S3::BucketPolicy').properties.PolicyDocument;
  const bucketId = only('AWS::S3::Bucket').id;
  expect(statement(policy, 'CloudTrailChecksTheBucketAcl')).toEqual({
    Sid: 'CloudTrailChecksTheBucketAcl',
    Effect: 'Allow',
    Principal: { Service: 'cloudtrail.amazonaws.com' },
    Action: 's3:GetBucketAcl',
    Resource: { 'Fn::GetAtt': [bucketId, 'Arn'] },
    Condition: { StringEquals: { 'aws:SourceArn': TRAIL_ARN } },
  });
  expect(statement(policy, 'CloudTrailWritesLogFiles')).toEqual({
    Sid: 'CloudTrailWritesLogFiles',
    Effect: 'Allow',
    Principal: { Service: 'cloudtrail.amazonaws.com' },
    Action: 's3:PutObject',
    Resource: { 'Fn::Join': ['', [{ 'Fn::GetAtt': [bucketId, 'Arn'] }, `/AWSLogs/${ACCOUNT}/*`]] },
    Condition: { StringEquals: { 's3:x-amz-acl': 'bucket-owner-full-control', 'aws:SourceArn': TRAIL_ARN } },
  });
});

it('lets CloudTrail use the platform key for this trail only, as AWS documents, and nothing more', () => {
  const policy = only('AWS::KMS::Key').properties.KeyPolicy;
  expect(statement(policy, 'CloudTrailEncryptsLogFiles')).toEqual({
    Sid: 'CloudTrailEncryptsLogFiles',
    Effect: 'Allow',
    Principal: { Service: 'cloudtrail.amazonaws.com' },
    Action: 'kms:GenerateDataKey*',
    Resource: '*',
    Condition: {
      StringEquals: { 'aws:SourceArn': TRAIL_ARN },
      StringLike: { 'kms:EncryptionContext:aws:cloudtrail:arn': `arn:aws:cloudtrail:*:${ACCOUNT}:trail/*` },
    },
  });
  expect(statement(policy, 'CloudTrailDescribesTheKey').Condition).toEqual({
    StringEquals: { 'aws:SourceArn': TRAIL_ARN },
  });
  const cloudTrailActions = policy.Statement.filter(
    (s: any) => s.Principal?.Service === 'cloudtrail.amazonaws.com',
  ).flatMap((s: any) => [s.Action].flat());
  expect(cloudTrailActions.sort()).toEqual(['kms:DescribeKey', 'kms:GenerateDataKey*']);
  expect(statement(policy, 'ThisAccountDecryptsTrailLogFiles').Condition).toEqual({
    StringEquals: { 'kms:CallerAccount': ACCOUNT },
    StringLike: { 'kms:EncryptionContext:aws:cloudtrail:arn': `arn:aws:cloudtrail:*:${ACCOUNT}:trail/*` },
  });
});

it('passes the three nag packs: no finding on the trail or its bucket', () => {
  const report = JSON.parse(readFileSync(join(app.outdir, 'validation-report.json'), 'utf8'));
  const onTheTrail = report.pluginReports
    .flatMap((r: { violations: unknown[] }) => r.violations)
    .filter((v: unknown) => JSON.stringify(v).includes('AccountTrail'));
  expect(onTheTrail).toEqual([]);
  expect(nagError === undefined || /PlatformKey|Logs/.test(String(nagError))).toBe(true);
});

it('is off in the shipped config, and a value that is not true or false is refused naming the field', () => {
  expect([committedConfig.staging.audit.cloudTrail, committedConfig.production.audit.cloudTrail]).toEqual([
    false,
    false,
  ]);
  const problems = problemsAfter((c) => {
    (c.production.audit as any).cloudTrail = 'yes';
  });
  expect(problems).toContainEqual({
    path: 'production.audit.cloudTrail',
    message: expect.stringMatching(/^"yes" is not true or false\. Fix: true adds/),
  });
  expect(problemsAfter((c) => delete (c.staging.audit as any).cloudTrail)).toContainEqual({
    path: 'staging.audit.cloudTrail',
    message: expect.stringMatching(/^is missing\. Fix: add it \(expected boolean/),
  });
});
