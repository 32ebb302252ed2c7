/**
 * Turns the `cdk diff` output of each environment into the pull request's one comment: a summary on top (stacks
 * changed, resources replaced or deleted, IAM and security-group changes), the full diffs folded below, and a
 * verdict: exit 1 when a stateful resource would be replaced or deleted, which fails the check.
 *
 *   node -r ./scripts/lib/register-typescript.cjs scripts/ci/diff-summary.ts --diff staging=diff-staging.txt --diff production=diff-production.txt \
 *     --out comment.md [--allow-stateful]
 *
 * It reads the CLI's own text rather than recomputing a diff, so the summary can never disagree with the diff shown
 * under it. The resource lines come from @aws-cdk/cloudformation-diff: `[+|-|~] <type> [<path>] <logical id> [impact]`.
 */
import { readFileSync, writeFileSync } from 'node:fs';
import { parseArgs } from 'node:util';
import { Io, runIfMain } from '../lib/command';

/** Marks our comment so each push updates it instead of adding another. */
export const COMMENT_MARKER = '<!-- miko-cdk-diff -->';
/** GitHub refuses comments over 65,536 characters; the summary comes first, the full diffs share what is left. */
export const MAX_COMMENT_CHARS = 60_000;
/** Longer lists are cut (the full diff below has every line); a summary is for reading at a glance. */
const MAX_LISTED = 15;
/** Resource types whose replacement or deletion loses data (or, for a key, makes data unreadable). */
export const STATEFUL_TYPES = [
  'AWS::S3::Bucket',
  'AWS::KMS::Key',
  'AWS::SecretsManager::Secret',
  'AWS::DynamoDB::Table',
  'AWS::RDS::DBInstance',
  'AWS::RDS::DBCluster',
];
/** Every resource of the stateful stacks (`Staging-Data`, `Production-Data`) counts as stateful. */
const STATEFUL_STACK = /-Data$/;

export type Impact = 'create' | 'update' | 'replace' | 'may-replace' | 'destroy' | 'orphan' | 'import';

export interface ResourceChange {
  readonly stack: string;
  readonly type: string;
  readonly logicalId: string;
  readonly impact: Impact;
}

export interface StackDiff {
  /** The CloudFormation stack name (`Staging-Data`). */
  readonly stack: string;
  /** Set while parsing, as the stack's sections are met. */
  changed: boolean;
  readonly resources: ResourceChange[];
  /** Rows added (+) and removed (-) in the IAM tables. */
  readonly iam: { added: number; removed: number };
  readonly securityGroups: { added: number; removed: number };
}

const STACK_LINE = /^Stack (\S+)(?: \((\S+)\))?$/;
const RESOURCE_LINE =
  /^\[([+\-~←])\] (AWS::\S+|Custom::\S+) (.+?)(?: (replace|may be replaced|destroy|orphan|import))?$/;
const TABLE_ROW = /^│ ([+-]) │/;
const IMPACT_WORDS: Record<string, Impact> = {
  replace: 'replace',
  'may be replaced': 'may-replace',
  destroy: 'destroy',
  orphan: 'orphan',
  import: 'import',
};

