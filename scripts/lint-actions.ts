/**
 * Refuses any `uses:` in .github/ not pinned to a full commit SHA with its version in a comment: a tag can be moved
 * to new code that then runs with our OIDC token; the comment tells Dependabot which release it is.
 *
 *   node -r ./scripts/lib/register-typescript.cjs scripts/lint-actions.ts [DIR...]   (part of `npm run lint`)
 */
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join, relative } from 'node:path';

export interface PinProblem {
  readonly file: string;
  readonly line: number;
  readonly uses: string;
  readonly message: string;
}

const FULL_SHA = /^[0-9a-f]{40}$/;
/** `# v4.3.1` (Dependabot keeps this comment in step when it bumps the SHA). */
const VERSION_COMMENT = /^#\s*v\d+(\.\d+){0,2}\b/;
/** `uses:` as a step key (`- uses:`) or a job key (reusable workflows), with an optional quoted value and comment. */
const USES_LINE = /^\s*(?:-\s+)?uses:\s*(['"]?)([^'"\s#]+)\1\s*(#.*)?$/;

export function pinProblemsIn(text: string, file: string): PinProblem[] {
  const problems: PinProblem[] = [];
  text.split('\n').forEach((content, index) => {
    const match = USES_LINE.exec(content);
    if (!match) return;
    const [, , uses, comment = ''] = match;
    const problem = (message: string) => problems.push({ file, line: index + 1, uses, message });
    // Local actions and reusable workflows come from this same commit: nothing to pin.
    if (uses.startsWith('./')) return;
    if (uses.startsWith('docker://')) {
      if (!/@sha256:[0-9a-f]{64}$/.test(uses))
        problem('a container action must be pinned by digest. Fix: docker://image@sha256:<digest>');
      return;
    }
    const at = uses.lastIndexOf('@');
    const ref = at < 0 ? '' : uses.slice(at + 1);
    if (!FULL_SHA.test(ref)) {
      problem(
        `pinned to "${ref || '(nothing)'}", which can move. Fix: pin the full 40-character commit SHA of the release and name it in a comment: ${at < 0 ? uses : uses.slice(0, at)}@<sha> # vX.Y.Z`,
      );
    } else if (!VERSION_COMMENT.test(comment.trim())) {
      problem(
        'the SHA has no version comment. Fix: add the release it is, e.g. "# v4.3.1", so reviewers and Dependabot know it',
      );
    }
  });
  return problems;
}

function yamlFilesUnder(dir: string): string[] {
  return readdirSync(dir).flatMap((name) => {
    const path = join(dir, name);
    if (statSync(path).isDirectory()) return yamlFilesUnder(path);
    return /\.ya?ml$/.test(name) ? [path] : [];
  });
}

export function pinProblemsUnder(dirs: string[]): PinProblem[] {
  return dirs.flatMap((dir) => yamlFilesUnder(dir).flatMap((file) => pinProblemsIn(readFileSync(file, 'utf8'), file)));
}

if (require.main === module) {
  const dirs = process.argv.slice(2);
  const roots = dirs.length ? dirs : [join(__dirname, '../.github')];
  const problems = pinProblemsUnder(roots);
  for (const p of problems)
    console.error(`${relative(process.cwd(), p.file)}:${p.line}: uses: ${p.uses}: ${p.message}`);
  if (problems.length) {
    console.error(`✗ ${problems.length} action reference(s) not pinned to a commit SHA`);
    process.exit(1);
  }
  console.log('✓ every action is pinned to a commit SHA with its version');
}
