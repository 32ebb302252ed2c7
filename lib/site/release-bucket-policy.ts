/**
 * The release bucket's ONE bucket policy, written in the Site stack because it names the distribution: a TLS-only
 * deny for everyone, and read access for CloudFront only when the request comes from OUR distribution
 * (AWS:SourceArn). CloudFormation allows a single AWS::S3::BucketPolicy per bucket, so both live here; the Data
 * stack's bucket therefore carries none (and says why in its acknowledgments).
 */
import { Stack } from 'aws-cdk-lib';
import * as cloudfront from 'aws-cdk-lib/aws-cloudfront';
import * as iam from 'aws-cdk-lib/aws-iam';
import * as s3 from 'aws-cdk-lib/aws-s3';
import { Construct } from 'constructs';

export class ReleaseBucketPolicy extends Construct {
  readonly policy: s3.CfnBucketPolicy;

  constructor(scope: Construct, id: string, props: { bucket: s3.IBucket; distribution: cloudfront.IDistribution }) {
    super(scope, id);
    const { bucket, distribution } = props;
    const stack = Stack.of(this);
    const document = new iam.PolicyDocument({
      statements: [
        new iam.PolicyStatement({
          sid: 'DenyRequestsWithoutTls',
          effect: iam.Effect.DENY,
          principals: [new iam.AnyPrincipal()],
          actions: ['s3:*'],
          resources: [bucket.bucketArn, bucket.arnForObjects('*')],
          conditions: { Bool: { 'aws:SecureTransport': 'false' } },
        }),
        new iam.PolicyStatement({
          sid: 'AllowOurDistributionToRead',
          principals: [new iam.ServicePrincipal('cloudfront.amazonaws.com')],
          // ListBucket makes a missing key a 404 rather than a 403, so a missing /assets/x.js is an honest 404.
          // Viewers can never list: the routing function rewrites `/` and no query string reaches the origin.
          actions: ['s3:GetObject', 's3:ListBucket'],
          resources: [bucket.bucketArn, bucket.arnForObjects('*')],
          conditions: {
            StringEquals: {
              'AWS:SourceArn': stack.formatArn({
                service: 'cloudfront',
                region: '',
                resource: 'distribution',
                resourceName: distribution.distributionId,
              }),
            },
          },
        }),
      ],
    });
    this.policy = new s3.CfnBucketPolicy(this, 'Policy', { bucket: bucket.bucketName, policyDocument: document });
  }
}
