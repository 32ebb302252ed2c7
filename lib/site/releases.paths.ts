/**
 * A deploy's release steps (releases.ts), run by CloudFormation: CDK's BucketDeployment handler copies the staged
 * files into the site bucket, then the pointer mover moves the live-release pointer, prunes old releases and appends the move to the audit trail.
 */
import { auditAppendPaths, auditTamperPaths } from '../data/audit-grants.paths';
import { platformFunctionPaths } from '../shared/platform-function.paths';
import { logStream, PathCatalogue, resource, role, service } from '../shared/runtime-paths';

const upload = role('Site', 'ReleasesUploadRole');
const mover = role('Site', 'ReleasesPointerMoverRole');
const siteBucket = 'arn:aws:s3:::miko-{env}-site-{account}';
const generatedGrant =
  "CDK's BucketDeployment grants its handler read of the staged assets and write of the destination bucket with action wildcards it generates (s3:GetObject*, s3:List*, …); the role serves only this stack's uploads.";

export const catalogue: PathCatalogue = {
  paths: [
    {
      id: 'upload-role-assumed-by-lambda',
      what: "Lambda runs CDK's upload handler as the upload role",
      principal: service('lambda.amazonaws.com'),
      actions: ['sts:AssumeRole'],
      resource: resource('Site', 'ReleasesUploadRole'),
    },
    {
      id: 'cloudformation-runs-upload',
      what: 'CloudFormation invokes the upload handler for each BucketDeployment',
      principal: { role: 'cloudformation-execution' },
      actions: ['lambda:InvokeFunction'],
      resource: resource('Site', 'CustomCDKBucketDeployment8693BB64968944B69AAFB0CC9EB8756C512MiB'),
    },
    {
      id: 'upload-reads-staged-files',
      what: 'the upload handler reads the zip the deploy staged in the bootstrap bucket',
      principal: upload,
      actions: ['s3:GetObject'],
      resource: 'arn:aws:s3:::cdk-hnb659fds-assets-{account}-{region}/0123abcd.zip',
      wildcardReason: generatedGrant,
    },
    {
      id: 'upload-writes-release-files',
      what: "the upload handler writes the release's files and the shared assets into the site bucket",
      principal: upload,
      actions: ['s3:PutObject'],
      resource: `${siteBucket}/releases/r1/index.html`,
      wildcardReason: generatedGrant,
    },
    {
      id: 'upload-lists-site-bucket',
      what: 'the upload handler lists the destination (its sync compares before copying)',
      principal: upload,
      actions: ['s3:ListBucket'],
      resource: siteBucket,
      wildcardReason: generatedGrant,
    },
    {
      id: 'upload-writes-its-log',
      what: 'the upload handler writes its own log group',
      principal: upload,
      actions: ['logs:CreateLogStream', 'logs:PutLogEvents'],
      resource: logStream('Site', 'ReleasesUploadLogs'),
    },
    ...platformFunctionPaths('pointer-mover', 'Site', 'ReleasesPointerMover'),
    {
      id: 'cloudformation-runs-pointer-mover',
      what: 'CloudFormation invokes the pointer mover once every upload is done',
      principal: { role: 'cloudformation-execution' },
      actions: ['lambda:InvokeFunction'],
      resource: resource('Site', 'ReleasesPointerMoverFunction'),
    },
    {
      id: 'pointer-mover-checks-and-prunes',
      what: 'the pointer mover lists releases, checks the new one exists and prunes the oldest beyond the kept count',
      principal: mover,
      actions: ['s3:GetObject', 's3:DeleteObject'],
      resource: `${siteBucket}/releases/r1/index.html`,
      wildcardReason:
        'release ids are chosen per deploy; the mover reads and prunes only under releases/, never assets/.',
    },
    {
      id: 'pointer-mover-lists-releases',
      what: 'the pointer mover lists the kept releases',
      principal: mover,
      actions: ['s3:ListBucket'],
      resource: siteBucket,
      context: { 's3:prefix': 'releases/' },
    },
    {
      id: 'pointer-mover-moves-pointer',
      what: 'the pointer mover reads and moves the live-release key',
      principal: mover,
      actions: [
        'cloudfront-keyvaluestore:DescribeKeyValueStore',
        'cloudfront-keyvaluestore:GetKey',
        'cloudfront-keyvaluestore:UpdateKeys',
      ],
      resource: resource('Site', 'RoutingReleasePointer'),
    },
    ...auditAppendPaths('pointer-mover', mover),
  ],
  forbidden: [...auditTamperPaths('pointer-mover', mover)],
};
