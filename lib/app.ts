/** Builds the whole CDK app from a validated config: one Stage per environment, checked by three cdk-nag packs. */
import { App, AppProps, Validations } from 'aws-cdk-lib';
import { AwsSolutionsChecks, HIPAASecurityChecks, NIST80053R5Checks } from 'cdk-nag';
import { AppConfig, ENVIRONMENT_NAMES } from './config';
import { MikoStage, STAGE_IDS } from './stage';

export function buildApp(config: AppConfig, props: AppProps = {}): { app: App; stages: Record<keyof AppConfig, MikoStage> } {
  const app = new App(props);
  const [staging, production] = ENVIRONMENT_NAMES.map((name) => new MikoStage(app, STAGE_IDS[name], { config: config[name] }));
  // Every unacknowledged finding of these packs fails synth; acknowledgments sit on the one resource concerned.
  Validations.of(app).addPlugins(new AwsSolutionsChecks(app), new HIPAASecurityChecks(app), new NIST80053R5Checks(app));
  return { app, stages: { staging, production } };
}
