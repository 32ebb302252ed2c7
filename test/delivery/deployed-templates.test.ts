/**
 * The pull request's diff: scripts/ci/deployed-templates.ts reads what is deployed through a local CloudFormation +
 * SSM stand-in, using only the calls the pull-request role allows, then the real CLI diffs offline against it.
 */
import { execFile } from 'node:child_process';
import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { CloudFormationClient } from '@aws-sdk/client-cloudformation';
import { SSMClient } from '@aws-sdk/client-ssm';
import { CloudAssembly } from 'aws-cdk-lib/cx-api';
import { readDeployedState, writeDeployedState } from '../../scripts/ci/deployed-templates';
import { listenWithBody as startLocalServer } from '../../tools/stand-ins/http';
import { assemblyDir } from '../support/assembly';

const escapeXml = (text: string) => text.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;');

/** CloudFormation (query protocol, XML) and SSM (JSON 1.1) on one port, as the SDK speaks to them. */
async function fakeAccount(deployed: Record<string, object>, bootstrapVersion: string | undefined) {
  const calls: string[] = [];
  const server = await startLocalServer((req, body, res) => {
    const target = req.headers['x-amz-target'];
    if (typeof target === 'string' && target.startsWith('AmazonSSM.')) {
      const { Name } = JSON.parse(body);
      calls.push(`ssm:${target.slice('AmazonSSM.'.length)} ${Name}`);
      res.setHeader('content-type', 'application/x-amz-json-1.1');
      if (bootstrapVersion === undefined || Name !== '/cdk-bootstrap/hnb659fds/version')
        return void res.writeHead(400).end(JSON.stringify({ __type: 'ParameterNotFound', message: '' }));
      return void res
        .writeHead(200)
        .end(JSON.stringify({ Parameter: { Name, Type: 'String', Value: bootstrapVersion, Version: 1 } }));
    }
    const form = new URLSearchParams(body);
    const stackName = form.get('StackName')!;
    calls.push(`cloudformation:${form.get('Action')} ${stackName}`);
    res.setHeader('content-type', 'text/xml');
    const template = deployed[stackName];
    if (!template) {
      return void res
        .writeHead(400)
        .end(
          `<ErrorResponse><Error><Type>Sender</Type><Code>ValidationError</Code><Message>Stack with id ${stackName} does not exist</Message></Error><RequestId>1</RequestId></ErrorResponse>`,
        );
    }
    if (form.get('Action') === 'DescribeStacks') {
      return void res
        .writeHead(200)
        .end(
          `<DescribeStacksResponse><DescribeStacksResult><Stacks><member><StackName>${stackName}</StackName><StackId>arn:aws:cloudformation:us-east-1:111111111111:stack/${stackName}/1</StackId><CreationTime>2026-11-22T00:00:00Z</CreationTime><StackStatus>UPDATE_COMPLETE</StackStatus></member></Stacks></DescribeStacksResult></DescribeStacksResponse>`,
        );
    }
    res
      .writeHead(200)
      .end(
        `<GetTemplateResponse><GetTemplateResult><TemplateBody>${escapeXml(JSON.stringify(template))}</TemplateBody></GetTemplateResult></GetTemplateResponse>`,
      );
  });
  const config = {
    endpoint: server.url,
    region: 'us-east-1',
    credentials: { accessKeyId: 'test', secretAccessKey: 'test' },
  };
  return { server, calls, clients: { cloudFormation: new CloudFormationClient(config), ssm: new SSMClient(config) } };
}