export function parseCdkDiff(text: string): StackDiff[] {
  const stacks: StackDiff[] = [];
  let current: StackDiff | undefined;
  let table: 'iam' | 'securityGroups' | undefined;
  // Colour codes would hide the markers; the workflow passes --no-color, this is belt and braces.
  for (const line of text.replace(/\x1b\[[0-9;]*m/g, '').split(/\r?\n/)) {
    const stackMatch = STACK_LINE.exec(line);
    if (stackMatch) {
      current = {
        stack: stackMatch[2] ?? stackMatch[1],
        changed: false,
        resources: [],
        iam: { added: 0, removed: 0 },
        securityGroups: { added: 0, removed: 0 },
      };
      stacks.push(current);
      table = undefined;
      continue;
    }
    if (!current) continue;
    if (/^IAM (Statement|Policy) Changes$/.test(line)) {
      table = 'iam';
      current.changed = true;
      continue;
    }
    if (line === 'Security Group Changes') {
      table = 'securityGroups';
      current.changed = true;
      continue;
    }
    if (/^(Resources|Parameters|Outputs|Conditions|Mappings|Template|Other Changes)$/.test(line)) {
      table = undefined;
      current.changed = true;
      continue;
    }
    const row = TABLE_ROW.exec(line);
    if (row && table) {
      current[table][row[1] === '+' ? 'added' : 'removed']++;
      continue;
    }
    const resource = RESOURCE_LINE.exec(line);
    if (resource) {
      const [, op, type, ids, impactWord] = resource;
      const impact: Impact = impactWord
        ? IMPACT_WORDS[impactWord]
        : op === '+'
          ? 'create'
          : op === '-'
            ? 'destroy'
            : 'update';
      current.resources.push({ stack: current.stack, type, logicalId: ids.split(' ').at(-1)!, impact });
    }
  }
  return stacks;
}

export const isStateful = (change: ResourceChange) =>
  STATEFUL_TYPES.includes(change.type) || STATEFUL_STACK.test(change.stack);
/** Replacement or deletion: the resource, and what it holds, is gone afterwards. An orphan is kept (RETAIN). */
const losesResource = (change: ResourceChange) => ['replace', 'may-replace', 'destroy'].includes(change.impact);

export interface EnvironmentDiff {
  readonly env: string;
  readonly text: string;
}

export interface Summary {
  readonly markdown: string;
  /** Stateful resources that would be replaced or deleted: the check fails unless explicitly allowed. */
  readonly blocking: ResourceChange[];
}

const describe = (c: ResourceChange) =>
  `\`${c.stack}\` ${c.type} \`${c.logicalId}\`${c.impact === 'may-replace' ? ' (may be replaced)' : ''}`;
const bullets = (items: string[]) =>
  [
    ...items.slice(0, MAX_LISTED).map((i) => `  - ${i}`),
    ...(items.length > MAX_LISTED ? [`  - … and ${items.length - MAX_LISTED} more`] : []),
  ].join('\n');
const inline = (items: string[]) =>
  items.slice(0, MAX_LISTED).join(', ') +
  (items.length > MAX_LISTED ? `, … and ${items.length - MAX_LISTED} more` : '');

function environmentSection(env: EnvironmentDiff): {
  markdown: string;
  blocking: ResourceChange[];
  row: string;
  details: (budget: number) => string;
} {
  const stacks = parseCdkDiff(env.text);
  const changed = stacks.filter((s) => s.changed);
  const all = changed.flatMap((s) => s.resources);
  const replaced = all.filter((c) => c.impact === 'replace' || c.impact === 'may-replace');
  const deleted = all.filter((c) => c.impact === 'destroy');
  const orphaned = all.filter((c) => c.impact === 'orphan');
  const iam = changed.filter((s) => s.iam.added + s.iam.removed > 0);
  const sg = changed.filter((s) => s.securityGroups.added + s.securityGroups.removed > 0);
  const blocking = all.filter((c) => isStateful(c) && losesResource(c));
  const counts = (k: 'iam' | 'securityGroups') => (list: StackDiff[]) =>
    list.map((s) => `\`${s.stack}\` +${s[k].added} / −${s[k].removed}`);

  const lines = [`### ${env.env}`];
  if (stacks.length === 0)
    lines.push('⚠️ No stack found in the `cdk diff` output: the diff did not run; see the job log.');
  else if (changed.length === 0) lines.push(`No changes in ${stacks.length} stack(s).`);
  else {
    lines.push(
      `- **Stacks changed** (${changed.length} of ${stacks.length}): ${inline(changed.map((s) => `\`${s.stack}\``))}`,
    );
    lines.push(`- **Replaced**: ${replaced.length || 'none'}`, bullets(replaced.map(describe)));
    lines.push(`- **Deleted**: ${deleted.length || 'none'}`, bullets(deleted.map(describe)));
    if (orphaned.length)
      lines.push(`- **Removed from the stack but kept** (RETAIN): ${orphaned.length}`, bullets(orphaned.map(describe)));
    lines.push(`- **IAM changes**: ${iam.length ? inline(counts('iam')(iam)) : 'none'}`);
    lines.push(`- **Security-group changes**: ${sg.length ? inline(counts('securityGroups')(sg)) : 'none'}`);
  }
  const details = (budget: number) => {
    const text = env.text.trimEnd();
    const full =
      text.length > budget
        ? `${text.slice(0, Math.max(0, budget))}\n… truncated (${text.length} characters): the full diff is in the job log and the cdk-diff artifact.`
        : text;
    return [
      '',
      `<details><summary>Full <code>cdk diff</code>: ${env.env}</summary>`,
      '',
      '```',
      full.replace(/```/g, "'''"),
      '```',
      '</details>',
      '',
    ].join('\n');
  };
  const row = `| ${env.env} | ${changed.length} | ${replaced.length} | ${deleted.length} | ${iam.length ? 'yes' : 'no'} | ${sg.length ? 'yes' : 'no'} |`;
  return { markdown: lines.filter((l) => l !== '').join('\n'), blocking, row, details };
}

