/**
 * Prints the exact `cdk bootstrap` command of each environment: its account, region and the scoped
 * CloudFormation execution policy its CiAccess stack creates (lib/delivery/execution-policy.ts), so nobody
 * bootstraps with the default AdministratorAccess by accident.
 *
 *   npm run bootstrap-command                 both environments
 *   npm run bootstrap-command -- --env staging
 */
import { ENVIRONMENT_NAMES, EnvironmentName, loadAppConfig } from '../lib/config';
import { bootstrapCommand } from '../lib/delivery/execution-policy';
import { STAGE_IDS } from '../lib/stage-ids';
import { parseFlags } from './lib/flags';

export function bootstrapCommands(
  envs: readonly EnvironmentName[] = ENVIRONMENT_NAMES,
): Array<{ env: EnvironmentName; command: string }> {
  const config = loadAppConfig();
  return envs.map((env) => ({ env, command: bootstrapCommand(env, config[env].account, config[env].region) }));
}

if (require.main === module) {
  try {
    const { env } = parseFlags(process.argv.slice(2), { env: 'value' });
    if (env !== undefined && !ENVIRONMENT_NAMES.includes(env as EnvironmentName))
      throw new Error(`--env must be ${ENVIRONMENT_NAMES.join(' or ')}`);
    for (const { env: name, command } of bootstrapCommands(env ? [env as EnvironmentName] : ENVIRONMENT_NAMES)) {
      console.log(
        `# ${name}: with that account's administrator credentials, after \`npx cdk deploy ${STAGE_IDS[name]}-CiAccess\``,
      );
      console.log(command);
    }
  } catch (error) {
    console.error((error as Error).message);
    process.exit(2);
  }
}
