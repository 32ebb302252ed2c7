/**
 * The permission matrix of both environments over the synthesized templates: every catalogued runtime path allowed
 * (with the key legs a service calls for it), every forbidden path denied, every statement of every role used by
 * some path, every wildcard explained. And the command fails, naming the path, on a copy of the assembly edited
 * the way a mistake would edit it.
 */
import { cpSync, readFileSync, readdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { DEFAULT_DOC, main, permissionMatrices } from '../../scripts/permissions';
import { updatedDocument } from '../../scripts/permissions/render';
import { ENVIRONMENT_NAMES } from '../../lib/config/schema';
import { assemblyDir } from '../support/assembly';
import { testTempDir } from '../support/temp-dir';

/** A copy of the assembly's manifests and templates (not its staged assets), to edit. */
function assemblyCopy(): string {
  const copy = testTempDir('miko-permissions-');
  cpSync(assemblyDir(), copy, {
    recursive: true,
    filter: (source) => !/[/\\]asset\.[^/\\]*$/.test(source) && !source.endsWith('tree.json'),
  });
  return copy;
}

/** Edits the one template of `copy` that holds `logicalIdPrefix`, through `edit` of that resource. */
function editResource(copy: string, logicalIdPrefix: string, edit: (properties: any) => void): void {
  const stage = join(copy, 'assembly-Production');
  for (const file of readdirSync(stage).filter((f) => f.endsWith('.template.json'))) {
    const template = JSON.parse(readFileSync(join(stage, file), 'utf8'));
    const id = Object.keys(template.Resources).find((l) => l.startsWith(logicalIdPrefix));
    if (!id) continue;
    edit(template.Resources[id].Properties);
    writeFileSync(join(stage, file), JSON.stringify(template));
    return;
  }
  throw new Error(`no resource ${logicalIdPrefix}* in the production stage`);
}

async function run(argv: string[]): Promise<{ code: number; out: string; err: string }> {
  const out: string[] = [];
  const err: string[] = [];
  const code = await main(argv, { out: (l) => out.push(l), err: (l) => err.push(l) });
  return { code, out: out.join('\n'), err: err.join('\n') };
}

describe('the permission matrix of the synthesized app', () => {
  let matrices: Awaited<ReturnType<typeof permissionMatrices>>;
  beforeAll(async () => {
    matrices = await permissionMatrices(assemblyDir(), ENVIRONMENT_NAMES);
  });

  it.each(ENVIRONMENT_NAMES)('%s: every path proven, no problem', (env) => {
    const matrix = matrices.find((m) => m.envName === env)!;
    expect(matrix.failures).toEqual([]);
    expect(matrix.rows.filter((r) => r.kind === 'required' && r.decision === 'Allowed').length).toBeGreaterThan(100);
    expect(
      matrix.rows
        .filter((r) => r.kind === 'forbidden' && r.decision !== 'Absent')
        .every((r) => r.decision === 'Denied'),
    ).toBe(true);
  });

  it('docs/permissions.md is the matrix of the current templates', () => {
    // Fix when this fails: npm run synth && npm run permissions
    expect(readFileSync(DEFAULT_DOC, 'utf8')).toBe(updatedDocument(undefined, matrices, ENVIRONMENT_NAMES));
  });
});

describe('npm run permissions on an edited copy of the assembly', () => {
  it("exits 1 naming the pager's dead-letter path when the pager role loses its KMS statement", async () => {
    const copy = assemblyCopy();
    editResource(copy, 'TopicsPagerRoleDefaultPolicy', (properties) => {
      const statements = properties.PolicyDocument.Statement;
      const kms = statements.findIndex((s: any) => JSON.stringify(s.Condition ?? {}).includes('sqs.'));
      expect(kms).toBeGreaterThanOrEqual(0);
      statements.splice(kms, 1);
    });
    const { code, out } = await run(['--env', 'production', '--assembly', copy, '--doc', '-']);
    expect(code).toBe(1);
    expect(out).toMatch(
      /TopicsPagerFunction-dead-letter .* is DENIED: Monitoring\/TopicsPagerRole kms:GenerateDataKey/,
    );
    expect(out).toMatch(/Fix: add a statement allowing it to Monitoring\/TopicsPagerRole's policy/);
  });

  it('exits 1 naming the forbidden path when the collector may read every secret', async () => {
    const copy = assemblyCopy();
    editResource(copy, 'CollectorRoleDefaultPolicy', (properties) => {
      properties.PolicyDocument.Statement.push({
        Effect: 'Allow',
        Action: 'secretsmanager:GetSecretValue',
        Resource: '*',
      });
    });
    const { code, out } = await run(['--env', 'production', '--assembly', copy, '--doc', '-']);
    expect(code).toBe(1);
    expect(out).toMatch(
      /forbidden path collector-reads-no-secret .* is ALLOWED: Telemetry\/CollectorRole secretsmanager:GetSecretValue/,
    );
    expect(out).toMatch(/Fix: remove or narrow that statement/);
  });

  it("exits 1 naming the canary's trust rule when the prober may publish to any namespace", async () => {
    const copy = assemblyCopy();
    editResource(copy, 'SyntheticsProberRoleDefaultPolicy', (properties) => {
      const publish = properties.PolicyDocument.Statement.find((s: any) => s.Action === 'cloudwatch:PutMetricData');
      expect(publish.Condition.StringEquals['cloudwatch:namespace']).toBe('MiKO/Synthetics');
      delete publish.Condition;
    });
    const { code, out } = await run(['--env', 'production', '--assembly', copy, '--doc', '-']);
    expect(code).toBe(1);
    expect(out).toMatch(
      /forbidden path only-ci-deploy-aborts-a-canary .* is ALLOWED: Monitoring\/SyntheticsProberRole cloudwatch:PutMetricData/,
    );
  });

  it('names a statement no catalogued path uses, and the entry to add for it', async () => {
    const copy = assemblyCopy();
    editResource(copy, 'HealthApiRoleDefaultPolicy', (properties) => {
      properties.PolicyDocument.Statement.push({
        Effect: 'Allow',
        Action: 'sqs:SendMessage',
        Resource: 'arn:aws:sqs:us-east-1:222222222222:new-queue',
      });
    });
    const { code, out } = await run(['--env', 'production', '--assembly', copy, '--doc', '-']);
    expect(code).toBe(1);
    expect(out).toContain(
      "Health/HealthApiRole's statement identity Health/HealthApiRoleDefaultPolicy #5 (sqs:SendMessage on arn:aws:sqs:us-east-1:222222222222:new-queue) serves no catalogued path",
    );
    expect(out).toContain(
      "principal: role('Health', 'HealthApiRole'), actions: ['sqs:SendMessage'], resource: 'arn:aws:sqs:us-east-1:222222222222:new-queue'",
    );
  });

  it('writes only its environment to the document it is given', async () => {
    const doc = join(testTempDir('miko-permissions-doc-'), 'permissions.md');
    expect((await run(['--env', 'staging', '--assembly', assemblyDir(), '--doc', doc])).code).toBe(0);
    const text = readFileSync(doc, 'utf8');
    expect(text).toContain('<!-- begin staging -->');
    expect(text).not.toContain('<!-- begin production -->');
  });

  it('answers --help with exit 0, and a bad flag or environment with usage and exit 2', async () => {
    expect((await run(['--help'])).code).toBe(0);
    const badFlag = await run(['--environment', 'staging']);
    expect(badFlag.code).toBe(2);
    expect(badFlag.err).toContain('usage: npm run permissions');
    const badEnv = await run(['--env', 'qa']);
    expect(badEnv.code).toBe(2);
    expect(badEnv.err).toContain('--env is "qa". Fix: --env staging or --env production.');
  });

  it('exits 2 naming the folder when there is no assembly', async () => {
    const empty = testTempDir('miko-permissions-empty-');
    const { code, err } = await run(['--assembly', empty, '--doc', '-']);
    expect(code).toBe(2);
    expect(err).toContain(`${empty}/manifest.json is missing`);
  });
});
