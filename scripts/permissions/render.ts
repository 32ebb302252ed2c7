/**
 * The matrix as text: a terminal table for `npm run permissions`, and Markdown for docs/permissions.md, where
 * each environment has its own section so one environment's run leaves the other's rows as they are.
 */
import type { Matrix, MatrixRow } from './matrix';

const cell = (text: string) => text.replaceAll('|', '\\|');

function decisionText(row: MatrixRow): string {
  if (row.decision === 'Absent') return 'absent';
  const expected = row.kind === 'forbidden' ? 'must be denied' : 'must be allowed';
  return row.ok ? row.decision : `${row.decision.toUpperCase()} (${expected})`;
}

export function renderTerminal(matrix: Matrix): string[] {
  const lines = [`permission matrix of ${matrix.envName}: ${matrix.rows.length} requests`];
  for (const row of matrix.rows)
    lines.push(
      `${row.ok ? 'ok  ' : 'FAIL'} ${row.kind === 'forbidden' ? 'forbidden ' : ''}${row.pathId}: ${row.principal} ${row.action} ${row.resource}${row.via ? ` [${row.via}]` : ''} -> ${decisionText(row)} by ${row.decidedBy}`,
    );
  for (const wildcard of matrix.wildcards)
    lines.push(`wildcard ${wildcard.wildcard} in ${wildcard.statement}: ${wildcard.reason}`);
  lines.push(
    matrix.failures.length === 0
      ? `${matrix.envName}: every catalogued path allowed, every forbidden path denied, every statement used, every wildcard explained`
      : `${matrix.envName}: ${matrix.failures.length} problem(s):`,
  );
  lines.push(...matrix.failures.map((failure) => `  - ${failure}`));
  return lines;
}

export function renderMarkdownSection(matrix: Matrix): string {
  const required = matrix.rows.filter((r) => r.kind === 'required');
  const forbidden = matrix.rows.filter((r) => r.kind === 'forbidden');
  const table = (rows: MatrixRow[]) => [
    '| Path | Principal | Action | Resource | Decision | Decided by |',
    '| --- | --- | --- | --- | --- | --- |',
    ...rows.map(
      (r) =>
        `| ${cell(r.pathId)} | ${cell(r.principal)} | ${cell(r.via ? `${r.action} (${r.via.replace(/: .*/, '')})` : r.action)} | ${cell(r.resource)} | ${decisionText(r)} | ${cell(r.decidedBy)} |`,
    ),
  ];
  return [
    `## ${matrix.envName}`,
    '',
    `${required.length} requests of runtime paths (key legs included), ${forbidden.length} of forbidden paths; ${matrix.failures.length} problem(s).`,
    '',
    '### Runtime paths: allowed',
    '',
    ...table(required),
    '',
    '### Forbidden paths: denied',
    '',
    ...table(forbidden),
    '',
    '### Wildcards and why',
    '',
    '| Statement | Wildcard | Reason |',
    '| --- | --- | --- |',
    ...matrix.wildcards.map((w) => `| ${cell(w.statement)} | ${cell(w.wildcard)} | ${cell(w.reason)} |`),
    ...(matrix.failures.length > 0 ? ['', '### Problems', '', ...matrix.failures.map((f) => `- ${f}`)] : []),
    '',
  ].join('\n');
}

const HEADER = `# Permission matrix

Written by \`npm run permissions\` from the synthesized templates (test/permissions/ keeps it current); do not edit.
Each row is one request decided by the IAM engine (@cloud-copilot/iam-simulate) over the identity policies, the
resource's policy and the KMS key policy. The paths are catalogued beside their constructs (\`lib/**/*.paths.ts\`) or
follow from a resource's own configuration (dead-letter targets, encrypted log groups: scripts/permissions/derived-paths.ts).
`;

const begin = (env: string) => `<!-- begin ${env} -->`;
const end = (env: string) => `<!-- end ${env} -->`;

/** `existing` with the sections of these matrices replaced (or added), environments in a fixed order. */
export function updatedDocument(existing: string | undefined, matrices: Matrix[], order: readonly string[]): string {
  const sections = new Map<string, string>();
  for (const env of order) {
    const found = existing?.match(new RegExp(`${begin(env)}\\n([\\s\\S]*?)${end(env)}`));
    if (found) sections.set(env, found[1]);
  }
  for (const matrix of matrices) sections.set(matrix.envName, renderMarkdownSection(matrix));
  return [
    HEADER,
    ...order.filter((env) => sections.has(env)).map((env) => `${begin(env)}\n${sections.get(env)}${end(env)}\n`),
  ].join('\n');
}
