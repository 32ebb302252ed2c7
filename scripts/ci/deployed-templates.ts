/**
 * Downloads the deployed templates so the pull request's `cdk diff --template deployed/<stack>.json` runs offline,
 * with no AWS credential in the CLI. The pull-request role (`DiffRolePolicy`) may only DescribeStacks/GetTemplate on
 * <Stage>-* and read /cdk-bootstrap/<qualifier>/version: by design, not the lookup or deploy role `cdk diff` uses.
 * Writes deployed/<Stack>.json and deployed/stacks.txt.
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { CloudFormationClient, DescribeStacksCommand, GetTemplateCommand } from '@aws-sdk/client-cloudformation';
import { GetParameterCommand, SSMClient } from '@aws-sdk/client-ssm';
import { CloudAssembly, CloudFormationStackArtifact } from 'aws-cdk-lib/cx-api';
import { parse as parseYaml } from 'yaml';
import { EnvironmentName } from '../../lib/config';
import { bootstrapVersionParameter } from '../../lib/delivery/bootstrap-roles';
import { STAGE_IDS } from '../../lib/stage-ids';
import { environmentFlag } from '../lib/command';
import { parseFlags } from '../lib/flags';

export interface DeployedTemplate {
  /** What `cdk diff` selects it by: `Staging/Data` inside the stage, `Staging-CiAccess` outside. */
  readonly selector: string;
  readonly stackName: string;
  /** `{}` for a stack not deployed yet: the diff then shows every resource as added, as the CLI itself does. */
  readonly template: object;
  readonly deployed: boolean;
}

export interface DeployedState {
  readonly templates: DeployedTemplate[];
  readonly bootstrapVersion: number | undefined;
  /** The highest bootstrap version a stack of this assembly requires. */
  readonly requiredBootstrapVersion: number;
}

export interface AwsClients {
  readonly cloudFormation: CloudFormationClient;
  readonly ssm: SSMClient;
}

/** This environment's stacks in the assembly: its stage's stacks and its account-level CiAccess stack. */
export function environmentStackArtifacts(
  assembly: CloudAssembly,
  env: EnvironmentName,
): CloudFormationStackArtifact[] {
  const stage = STAGE_IDS[env];
  const all = [...assembly.stacks, ...assembly.nestedAssemblies.flatMap((n) => n.nestedAssembly.stacks)];
  return all.filter((s) => s.hierarchicalId.startsWith(`${stage}/`) || s.hierarchicalId === `${stage}-CiAccess`);
}

const notDeployed = (error: unknown) =>
  (error as Error).name === 'ValidationError' && /does not exist/.test((error as Error).message);

async function deployedTemplate(
  cfn: CloudFormationClient,
  stack: CloudFormationStackArtifact,
): Promise<DeployedTemplate> {
  const selector = stack.hierarchicalId;
  try {
    const described = await cfn.send(new DescribeStacksCommand({ StackName: stack.stackName }));
    // A stack CloudFormation holds only for a first change set has no template yet (the CLI treats it so too).
    if (described.Stacks?.[0]?.StackStatus === 'REVIEW_IN_PROGRESS')
      return { selector, stackName: stack.stackName, template: {}, deployed: false };
    const { TemplateBody } = await cfn.send(
      new GetTemplateCommand({ StackName: stack.stackName, TemplateStage: 'Original' }),
    );
    return {
      selector,
      stackName: stack.stackName,
      template: TemplateBody ? parseYaml(TemplateBody) : {},
      deployed: true,
    };
  } catch (error) {
    if (notDeployed(error)) return { selector, stackName: stack.stackName, template: {}, deployed: false };
    throw new Error(
      `cannot read the deployed template of ${stack.stackName}: ${(error as Error).name}: ${(error as Error).message}`,
    );
  }
}

async function bootstrapVersion(ssm: SSMClient, parameter: string): Promise<number | undefined> {
  try {
    const { Parameter } = await ssm.send(new GetParameterCommand({ Name: parameter }));
    return Number(Parameter?.Value);
  } catch (error) {
    if ((error as Error).name === 'ParameterNotFound') return undefined;
    throw new Error(
      `cannot read the bootstrap version ${parameter}: ${(error as Error).name}: ${(error as Error).message}`,
    );
  }
}

export async function readDeployedState(
  assembly: CloudAssembly,
  env: EnvironmentName,
  clients: AwsClients,
): Promise<DeployedState> {
  const stacks = environmentStackArtifacts(assembly, env);
  const templates = await Promise.all(stacks.map((stack) => deployedTemplate(clients.cloudFormation, stack)));
  const requiredBootstrapVersion = Math.max(0, ...stacks.map((s) => s.requiresBootstrapStackVersion ?? 0));
  return {
    templates,
    bootstrapVersion: await bootstrapVersion(clients.ssm, bootstrapVersionParameter()),
    requiredBootstrapVersion,
  };
}

/** Writes one template file per stack and `stacks.txt`, which the workflow loops over; returns problems to report. */
export function writeDeployedState(state: DeployedState, outDir: string): string[] {
  mkdirSync(outDir, { recursive: true });
  const lines = state.templates.map((t) => {
    const file = join(outDir, `${t.stackName}.json`);
    writeFileSync(file, JSON.stringify(t.template, null, 1));
    return `${t.selector} ${file}`;
  });
  writeFileSync(join(outDir, 'stacks.txt'), `${lines.join('\n')}\n`);
  const problems: string[] = [];
  if (state.bootstrapVersion === undefined) {
    problems.push(
      `the account is not bootstrapped (no ${bootstrapVersionParameter()}). Fix: run the bootstrap command from \`npm run bootstrap-command\` (docs/readme/delivery.md)`,
    );
  } else if (state.bootstrapVersion < state.requiredBootstrapVersion) {
    problems.push(
      `bootstrap version ${state.bootstrapVersion} is older than the ${state.requiredBootstrapVersion} these stacks require, so a deploy would fail. Fix: re-run the bootstrap command from \`npm run bootstrap-command\``,
    );
  }
  return problems;
}

if (require.main === module) {
  (async () => {
    const flags = parseFlags(process.argv.slice(2), { env: 'value', assembly: 'value', out: 'value' });
    const env = environmentFlag(flags.env);
    const clients = { cloudFormation: new CloudFormationClient({}), ssm: new SSMClient({}) };
    const state = await readDeployedState(new CloudAssembly(String(flags.assembly ?? 'cdk.out')), env, clients);
    const problems = writeDeployedState(state, String(flags.out ?? 'deployed'));
    for (const t of state.templates)
      console.log(
        `${t.stackName}: ${t.deployed ? 'deployed template read' : 'not deployed yet (diff shows it as new)'}`,
      );
    console.log(
      `bootstrap version: ${state.bootstrapVersion ?? 'none'} (stacks require ≥ ${state.requiredBootstrapVersion})`,
    );
    for (const p of problems) console.error(`::error::${p}`);
    process.exit(problems.length ? 1 : 0);
  })().catch((error) => {
    console.error(`::error::${(error as Error).message}`);
    process.exit(2);
  });
}
