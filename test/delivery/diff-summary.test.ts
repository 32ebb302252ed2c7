/**
 * The fixtures are real `cdk diff` output (CLI 2.1148.1, --no-color), produced offline with
 * `cdk diff --app <assembly> --template <older template> <stack>` from this app's templates and a small scratch app,
 * then concatenated as one `cdk diff 'Staging/*'` run prints them.
 */
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { COMMENT_MARKER, main, MAX_COMMENT_CHARS, parseCdkDiff, summarize } from '../../scripts/ci/diff-summary';
import { runScript } from '../support/run-script';
import { testTempDir } from '../support/temp-dir';

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

/** A small staging diff: a bucket deleted in Data, IAM rows and a "may be replaced" distribution in Site. */
const STAGING = [
  'Stack Staging/Data (Staging-Data)',
  'Resources',
  '[-] AWS::S3::Bucket Data/Old OldBucket12 destroy',
  '[~] AWS::KMS::Key Data/Key Key34',
  'Stack Staging/Site (Staging-Site)',
  'IAM Statement Changes',
  '│ + │ arn │ Allow │ s3:GetObject │',
  '│ - │ arn │ Allow │ s3:* │',
  'Resources',
  '[+] AWS::Lambda::Function Site/Fn Fn56',
  '[~] AWS::CloudFront::Distribution Site/Dist Dist78 may be replaced',
  'Stack Staging/Health (Staging-Health)',
  'There were no differences',
].join('\n');
const PRODUCTION = 'Stack Production/Data (Production-Data)\nThere were no differences\n';
const resources = (stack: string, lines: string[]) =>
  [`Stack ${stack} (${stack.replace('/', '-')})`, 'Resources', ...lines].join('\n');

