/**
 * One environment's stack built on its own, beside only the stacks it takes as props, with cdk.json's context and
 * no nag packs: a template test of one part then synthesizes that part instead of the whole app, and stays in the
 * unit project. The whole app's synth (test/support/assembly.ts) is for tests about how the parts fit together.
 */
import { App, Stage } from 'aws-cdk-lib';
import { Template } from 'aws-cdk-lib/assertions';
import { cdkJsonContext } from '../../lib/cdk-json-context';
import { EnvironmentName, loadAppConfig } from '../../lib/config';
import { DataStack } from '../../lib/data/data-stack';
import { HealthStack } from '../../lib/health/health-stack';
import { tagEnvironment } from '../../lib/stage';
import { STAGE_IDS } from '../../lib/stage-ids';

function stageOf(envName: EnvironmentName) {
  const config = loadAppConfig()[envName];
  const app = new App({ context: cdkJsonContext() });
  const stage = new Stage(app, STAGE_IDS[envName], { env: { account: config.account, region: config.region } });
  tagEnvironment(stage, config);
  return { config, stage };
}

const dataTemplates = new Map<EnvironmentName, Template>();

/**
 * The Data stack of `envName` (key, secrets, buckets), made once per test file: it takes no other stack, and its
 * resources are those of the whole app's Data stack (only the outputs other stacks read are missing).
 */
export function dataTemplate(envName: EnvironmentName): Template {
  if (!dataTemplates.has(envName)) {
    const { config, stage } = stageOf(envName);
    dataTemplates.set(envName, Template.fromStack(new DataStack(stage, 'Data', { config })));
  }
  return dataTemplates.get(envName)!;
}

/** The Health stack of `envName`, with the Data stack it reads its key and secrets from. */
export function healthTemplate(envName: EnvironmentName): Template {
  const { config, stage } = stageOf(envName);
  const data = new DataStack(stage, 'Data', { config });
  return Template.fromStack(new HealthStack(stage, 'Health', { config, data }));
}
