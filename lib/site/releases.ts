/**
 * One deploy = one release: hashed files to the shared, never-pruned `assets/` prefix, then the release's files to
 * `releases/<id>/` (HTML and config last), and only then the live pointer moves (a custom resource depending on
 * every upload). Nothing is overwritten in place, so HTML never points at missing chunks.
 */
import { CustomResource, Duration, RemovalPolicy, Stack, Token, Validations } from 'aws-cdk-lib';
import * as cloudfront from 'aws-cdk-lib/aws-cloudfront';
import * as iam from 'aws-cdk-lib/aws-iam';
import * as kms from 'aws-cdk-lib/aws-kms';
import * as logs from 'aws-cdk-lib/aws-logs';
import * as s3 from 'aws-cdk-lib/aws-s3';
import * as s3deploy from 'aws-cdk-lib/aws-s3-deployment';
import { Construct } from 'constructs';
import { copyFileSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import type { EnvironmentConfig } from '../config';
import { assertKeyValueSize } from '../shared/service-limits';
import { PlatformFunction } from '../shared/platform-function';
import { LIVE_RELEASE_KEY } from './routing';
import { actorFrom } from '../../lambda/shared/audit-log';
import { grantAuditAppend } from '../data/audit-grants';
import { scratchDir } from '../shared/scratch-dir';
import {
  ASSETS_DIR,
  CACHE_CONTROL,
  FileClass,
  assertPublic,
  classifyFile,
  listFiles,
  releasedHtml,
  runtimeConfig,
  versionInfo,
} from './release-content';

/** The upload handler copies a small SPA; 512 MB keeps a large build's unzip fast without a bigger bill. */
const UPLOAD_MEMORY_MB = 512;

/** Upload logs only say which files were copied; three months covers a deploy investigation. */
const UPLOAD_LOG_RETENTION = logs.RetentionDays.THREE_MONTHS;

/** How nag renders an ARN's partition: a literal with the partition-literals flag (cdk.json), a pseudo parameter without. */
function renderedPartition(stack: Stack): string {
  return Token.isUnresolved(stack.partition) ? '<AWS::Partition>' : stack.partition;
}

export interface SiteReleasesProps {
  readonly config: EnvironmentConfig;
  readonly appDist: string;
  readonly releaseId: string;
  readonly bucket: s3.IBucket;
  readonly releasePointer: cloudfront.IKeyValueStore;
  /** Where the pointer mover records the deploy (lib/data/audit-trail.ts). */
  readonly auditBucket: s3.IBucket;
  readonly key: kms.IKey;
  /** Values for version.json (commit, build time); the pipeline's environment. */
  readonly buildEnv: NodeJS.ProcessEnv;
}

/** Copies app-dist's files of one class into a fresh directory (HTML gets SRI and the build marker), for one BucketDeployment each. */
function stageFiles(appDist: string, fileClass: FileClass, releaseId: string): string {
  // Removed when the process ends: CDK has copied it into the assembly by then.
  const dir = scratchDir(`miko-release-${fileClass}-`);
  const read = (path: string) => {
    try {
      return readFileSync(join(appDist, path));
    } catch {
      return undefined;
    }
  };
  for (const file of listFiles(appDist).filter((f) => classifyFile(f) === fileClass)) {
    const target = join(dir, fileClass === 'assets' ? file.slice(ASSETS_DIR.length + 1) : file);
    mkdirSync(dirname(target), { recursive: true });
    if (/\.html?$/i.test(file))
      writeFileSync(target, releasedHtml(readFileSync(join(appDist, file), 'utf8'), releaseId, read));
    else copyFileSync(join(appDist, file), target);
  }
  return dir;
}

export class SiteReleases extends Construct {
  /** The public runtime config written as releases/<id>/config.json. */
  readonly publicConfig: Record<string, unknown>;

  constructor(scope: Construct, id: string, props: SiteReleasesProps) {
    super(scope, id);
    const { config, releaseId, bucket } = props;
    // The pointer mover writes the id as the live-release key's value.
    assertKeyValueSize(LIVE_RELEASE_KEY, releaseId);
    this.publicConfig = runtimeConfig({ config, release: releaseId });
    assertPublic(this.publicConfig);
    const releasePrefix = `releases/${releaseId}/`;

    const uploadRole = new iam.Role(this, 'UploadRole', {
      assumedBy: new iam.ServicePrincipal('lambda.amazonaws.com'),
      description: `MiKO ${config.envName}: uploads releases to the site bucket`,
    });
    const uploadLogs = new logs.LogGroup(this, 'UploadLogs', {
      retention: UPLOAD_LOG_RETENTION,
      encryptionKey: props.key,
      removalPolicy: RemovalPolicy.DESTROY,
    });
    // CDK's handler logs to this group as the upload role, which CDK grants nothing for it.
    uploadLogs.grantWrite(uploadRole);
    const upload = (name: string, sources: s3deploy.ISource[], destinationKeyPrefix: string, cacheControl: string) =>
      new s3deploy.BucketDeployment(this, name, {
        sources,
        destinationBucket: bucket,
        destinationKeyPrefix,
        cacheControl: [s3deploy.CacheControl.fromString(cacheControl)],
        // Never delete on upload: old chunks serve open tabs, old releases serve rollback; pruning is by count.
        prune: false,
        // The next release changes the destination prefix; without this the handler would delete the previous
        // release's files (the rollback target) when CloudFormation updates the resource.
        retainOnDelete: true,
        memoryLimit: UPLOAD_MEMORY_MB,
        role: uploadRole,
        logGroup: uploadLogs,
      });

    const assets = upload(
      'Assets',
      [s3deploy.Source.asset(stageFiles(props.appDist, 'assets', releaseId))],
      `${ASSETS_DIR}/`,
      CACHE_CONTROL.assets,
    );
    const publicFiles = upload(
      'PublicFiles',
      [s3deploy.Source.asset(stageFiles(props.appDist, 'publicFiles', releaseId))],
      releasePrefix,
      CACHE_CONTROL.publicFiles,
    );
    const documents = upload(
      'Documents',
      [
        s3deploy.Source.asset(stageFiles(props.appDist, 'documents', releaseId)),
        s3deploy.Source.jsonData('config.json', this.publicConfig),
        s3deploy.Source.jsonData('version.json', versionInfo(releaseId, props.buildEnv)),
      ],
      releasePrefix,
      CACHE_CONTROL.documents,
    );
    publicFiles.node.addDependency(assets);
    documents.node.addDependency(assets, publicFiles);

    const pointer = this.createPointer(props);
    pointer.node.addDependency(assets, publicFiles, documents);
    this.acknowledgeUploadHandler(uploadRole, bucket.bucketName);
  }

  /** The custom resource that moves the live pointer once every upload is done, then prunes old releases. */
  private createPointer(props: SiteReleasesProps): CustomResource {
    const mover = new PlatformFunction(this, 'PointerMover', {
      entry: join(__dirname, '..', '..', 'lambda', 'release-pointer', 'handler.ts'),
      description: `MiKO ${props.config.envName}: moves the live-release pointer after a deploy and prunes old releases`,
      timeout: Duration.minutes(2),
      key: props.key,
      reservedConcurrentExecutions: 1,
      removalPolicy: RemovalPolicy.DESTROY,
      bundleAwsSdk: true,
      outsideVpcReason:
        'Calls only the S3 and CloudFront KeyValueStore APIs during a deploy; there is no private resource to reach.',
      noDeadLetterQueueReason:
        'Invoked synchronously by CloudFormation, which records a failure and rolls the deploy back.',
    });
    const releaseObjects = props.bucket.arnForObjects('releases/*');
    mover.role.addToPolicy(
      new iam.PolicyStatement({
        actions: ['s3:ListBucket'],
        resources: [props.bucket.bucketArn],
        conditions: { StringLike: { 's3:prefix': ['releases/*'] } },
      }),
    );
    mover.role.addToPolicy(
      new iam.PolicyStatement({ actions: ['s3:GetObject', 's3:DeleteObject'], resources: [releaseObjects] }),
    );
    Validations.of(mover.role.node.findChild('DefaultPolicy')).acknowledge({
      id: `AwsSolutions::AwsSolutions-IAM5[Resource::arn:${renderedPartition(Stack.of(this))}:s3:::${props.bucket.bucketName}/releases/*]`,
      reason: 'Release ids are chosen per deploy; the mover reads and prunes only under releases/, never assets/.',
    });
    mover.role.addToPolicy(
      new iam.PolicyStatement({
        actions: [
          'cloudfront-keyvaluestore:DescribeKeyValueStore',
          'cloudfront-keyvaluestore:GetKey',
          'cloudfront-keyvaluestore:UpdateKeys',
        ],
        resources: [props.releasePointer.keyValueStoreArn],
      }),
    );
    grantAuditAppend(mover.role, props.auditBucket, props.key, props.config.envName);
    return new CustomResource(this, 'LiveRelease', {
      serviceToken: mover.function.functionArn,
      resourceType: 'Custom::MikoLiveRelease',
      properties: {
        KvsArn: props.releasePointer.keyValueStoreArn,
        BucketName: props.bucket.bucketName,
        ReleaseId: props.releaseId,
        ReleasesToKeep: String(props.config.site.releasesToKeep),
        FirstCanaryWeight: String(props.config.site.canary?.steps[0] ?? ''),
        AuditBucket: props.auditBucket.bucketName,
        EnvName: props.config.envName,
        // Who deployed: the CI run that synthesized it; a synth outside CI cannot know the person who deploys it.
        DeployedBy:
          props.buildEnv.GITHUB_ACTIONS === 'true'
            ? actorFrom(props.buildEnv, () => 'ci')
            : 'cdk deploy outside CI (see CloudTrail for the caller)',
      },
    });
  }

  /** The upload handler is CDK's own (one per stack); its findings are acknowledged on it with the reasons. */
  private acknowledgeUploadHandler(uploadRole: iam.Role, bucketName: string): void {
    const stack = Stack.of(this);
    const generated =
      "CDK's BucketDeployment grants (read of the staged deploy assets, write of the release bucket) use the action wildcards it generates; the role serves only this stack's uploads.";
    const handler = stack.node.children.find((child) => child.node.id.startsWith('Custom::CDKBucketDeployment'));
    if (handler) {
      const reason =
        "CDK's BucketDeployment handler: runs only during a deploy, invoked synchronously by CloudFormation, talks only to S3.";
      Validations.of(handler).acknowledge(
        {
          id: 'AwsSolutions::AwsSolutions-L1',
          reason:
            "CDK pins the BucketDeployment handler's runtime with the aws-cdk-lib release; it moves when aws-cdk-lib is upgraded.",
        },
        { id: 'HIPAA.Security::HIPAA.Security-LambdaConcurrency', reason },
        { id: 'NIST.800.53.R5::NIST.800.53.R5-LambdaConcurrency', reason },
        { id: 'HIPAA.Security::HIPAA.Security-LambdaDLQ', reason },
        { id: 'NIST.800.53.R5::NIST.800.53.R5-LambdaDLQ', reason },
        { id: 'HIPAA.Security::HIPAA.Security-LambdaInsideVPC', reason },
        { id: 'NIST.800.53.R5::NIST.800.53.R5-LambdaInsideVPC', reason },
      );
    }
    Validations.of(uploadRole.node.findChild('DefaultPolicy')).acknowledge(
      ...['s3:GetObject*', 's3:GetBucket*', 's3:List*', 's3:DeleteObject*', 's3:Abort*'].map((action) => ({
        id: `AwsSolutions::AwsSolutions-IAM5[Action::${action}]`,
        reason: generated,
      })),
      {
        id: `AwsSolutions::AwsSolutions-IAM5[Resource::arn:${renderedPartition(stack)}:s3:::cdk-hnb659fds-assets-${stack.account}-${stack.region}/*]`,
        reason: 'The staged deploy assets get content-hash names in the CDK bootstrap bucket; read only.',
      },
      {
        id: `AwsSolutions::AwsSolutions-IAM5[Resource::arn:${renderedPartition(stack)}:s3:::${bucketName}/*]`,
        reason: 'Uploads write releases/<id>/ and assets/ with names from the build.',
      },
      {
        id: 'HIPAA.Security::HIPAA.Security-IAMNoInlinePolicy',
        reason: 'Grants used by the upload handler of this stack only; no other principal shares them.',
      },
      {
        id: 'NIST.800.53.R5::NIST.800.53.R5-IAMNoInlinePolicy',
        reason: 'Grants used by the upload handler of this stack only; no other principal shares them.',
      },
    );
  }
}
