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
import { Io, optionalEnvironmentFlag, runCommand, runIfMain } from './lib/command';

export function bootstrapCommands(
  envs: readonly EnvironmentName[] = ENVIRONMENT_NAMES,
): Array<{ env: EnvironmentName; command: string }> {
  const config = loadAppConfig();
  return envs.map((env) => ({ env, command: bootstrapCommand(env, config[env].account, config[env].region) }));
}

const USAGE = `usage: npm run bootstrap-command [-- --env <${ENVIRONMENT_NAMES.join('|')}>]
  Prints each environment's cdk bootstrap command with its scoped execution policy (nothing is run).
Exit codes: 0 printed; 1 the config did not load; 2 usage.`;

export function main(argv: string[], io: Io): Promise<number> {
  const spec = { name: 'bootstrap-command', usage: USAGE, options: { env: { type: 'string' as const } } };
  return runCommand(spec, argv, io, (values) => {
    const env = optionalEnvironmentFlag(values.env);
    for (const { env: name, command } of bootstrapCommands(env ? [env] : ENVIRONMENT_NAMES)) {
      io.out(
        `# ${name}: with that account's administrator credentials, after \`npx cdk deploy ${STAGE_IDS[name]}-CiAccess\``,
      );
      io.out(command);
    }
    return 0;
  });
}

runIfMain(module, main);
