/** The audit bucket as synthesized: locked in compliance mode for the configured time, written once per key. */
import { loadAppConfig } from '../../lib/config';
import { dataTemplate } from '../support/one-stack';

describe.each(['production', 'staging'] as const)('%s audit trail', (env) => {
  const resources = dataTemplate(env).toJSON().Resources as Record<string, any>;
  const [bucketId, bucket] = Object.entries(resources).find(
    ([, r]) => r.Type === 'AWS::S3::Bucket' && /-audit-/.test(r.Properties.BucketName),
  )!;

  it('locks every record in COMPLIANCE mode (no one can shorten it) for the configured days, KMS-encrypted', () => {
    expect(bucket.Properties.ObjectLockEnabled).toBe(true);
    expect(bucket.Properties.ObjectLockConfiguration.Rule.DefaultRetention).toEqual({
      Mode: 'COMPLIANCE',
      Days: loadAppConfig()[env].audit.retentionDays,
    });
    expect(bucket.Properties.VersioningConfiguration.Status).toBe('Enabled');
    expect(
      bucket.Properties.BucketEncryption.ServerSideEncryptionConfiguration[0].ServerSideEncryptionByDefault
        .SSEAlgorithm,
    ).toBe('aws:kms');
  });

  it('denies everyone a PutObject without If-None-Match (a record is written once)', () => {
    const policy = Object.values(resources).find(
      (r) => r.Type === 'AWS::S3::BucketPolicy' && r.Properties.Bucket.Ref === bucketId,
    )!;
    expect(policy.Properties.PolicyDocument.Statement).toContainEqual(
      expect.objectContaining({
        Sid: 'WriteEachRecordOnce',
        Effect: 'Deny',
        Principal: { AWS: '*' },
        Action: 's3:PutObject',
        Condition: { Null: { 's3:if-none-match': 'true' } },
      }),
    );
  });
});