describe('reading the deployed templates for the pull-request diff', () => {
  const healthNow = () =>
    JSON.parse(
      readFileSync(
        join(
          assemblyDir(),
          'assembly-Staging',
          new CloudAssembly(assemblyDir()).nestedAssemblies
            .flatMap((n) => n.nestedAssembly.stacks)
            .find((s) => s.stackName === 'Staging-Health')!.templateFile,
        ),
        'utf8',
      ),
    );

  it("reads each of the environment's stacks with only DescribeStacks, GetTemplate and the bootstrap version", async () => {
    const health = healthNow();
    const { server, calls, clients } = await fakeAccount(
      { 'Staging-Health': health, 'Staging-Data': { Resources: {} } },
      '30',
    );
    try {
      const state = await readDeployedState(new CloudAssembly(assemblyDir()), 'staging', clients);
      expect(state.templates.map((t) => [t.selector, t.deployed]).sort()).toEqual([
        ['Staging-CiAccess', false],
        ['Staging/Backups', false],
        ['Staging/Data', true],
        ['Staging/Health', true],
        ['Staging/Monitoring', false],
        ['Staging/Site', false],
        ['Staging/Telemetry', false],
      ]);
      expect(state.templates.find((t) => t.stackName === 'Staging-Health')!.template).toEqual(health);
      expect(state.bootstrapVersion).toBe(30);
      // Exactly the pull-request role's actions, on this environment's stacks (<Stage>-*) and the version parameter.
      expect([...new Set(calls.map((c) => c.split(' ')[0]))].sort()).toEqual([
        'cloudformation:DescribeStacks',
        'cloudformation:GetTemplate',
        'ssm:GetParameter',
      ]);
      for (const call of calls)
        expect(call).toMatch(/^cloudformation:\w+ Staging-|^ssm:GetParameter \/cdk-bootstrap\/hnb659fds\/version$/);
    } finally {
      await server.close();
    }
  });

  it('refuses an account that is not bootstrapped, or bootstrapped too old, saying how to fix it', async () => {
    for (const [version, message] of [
      [undefined, /not bootstrapped.*Fix: run the bootstrap command/],
      ['5', /bootstrap version 5 is older than the 6 these stacks require/],
    ] as const) {
      const { server, clients } = await fakeAccount({}, version);
      try {
        const state = await readDeployedState(new CloudAssembly(assemblyDir()), 'production', clients);
        expect(writeDeployedState(state, mkdtempSync(join(tmpdir(), 'miko-deployed-')))).toEqual([
          expect.stringMatching(message),
        ]);
      } finally {
        await server.close();
      }
    }
  });

  it('gives the CLI what it needs to diff offline, with no AWS credential at all', async () => {
    const deployedHealth = healthNow();
    delete deployedHealth.Resources[
      Object.keys(deployedHealth.Resources).find((id) => deployedHealth.Resources[id].Type === 'AWS::Lambda::Url')!
    ];
    const { server, clients } = await fakeAccount({ 'Staging-Health': deployedHealth }, '30');
    const out = mkdtempSync(join(tmpdir(), 'miko-deployed-'));
    try {
      writeDeployedState(await readDeployedState(new CloudAssembly(assemblyDir()), 'staging', clients), out);
    } finally {
      await server.close();
    }
    const line = readFileSync(join(out, 'stacks.txt'), 'utf8')
      .split('\n')
      .find((l) => l.startsWith('Staging/Health '))!;
    const [selector, file] = line.split(' ');
    const env = Object.fromEntries(Object.entries(process.env).filter(([k]) => !k.startsWith('AWS_')));
    const { stdout, stderr } = await promisify(execFile)(
      join(__dirname, '../../node_modules/.bin/cdk'),
      ['diff', '--app', assemblyDir(), '--template', file, '--exclusively', '--no-color', '--no-notices', selector],
      {
        env: {
          ...env,
          AWS_EC2_METADATA_DISABLED: 'true',
          AWS_CONFIG_FILE: '/dev/null',
          AWS_SHARED_CREDENTIALS_FILE: '/dev/null',
        },
        timeout: 60_000,
      },
    );
    const output = `${stdout}${stderr}`;
    expect(output).toContain('Stack Staging/Health (Staging-Health)');
    expect(output).toMatch(/\[\+\] AWS::Lambda::Url/);
    expect(output).not.toMatch(/credentials|assume/i);
  }, 90_000);
});
