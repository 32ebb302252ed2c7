/** Builds the whole CDK app from a validated config: one Stage per environment, checked by three cdk-nag packs. */
import { App, AppProps, Validations } from 'aws-cdk-lib';
import { AwsSolutionsChecks, HIPAASecurityChecks, NIST80053R5Checks } from 'cdk-nag';
import { assertAppContract } from './app-contract';
import { AppConfig, ENVIRONMENT_NAMES, EnvironmentName } from './config';
import { CiAccessStack } from './delivery/ci-access-stack';
import { CI_ACCESS_STACK_SUFFIX } from './delivery/ci-roles';
import { APP_DIST } from './site/site-stack';
import { CachedCloudFormationValidatePlugin } from '../tools/synth/cached-cloudformation-validate';
import { MikoStage, tagEnvironment } from './stage';
import { ENVIRONMENTS_CONTEXT_KEY, selectedEnvironments, STAGE_IDS } from './stage-ids';

export interface BuildAppOptions {
  /** The SPA build to release (Vite's output folder). @default APP_DIST (app-dist/) */
  readonly appDist?: string;
  /** Environments to build; all of them when omitted (or those of the `miko:environments` context). */
  readonly environments?: readonly EnvironmentName[];
  /**
   * The three nag packs and CloudFormation Validate, which fail the synth on a finding. Off only for check-app's
   * synth, never deployed, which judges an app build. @default true
   */
  readonly policyChecks?: boolean;
}

/**
 * The app contract is checked first, against both environments' config: a build that breaks it throws
 * `AppContractError` (every problem listed) before any construct exists, so nothing is written.
 */
export function buildApp(
  config: AppConfig,
  props: AppProps = {},
  options: BuildAppOptions = {},
): { app: App; stages: Partial<Record<EnvironmentName, MikoStage>> } {
  const appDist = options.appDist ?? APP_DIST;
  assertAppContract(
    appDist,
    ENVIRONMENT_NAMES.map((name) => config[name]),
  );
  const policyChecks = options.policyChecks ?? true;
  const app = new App({ ...props, ...(!policyChecks && { builtinCloudFormationValidation: false }) });
  const selected = options.environments ?? selectedEnvironments(app.node.tryGetContext(ENVIRONMENTS_CONTEXT_KEY));
  const stages: Partial<Record<EnvironmentName, MikoStage>> = {};
  for (const name of selected) stages[name] = new MikoStage(app, STAGE_IDS[name], { config: config[name], appDist });
  // Outside the stages on purpose: deployed once per account by a person, never by `cdk deploy 'Staging/*'`.
  for (const name of selected) createCiAccess(app, config[name]);
  if (policyChecks) {
    // Every unacknowledged finding of these packs fails synth; acknowledgments sit on the one resource concerned.
    Validations.of(app).addPlugins(
      new AwsSolutionsChecks(app),
      new HIPAASecurityChecks(app),
      new NIST80053R5Checks(app),
    );
    // CDK's CloudFormation Validate, as the default would run it, remembering each unchanged template's findings.
    Validations.of(app).addPlugins(new CachedCloudFormationValidatePlugin());
  }
  return { app, stages };
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
