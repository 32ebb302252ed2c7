/** Builds the whole CDK app from a validated config: one Stage per environment, checked by three cdk-nag packs. */
import { App, AppProps, Validations } from 'aws-cdk-lib';
import { AwsSolutionsChecks, HIPAASecurityChecks, NIST80053R5Checks } from 'cdk-nag';
import { assertAppContract } from './app-contract';
import { AppConfig, ENVIRONMENT_NAMES } from './config';
import { CiAccessStack } from './delivery/ci-access-stack';
import { CI_ACCESS_STACK_SUFFIX } from './delivery/ci-roles';
import { APP_DIST } from './site/site-stack';
import { MikoStage, STAGE_IDS, tagEnvironment } from './stage';

export interface BuildAppOptions {
  /** The SPA build to release (Vite's output folder). @default APP_DIST (app-dist/) */
  readonly appDist?: string;
}

/**
 * The app contract is checked first, against both environments' config: a build that breaks it throws
 * `AppContractError` (every problem listed) before any construct exists, so nothing is written.
 */
export function buildApp(config: AppConfig, props: AppProps = {}, options: BuildAppOptions = {}): { app: App; stages: Record<keyof AppConfig, MikoStage> } {
  const appDist = options.appDist ?? APP_DIST;
  assertAppContract(appDist, ENVIRONMENT_NAMES.map((name) => config[name]));
  const app = new App(props);
  const [staging, production] = ENVIRONMENT_NAMES.map((name) => new MikoStage(app, STAGE_IDS[name], { config: config[name], appDist }));
  // Outside the stages on purpose: deployed once per account by a person, never by `cdk deploy 'Staging/*'`.
  for (const name of ENVIRONMENT_NAMES) createCiAccess(app, config[name]);
  // Every unacknowledged finding of these packs fails synth; acknowledgments sit on the one resource concerned.
  Validations.of(app).addPlugins(new AwsSolutionsChecks(app), new HIPAASecurityChecks(app), new NIST80053R5Checks(app));
  return { app, stages: { staging, production } };
}

/** `Staging-CiAccess` / `Production-CiAccess`: the GitHub OIDC roles of one account (lib/delivery/ci-access-stack.ts). */
function createCiAccess(app: App, config: AppConfig[keyof AppConfig]): CiAccessStack {
  const stack = new CiAccessStack(app, `${STAGE_IDS[config.envName]}-${CI_ACCESS_STACK_SUFFIX}`, {
    config,
    env: { account: config.account, region: config.region },
    description: `MiKO patient platform, ${config.envName}: GitHub Actions OIDC roles (deployed once by hand)`,
  });
  tagEnvironment(stack, config);
  return stack;
}