describe('the comment, word for word', () => {
  it('reads as reviewers see it: marker, verdict, table, each environment, then its full diff', () => {
    const { markdown } = summarize(
      [
        { env: 'staging', text: STAGING },
        { env: 'production', text: PRODUCTION },
      ],
      { commit: 'abc1234' },
    );
    expect(markdown).toBe(
      [
        '<!-- miko-cdk-diff -->',
        '## cdk diff for abc1234',
        '',
        '❌ **1 stateful resource(s) would be replaced or deleted** — this check fails. If that is intended (data migrated first, see docs/runbooks/deploy.md), add the `stateful-change-approved` label:',
        '  - `Staging-Data` AWS::S3::Bucket `OldBucket12`',
        '',
        '| Environment | Stacks changed | Replaced | Deleted | IAM changes | Security-group changes |',
        '|---|---|---|---|---|---|',
        '| staging | 2 | 1 | 1 | yes | no |',
        '| production | 0 | 0 | 0 | no | no |',
        '',
        '### staging',
        '- **Stacks changed** (2 of 3): `Staging-Data`, `Staging-Site`',
        '- **Replaced**: 1',
        '  - `Staging-Site` AWS::CloudFront::Distribution `Dist78` (may be replaced)',
        '- **Deleted**: 1',
        '  - `Staging-Data` AWS::S3::Bucket `OldBucket12`',
        '- **IAM changes**: `Staging-Site` +1 / −1',
        '- **Security-group changes**: none',
        '',
        '<details><summary>Full <code>cdk diff</code>: staging</summary>',
        '',
        '```',
        STAGING,
        '```',
        '</details>',
        '',
        '### production',
        'No changes in 1 stack(s).',
        '',
        '<details><summary>Full <code>cdk diff</code>: production</summary>',
        '',
        '```',
        PRODUCTION.trimEnd(),
        '```',
        '</details>',
        '',
      ].join('\n'),
    );
    // pr-comment.ts finds the comment to update by this exact marker.
    expect(COMMENT_MARKER).toBe('<!-- miko-cdk-diff -->');
  });

  it('says "none" for nothing replaced or deleted, and passes', () => {
    const text = resources('Staging/Site', ['[+] AWS::Lambda::Function Site/Fn Fn56', '[~] AWS::SNS::Topic Site/T T1']);
    const { markdown, blocking } = summarize([{ env: 'staging', text }]);
    expect(blocking).toEqual([]);
    expect(markdown).toContain('✅ No stateful resource is replaced or deleted.\n');
    expect(markdown).toContain('- **Replaced**: none\n- **Deleted**: none\n- **IAM changes**: none\n');
    expect(markdown).toContain('| staging | 1 | 0 | 0 | no | no |');
  });

  it.each([
    'AWS::S3::Bucket',
    'AWS::KMS::Key',
    'AWS::SecretsManager::Secret',
    'AWS::DynamoDB::Table',
    'AWS::RDS::DBInstance',
    'AWS::RDS::DBCluster',
  ])('blocks a replaced %s outside the Data stack, and not a replaced Lambda function there', (type) => {
    const text = resources('Production/Site', [
      `[~] ${type} Site/R R1 replace`,
      '[~] AWS::Lambda::Function Site/F F1 replace',
    ]);
    expect(summarize([{ env: 'production', text }]).blocking.map((c) => c.type)).toEqual([type]);
  });

  it('lists 15 items in full and cuts the 16th to "… and 1 more", in bullets and inline', () => {
    const deletions = (n: number) => Array.from({ length: n }, (_, i) => `[-] AWS::SNS::Topic Site/T${i} Topic${i}`);
    const fifteen = summarize([{ env: 'staging', text: resources('Staging/Site', deletions(15)) }]).markdown;
    expect(fifteen).toContain('  - `Staging-Site` AWS::SNS::Topic `Topic14`');
    expect(fifteen).not.toContain('more');
    const sixteen = summarize([{ env: 'staging', text: resources('Staging/Site', deletions(16)) }]).markdown;
    expect(sixteen).toContain('  - `Staging-Site` AWS::SNS::Topic `Topic14`\n  - … and 1 more\n');
    expect(sixteen).not.toContain('`Topic15`\n');
    const stacks = Array.from({ length: 16 }, (_, i) =>
      resources(`Staging/S${i}`, ['[+] AWS::SNS::Topic S/T T1']),
    ).join('\n');
    expect(summarize([{ env: 'staging', text: stacks }]).markdown).toContain(
      '(16 of 16): `Staging-S0`, `Staging-S1`, `Staging-S2`, `Staging-S3`, `Staging-S4`, `Staging-S5`, `Staging-S6`, `Staging-S7`, `Staging-S8`, `Staging-S9`, `Staging-S10`, `Staging-S11`, `Staging-S12`, `Staging-S13`, `Staging-S14`, … and 1 more\n',
    );
  });

  it('fills the comment up to its limit and no further, each full diff cut at the same length from its start', () => {
    const huge = fixture('new-ci-access.txt').repeat(200);
    const { markdown } = summarize([
      { env: 'staging', text: huge },
      { env: 'production', text: huge },
    ]);
    expect(markdown.length).toBeLessThanOrEqual(MAX_COMMENT_CHARS);
    expect(markdown.length).toBeGreaterThan(MAX_COMMENT_CHARS - 1_000);
    const shown = markdown.split('```\n').filter((part) => part.includes('… truncated'));
    expect(shown).toHaveLength(2);
    expect(shown[0].startsWith(huge.slice(0, 200))).toBe(true);
    expect(shown[0].indexOf('\n… truncated')).toBe(shown[1].indexOf('\n… truncated'));
  });

  it('reads colour codes, stack lines without a display name, security-group tables and other changes', () => {
    const text = [
      'Stack Staging-Data',
      '\x1b[31m[-] AWS::S3::Bucket Data/B B1 destroy\x1b[0m',
      'Stack Staging/Site (Staging-Site)',
      'Security Group Changes',
      '│ + │ sg │ In │ 443 │',
      '│ + │ sg │ In │ 80 │',
      'Stack Staging/Health (Staging-Health)',
      'Other Changes',
      '[+] Custom::Thing Health/C C1',
    ].join('\n');
    const [data, site, health] = parseCdkDiff(text);
    expect(data).toMatchObject({
      stack: 'Staging-Data',
      changed: false,
      resources: [{ logicalId: 'B1', impact: 'destroy' }],
    });
    expect(site).toMatchObject({
      changed: true,
      securityGroups: { added: 2, removed: 0 },
      iam: { added: 0, removed: 0 },
    });
    expect(health).toMatchObject({ changed: true, resources: [{ type: 'Custom::Thing', impact: 'create' }] });
  });

  it('takes only whole lines as stack, section and resource lines, never a line that merely mentions one', () => {
    const text = [
      'Stack Staging/Health (Staging-Health)',
      'See IAM Statement Changes',
      'IAM Policy Changes follow',
      'No Resources',
      'Outputs changed: none',
      '   │   [-] AWS::S3::Bucket Nested/Old Old1 destroy',
      '  └─ [~] Value: Stack Staging-Old',
      'Stack trace: Error',
      '│ + │ arn │ Allow │ s3:* │',
    ].join('\n');
    expect(parseCdkDiff(text)).toEqual([
      {
        stack: 'Staging-Health',
        changed: false,
        resources: [],
        iam: { added: 0, removed: 0 },
        securityGroups: { added: 0, removed: 0 },
      },
    ]);
  });

  it("counts an IAM table's rows by their first column, and a stack with only IAM changes as changed", () => {
    const text = [
      'Stack Staging/CiAccess (Staging-CiAccess)',
      'IAM Statement Changes',
      '│ + │ arn │ Allow │ s3:GetObject │',
      '│   │ arn │ Allow │ "x │ + │ y" │',
    ].join('\n');
    expect(parseCdkDiff(text)).toEqual([
      {
        stack: 'Staging-CiAccess',
        changed: true,
        resources: [],
        iam: { added: 1, removed: 0 },
        securityGroups: { added: 0, removed: 0 },
      },
    ]);
  });

  it('counts only the stacks named exactly <Stage>-Data as stateful stacks', () => {
    const text = resources('Staging/DataFeeds', ['[~] AWS::Lambda::Function F/F F1 replace']);
    expect(summarize([{ env: 'staging', text }]).blocking).toEqual([]);
  });

  it('lists exactly 15 stacks inline without "more"', () => {
    const stacks = Array.from({ length: 15 }, (_, i) => resources(`Staging/S${i}`, ['[+] AWS::SNS::Topic S/T T1']));
    const { markdown } = summarize([{ env: 'staging', text: stacks.join('\n') }]);
    expect(markdown).toContain('`Staging-S13`, `Staging-S14`\n');
    expect(markdown).not.toContain('more');
  });

  it('shows a full diff of exactly the room left uncut, and cuts one character more', () => {
    const head = resources('Staging/Site', ['[+] AWS::SNS::Topic S/T T1']) + '\n';
    const withLength = (n: number) => head + 'x'.repeat(n - head.length);
    const cut = summarize([{ env: 'staging', text: withLength(MAX_COMMENT_CHARS) }]).markdown;
    const room = cut.indexOf('\n… truncated') - cut.indexOf(head);
    expect(summarize([{ env: 'staging', text: withLength(room) }]).markdown).not.toContain('truncated');
    expect(summarize([{ env: 'staging', text: withLength(room + 1) }]).markdown).toContain(
      `\n… truncated (${room + 1} characters)`,
    );
  });

  it("keeps a diff's own code fence from closing the comment's block", () => {
    const text = resources('Staging/Site', ['[+] AWS::SNS::Topic S/T T1', 'Description: ```js```']);
    const { markdown } = summarize([{ env: 'staging', text }]);
    expect(markdown).toContain("Description: '''js'''\n```\n</details>");
  });

  it('titles the comment without a commit when none is given', () => {
    const text = resources('Staging/Site', ['[+] AWS::SNS::Topic S/T T1']);
    expect(summarize([{ env: 'staging', text }]).markdown).toMatch(/^<!-- miko-cdk-diff -->\n## cdk diff\n\n✅/);
  });
});

describe('the command', () => {
  const run = (argv: string[]) => {
    const out: string[] = [];
    const err: string[] = [];
    const code = main(argv, { out: (t) => void out.push(t), err: (l) => void err.push(l) });
    return { code, out, err };
  };

  it('exits 1 naming each blocking resource, 0 with --allow-stateful, and writes --out', () => {
    const dir = testTempDir('diff-summary');
    writeFileSync(join(dir, 'staging.txt'), STAGING);
    const blocked = run(['--diff', `staging=${join(dir, 'staging.txt')}`, '--commit', 'abc1234']);
    expect(blocked.code).toBe(1);
    expect(blocked.out[0]).toMatch(/^<!-- miko-cdk-diff -->\n## cdk diff for abc1234\n/);
    expect(run(['--diff', `staging=${join(dir, 'staging.txt')}`]).out[0]).toMatch(
      /^<!-- miko-cdk-diff -->\n## cdk diff\n\n/,
    );
    expect(blocked.err).toEqual([
      'stateful resource would be replaced or deleted: `Staging-Data` AWS::S3::Bucket `OldBucket12`',
    ]);
    const allowed = run([
      '--diff',
      `staging=${join(dir, 'staging.txt')}`,
      '--allow-stateful',
      '--out',
      join(dir, 'c.md'),
    ]);
    expect(allowed).toEqual({ code: 0, out: [], err: [] });
    expect(readFileSync(join(dir, 'c.md'), 'utf8')).toContain('allowed by the `stateful-change-approved` label');
  });

  it('answers --help (0), and a bad flag or a --diff without <env>=<file> with usage (2)', () => {
    expect(run(['--help'])).toMatchObject({ code: 0, out: [expect.stringMatching(/^usage: diff-summary\.ts --diff/)] });
    expect(run(['--dif', 'x'])).toMatchObject({ code: 2, err: [expect.stringMatching(/\nusage: /)] });
    expect(run(['--diff', 'staging'])).toMatchObject({
      code: 2,
      err: [expect.stringMatching(/^--diff expects <env>=<file>, got "staging"\nusage: /)],
    });
    expect(run(['--diff', '=file.txt']).code).toBe(2);
    expect(run(['--diff', '=staging=x.txt']).err[0]).toMatch(/^--diff expects <env>=<file>, got "=staging=x.txt"\n/);
    expect(run(['--help']).out[0]).toContain('\nexit codes: 0 nothing stateful replaced or deleted');
  });

  it("reads a --diff file whose name holds '='", () => {
    const dir = testTempDir('diff-summary');
    writeFileSync(join(dir, 'diff=staging.txt'), STAGING);
    expect(run(['--diff', `staging=${join(dir, 'diff=staging.txt')}`]).code).toBe(1);
  });

  it('refuses to summarize nothing: no --diff is a usage error, not an empty comment that passes', () => {
    const none = run([]);
    expect(none.code).toBe(2);
    expect(none.err[0]).toMatch(/^--diff is missing: give each environment's cdk diff output as --diff <env>=<file>\n/);
  });

  it('names the --diff whose file cannot be read, and writes nothing', () => {
    const dir = testTempDir('diff-summary');
    const missing = join(dir, 'absent.txt');
    expect(run(['--diff', `staging=${missing}`, '--out', join(dir, 'c.md')])).toEqual({
      code: 2,
      out: [],
      err: [`--diff staging=${missing}: cannot read ${missing} (ENOENT). Fix: pass the file cdk diff wrote.`],
    });
    expect(() => readFileSync(join(dir, 'c.md'))).toThrow(/ENOENT/);
  });

  it('runs as the workflow runs it: a script that exits 1 on a blocking change, the comment titled without --commit', async () => {
    const dir = testTempDir('diff-summary');
    writeFileSync(join(dir, 'staging.txt'), STAGING);
    const outcome = await runScript('scripts/ci/diff-summary.ts', ['--diff', `staging=${join(dir, 'staging.txt')}`]);
    expect(outcome.code).toBe(1);
    expect(outcome.stdout).toMatch(/^<!-- miko-cdk-diff -->\n## cdk diff\n\n❌ \*\*1 stateful/);
    expect(outcome.stderr).toBe(
      'stateful resource would be replaced or deleted: `Staging-Data` AWS::S3::Bucket `OldBucket12`\n',
    );
  });
});
