/**
 * The backup task's image reaches ECR before anything refers to it: the deploy workflow deploys the stateful Data
 * stack (which holds the repository), builds and pushes the image, and passes its digest to the stack deploy that
 * refers to it; the task definitions name the image by that digest, never by a tag.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { parse } from 'yaml';
import { BACKUP_IMAGE_DIGEST_PARAMETER, backupImageRepositoryName } from '../../lib/backups/image-repository';
import { ciEnvironment } from '../../scripts/ci/ci-env';
import { backupsTemplate, dataTemplate } from '../support/one-stack';

const workflow = parse(readFileSync(join(__dirname, '../../.github/workflows/deploy-environment.yml'), 'utf8'));
const steps: Array<{ id?: string; name?: string; run?: string; env?: Record<string, string> }> =
  workflow.jobs.deploy.steps;
const indexOf = (pattern: RegExp) => steps.findIndex((s) => pattern.test(s.run ?? ''));

test('deploys Data, then pushes the image, then deploys the stacks that refer to it, by digest', () => {
  const data = indexOf(/cdk deploy .*"\$\{STAGE\}\/Data"/);
  const push = indexOf(/docker buildx build --platform linux\/arm64 .*--push/);
  const all = indexOf(/cdk deploy .*"\$\{STAGE\}\/\*"/);
  expect([data, push, all].every((i) => i >= 0)).toBe(true);
  expect(data).toBeLessThan(push);
  expect(push).toBeLessThan(all);
  // Nothing else deploys before the image exists.
  expect(steps.slice(0, push).filter((s) => /cdk deploy/.test(s.run ?? ''))).toEqual([steps[data]]);

  const image = steps[push];
  expect(image.id).toBe('image');
  expect(image.env!.REPOSITORY).toBe('${{ steps.ci.outputs.backup_image_repository }}');
  expect(image.run).toMatch(/npm run backup-image/);
  expect(image.run).toMatch(/echo "digest=\$\{digest\}" >> "\$GITHUB_OUTPUT"/);
  const deploy = steps[all];
  expect(deploy.env!.DIGEST).toBe('${{ steps.image.outputs.digest }}');
  expect(deploy.env!.IMAGE_PARAMETER).toBe('${{ steps.ci.outputs.backup_image_parameter }}');
  expect(deploy.run).toMatch(/--parameters "\$\{IMAGE_PARAMETER\}=\$\{DIGEST\}"/);
});

test("the workflow's repository and parameter are the ones the stacks define", () => {
  const ci = ciEnvironment('production');
  expect(ci.backup_image_repository).toBe(
    `222222222222.dkr.ecr.us-east-1.amazonaws.com/${backupImageRepositoryName('production')}`,
  );
  expect(ci.backup_image_parameter).toBe(`Production-Backups:${BACKUP_IMAGE_DIGEST_PARAMETER}`);
  const repositories = Object.values<any>(dataTemplate('production').findResources('AWS::ECR::Repository'));
  expect(repositories.map((r) => r.Properties.RepositoryName)).toEqual([backupImageRepositoryName('production')]);

  const backups = backupsTemplate('production');
  expect(backups.toJSON().Parameters[BACKUP_IMAGE_DIGEST_PARAMETER]).toMatchObject({
    Type: 'String',
    AllowedPattern: '^sha256:[a-f0-9]{64}$',
  });
  for (const task of Object.values<any>(backups.findResources('AWS::ECS::TaskDefinition'))) {
    const image = JSON.stringify(task.Properties.ContainerDefinitions[0].Image);
    expect(image).toContain(`${backupImageRepositoryName('production')}@`);
    expect(image).toContain(`{"Ref":"${BACKUP_IMAGE_DIGEST_PARAMETER}"}`);
  }
});
