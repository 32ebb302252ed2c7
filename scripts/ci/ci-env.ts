/**
 * Prints what a workflow needs to know about an environment, from the committed config, as `key=value` lines for
 * $GITHUB_OUTPUT: the workflows never repeat an account id, a role name or a domain.
 *
 *   node -r ./scripts/lib/register-typescript.cjs scripts/ci/ci-env.ts --env production >> "$GITHUB_OUTPUT"
 */
import { parseArgs } from 'node:util';
import { EnvironmentName, loadAppConfig } from '../../lib/config';
import { BACKUP_IMAGE_DIGEST_PARAMETER, backupImageRepositoryUri } from '../../lib/backups/image-repository';
import { ciRoleArn } from '../../lib/delivery/ci-roles';
import { STAGE_IDS } from '../../lib/stage-ids';
import { environmentFlag } from '../lib/command';

export function ciEnvironment(env: EnvironmentName): Record<string, string> {
  const config = loadAppConfig()[env];
  return {
    stage: STAGE_IDS[env],
    /** Jobs must run in this GitHub environment: the deploy role trusts exactly `environment:<this>`. */
    github_environment: config.delivery.githubEnvironment,
    region: config.region,
    diff_role_arn: ciRoleArn(env, config.account, 'diff'),
    deploy_role_arn: ciRoleArn(env, config.account, 'deploy'),
    rollback_role_arn: ciRoleArn(env, config.account, 'rollback'),
    site_url: `https://${config.domain.name}`,
    /** Where the deploy pushes the backup task's image, between the Data stack's deploy and the others'. */
    backup_image_repository: backupImageRepositoryUri(env, config.account, config.region),
    /** `cdk deploy --parameters` names a stack by its CloudFormation name (Staging-Backups), not its path. */
    backup_image_parameter: `${STAGE_IDS[env]}-Backups:${BACKUP_IMAGE_DIGEST_PARAMETER}`,
    /** Empty when a deploy goes live at once; else the canary plan `npm run release` walks after the deploy. */
    canary_steps: config.site.canary?.steps.join(',') ?? '',
    canary_bake: config.site.canary ? `${config.site.canary.bakeMinutes}m` : '',
  };
}

if (require.main === module) {
  let env: EnvironmentName;
  try {
    env = environmentFlag(parseArgs({ options: { env: { type: 'string' } } }).values.env);
  } catch (error) {
    console.error((error as Error).message);
    process.exit(2);
  }
  for (const [key, value] of Object.entries(ciEnvironment(env))) console.log(`${key}=${value}`);
}
