/**
 * The fixtures are real `cdk diff` output (CLI 2.1148.1, --no-color), produced offline with
 * `cdk diff --app <assembly> --template <older template> <stack>` from this app's templates and a small scratch app,
 * then concatenated as one `cdk diff 'Staging/*'` run prints them.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { COMMENT_MARKER, parseCdkDiff, summarize } from '../../scripts/diff-summary';

const fixture = (name: string) => readFileSync(join(__dirname, 'fixtures/cdk-diff', name), 'utf8');

describe('parsing cdk diff output', () => {
  it('finds each stack, its resource changes with their impact, and its IAM and security-group rows', () => {
    const [data, ci, health] = parseCdkDiff(fixture('staging-stateful-destroy.txt'));
    expect(data).toMatchObject({ stack: 'Staging-Data', changed: true });
    expect(data.resources).toEqual([
      { stack: 'Staging-Data', type: 'AWS::S3::Bucket', logicalId: 'OldReleaseBucketA1B2C3', impact: 'destroy' },
      { stack: 'Staging-Data', type: 'AWS::SecretsManager::Secret', logicalId: 'OldSecretD4E5', impact: 'orphan' },
      { stack: 'Staging-Data', type: 'AWS::KMS::Key', logicalId: 'PlatformKey9FD66B6F', impact: 'update' },
    ]);
    expect(ci).toMatchObject({
      stack: 'Staging-CiAccess',
      iam: { added: 1, removed: 1 },
      securityGroups: { added: 0, removed: 1 },
    });
    expect(ci.resources.map((r) => [r.logicalId, r.impact])).toEqual([
      ['LegacySg1234', 'destroy'],
      ['DeployRole885297C3', 'update'],
    ]);
    expect(health).toMatchObject({ stack: 'Staging-Health', changed: false, resources: [] });
  });

  it('reads replacements, including "may be replaced"', () => {
    const text = `${fixture('production-stateful-replace.txt')}\nStack Production/Site (Production-Site)\nResources\n[~] AWS::CloudFront::Distribution Site/Distribution Distribution830FAC52 may be replaced\n`;
    const impacts = parseCdkDiff(text).flatMap((s) => s.resources.map((r) => `${r.type} ${r.impact}`));
    expect(impacts).toEqual([
      'AWS::S3::Bucket replace',
      'AWS::SNS::Topic replace',
      'AWS::CloudFront::Distribution may-replace',
    ]);
  });
});

describe('the pull-request comment', () => {
  it('blocks a deleted bucket in staging and a replaced bucket in production, naming each', () => {
    const summary = summarize([
      { env: 'staging', text: fixture('staging-stateful-destroy.txt') },
      { env: 'production', text: fixture('production-stateful-replace.txt') },
    ]);
    expect(summary.blocking.map((c) => `${c.stack}/${c.logicalId}`)).toEqual([
      'Staging-Data/OldReleaseBucketA1B2C3',
      'Production-Data/SiteBucket397A1860',
    ]);
    expect(summary.markdown.startsWith(COMMENT_MARKER)).toBe(true);
    expect(summary.markdown).toContain(
      '❌ **2 stateful resource(s) would be replaced or deleted** — this check fails.',
    );
    expect(summary.markdown).toContain('| staging | 2 | 0 | 2 | yes | yes |');
    expect(summary.markdown).toContain('| production | 2 | 2 | 0 | no | no |');
    expect(summary.markdown).toContain('- **Security-group changes**: `Staging-CiAccess` +0 / −1');
    // The retained secret is shown, not blocked: RETAIN keeps it and its value.
    expect(summary.markdown).toMatch(
      /Removed from the stack but kept.*\n {2}- `Staging-Data` AWS::SecretsManager::Secret `OldSecretD4E5`/,
    );
  });

  it('does not block a replaced stateless resource (an SNS topic in Monitoring) or IAM changes', () => {
    const text = fixture('production-stateful-replace.txt').replace(
      /Stack Production\/Data[\s\S]*?(?=Stack Production\/Monitoring)/,
      '',
    );
    expect(summarize([{ env: 'production', text }]).blocking).toEqual([]);
    expect(summarize([{ env: 'production', text: fixture('new-ci-access.txt') }]).markdown).toContain(
      '- **IAM changes**: `Production-CiAccess` +',
    );
  });

  it('blocks anything replaced in a Data stack, whatever its type', () => {
    const text =
      'Stack Staging/Data (Staging-Data)\nResources\n[~] AWS::Lambda::Function Data/Rotation RotationFn12 replace\n';
    expect(summarize([{ env: 'staging', text }]).blocking).toHaveLength(1);
  });

  it('blocks a stateful resource that "may be replaced": CloudFormation decides at deploy time, too late', () => {
    const text =
      'Stack Production/Data (Production-Data)\nResources\n[~] AWS::S3::Bucket Data/SiteBucket SiteBucket397A1860 may be replaced\n' +
      'Stack Production/Site (Production-Site)\nResources\n[~] AWS::DynamoDB::Table Site/Audit AuditTable12 may be replaced\n';
    const summary = summarize([{ env: 'production', text }]);
    expect(summary.blocking.map((c) => [c.stack, c.logicalId, c.impact])).toEqual([
      ['Production-Data', 'SiteBucket397A1860', 'may-replace'],
      ['Production-Site', 'AuditTable12', 'may-replace'],
    ]);
    expect(summary.markdown).toContain('❌ **2 stateful resource(s) would be replaced or deleted**');
    expect(summary.markdown).toContain('`Production-Data` AWS::S3::Bucket `SiteBucket397A1860` (may be replaced)');
  });

  it('lets a labelled pull request through, saying so', () => {
    const summary = summarize([{ env: 'production', text: fixture('production-stateful-replace.txt') }], {
      allowStateful: true,
    });
    expect(summary.blocking).toEqual([]);
    expect(summary.markdown).toContain('allowed by the `stateful-change-approved` label');
  });

  it('says so when nothing changes, and when the diff did not run at all', () => {
    expect(summarize([{ env: 'production', text: fixture('no-changes.txt') }]).markdown).toContain(
      'No changes in 2 stack(s).',
    );
    expect(summarize([{ env: 'staging', text: 'Unable to resolve AWS account to use.' }]).markdown).toContain(
      'No stack found in the `cdk diff` output',
    );
  });

  it("keeps the comment under GitHub's size limit by truncating each full diff", () => {
    const huge = fixture('new-ci-access.txt').repeat(200);
    const { markdown } = summarize([
      { env: 'staging', text: huge },
      { env: 'production', text: huge },
    ]);
    expect(markdown.length).toBeLessThan(65_536);
    expect(markdown).toContain(`… truncated (${huge.trimEnd().length} characters)`);
    expect(markdown).toContain('… and 185 more');
  });
});