export function summarize(envs: EnvironmentDiff[], { allowStateful = false, commit = '' } = {}): Summary {
  const sections = envs.map(environmentSection);
  const blocking = sections.flatMap((s) => s.blocking);
  const verdict =
    blocking.length === 0
      ? '✅ No stateful resource is replaced or deleted.'
      : allowStateful
        ? `⚠️ **${blocking.length} stateful resource(s) would be replaced or deleted**; allowed by the \`stateful-change-approved\` label:\n${bullets(blocking.map(describe))}`
        : `❌ **${blocking.length} stateful resource(s) would be replaced or deleted** — this check fails. If that is intended (data migrated first, see docs/runbooks/deploy.md), add the \`stateful-change-approved\` label:\n${bullets(blocking.map(describe))}`;
  const summaryPart = [
    COMMENT_MARKER,
    `## cdk diff${commit ? ` for ${commit}` : ''}`,
    '',
    verdict,
    '',
    '| Environment | Stacks changed | Replaced | Deleted | IAM changes | Security-group changes |',
    '|---|---|---|---|---|---|',
    ...sections.map((s) => s.row),
    '',
  ].join('\n');
  // Each environment: its summary, then its full diff in whatever room the comment has left.
  const summariesLength = summaryPart.length + sections.reduce((n, s) => n + s.markdown.length + 300, 0);
  const budget = Math.floor((MAX_COMMENT_CHARS - summariesLength) / Math.max(1, sections.length));
  const markdown = summaryPart + '\n' + sections.map((s) => s.markdown + '\n' + s.details(budget)).join('\n');
  return { markdown, blocking: allowStateful ? [] : blocking };
}

const USAGE =
  'usage: diff-summary.ts --diff <env>=<file> [--diff <env>=<file> …] [--out comment.md] [--allow-stateful] [--commit <sha>]\n' +
  'exit codes: 0 nothing stateful replaced or deleted (or allowed); 1 the check fails; 2 usage';

/** The command: exit 0, 1 when a stateful resource would be replaced or deleted (unless allowed), 2 on usage. */
export function main(argv: readonly string[], io: Io): number {
  let values;
  try {
    ({ values } = parseArgs({
      args: [...argv],
      options: {
        diff: { type: 'string', multiple: true, default: [] },
        out: { type: 'string' },
        'allow-stateful': { type: 'boolean', default: false },
        commit: { type: 'string', default: '' },
        help: { type: 'boolean', default: false },
      },
    }));
  } catch (error) {
    io.err(`${(error as Error).message}\n${USAGE}`);
    return 2;
  }
  if (values.help) {
    io.out(USAGE);
    return 0;
  }
  // No environment would make an empty comment that passes the check.
  if (values.diff.length === 0) {
    io.err(`--diff is missing: give each environment's cdk diff output as --diff <env>=<file>\n${USAGE}`);
    return 2;
  }
  const malformed = values.diff.find((pair) => !/^[^=]+=.+/.test(pair));
  if (malformed !== undefined) {
    io.err(`--diff expects <env>=<file>, got "${malformed}"\n${USAGE}`);
    return 2;
  }
  const envs: EnvironmentDiff[] = [];
  for (const pair of values.diff) {
    // Only the first '=' separates: a file name may hold one.
    const env = pair.slice(0, pair.indexOf('='));
    const file = pair.slice(env.length + 1);
    try {
      envs.push({ env, text: readFileSync(file, 'utf8') });
    } catch (error) {
      io.err(
        `--diff ${pair}: cannot read ${file} (${(error as NodeJS.ErrnoException).code}). Fix: pass the file cdk diff wrote.`,
      );
      return 2;
    }
  }
  const summary = summarize(envs, { allowStateful: values['allow-stateful'], commit: values.commit });
  if (values.out) writeFileSync(values.out, summary.markdown);
  else io.out(summary.markdown);
  for (const change of summary.blocking) io.err(`stateful resource would be replaced or deleted: ${describe(change)}`);
  return summary.blocking.length > 0 ? 1 : 0;
}

runIfMain(module, main);
