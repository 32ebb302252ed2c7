/**
 * One environment's stack built on its own, beside only the stacks it takes as props, with cdk.json's context and
 * no nag packs: a template test of one part then synthesizes that part instead of the whole app, and stays in the
 * unit project. The whole app's synth (test/support/assembly.ts) is for tests about how the parts fit together.
 */
import { App, Stage } from 'aws-cdk-lib';
import { Template } from 'aws-cdk-lib/assertions';
import { cdkJsonContext } from '../../lib/cdk-json-context';
import { EnvironmentName, loadAppConfig } from '../../lib/config';
import { BackupsStack } from '../../lib/backups/backups-stack';
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

/** The Data stack of `envName` (key, secrets, buckets) and the Backups stack, which takes only Data. */
function dataAndBackupsOf(envName: EnvironmentName) {
  const { config, stage } = stageOf(envName);
  const data = new DataStack(stage, 'Data', { config });
  return { data, backups: new BackupsStack(stage, 'Backups', { config, data }) };
}

const synthesized = new Map<EnvironmentName, { data: Template; backups: Template }>();

/** Both made once per test file and environment. */
function dataAndBackupsTemplates(envName: EnvironmentName) {
  if (!synthesized.has(envName)) {
    const { data, backups } = dataAndBackupsOf(envName);
    synthesized.set(envName, { data: Template.fromStack(data), backups: Template.fromStack(backups) });
  }
  return synthesized.get(envName)!;
}

/**
 * The Data stack of `envName` (key, secrets, buckets): it takes no other stack, and its resources are those of the
 * whole app's Data stack (only the outputs other stacks read are missing).
 */
export const dataTemplate = (envName: EnvironmentName): Template => dataAndBackupsTemplates(envName).data;

/** The Backups stack of `envName` (the backup and drill tasks), beside the Data stack it takes. */
export const backupsTemplate = (envName: EnvironmentName): Template => dataAndBackupsTemplates(envName).backups;

/** The Health stack of `envName`, with the Data stack it reads its key and secrets from. */
export function healthTemplate(envName: EnvironmentName): Template {
  const { config, stage } = stageOf(envName);
  const data = new DataStack(stage, 'Data', { config });
  return Template.fromStack(new HealthStack(stage, 'Health', { config, data }));
}
