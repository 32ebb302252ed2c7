/**
 * The backup task's image repository, in the stateful Data stack: the deploy workflow deploys Data first, pushes the
 * image built from this commit into it, and only then deploys the Backups stack whose task definitions name that
 * image by digest (BACKUP_IMAGE_DIGEST_PARAMETER). In the Backups stack itself, the first deploy would refer to an
 * image that could not have been pushed yet.
 */
import { RemovalPolicy } from 'aws-cdk-lib';
import * as ecr from 'aws-cdk-lib/aws-ecr';
import { Construct } from 'constructs';

/** The CloudFormation parameter of the Backups stack that carries the pushed image's digest (sha256:…). */
export const BACKUP_IMAGE_DIGEST_PARAMETER = 'BackupImageDigest';

/** Images are rebuilt from git; ten cover any rollback of the job. */
const IMAGES_KEPT = 10;

/** Fixed name, so the Backups stack and the deploy workflow find it without an export. */
export function backupImageRepositoryName(envName: string): string {
  return `miko-${envName}-backup-images`;
}

export function backupImageRepositoryUri(envName: string, account: string, region: string): string {
  return `${account}.dkr.ecr.${region}.amazonaws.com/${backupImageRepositoryName(envName)}`;
}

export class BackupImageRepository extends Construct {
  readonly repository: ecr.Repository;

  constructor(scope: Construct, id: string, props: { readonly envName: string }) {
    super(scope, id);
    this.repository = new ecr.Repository(this, 'Repository', {
      repositoryName: backupImageRepositoryName(props.envName),
      // A tag names one image forever; the task definition pins the digest anyway.
      imageTagMutability: ecr.TagMutability.IMMUTABLE,
      imageScanOnPush: true,
      lifecycleRules: [{ maxImageCount: IMAGES_KEPT, description: 'Keep the last ten job images' }],
      // Images are rebuilt from git by the next deploy: nothing here is the only copy of anything.
      removalPolicy: RemovalPolicy.DESTROY,
      emptyOnDelete: true,
    });
  }
}
