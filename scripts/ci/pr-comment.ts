/**
 * Keeps ONE diff comment per pull request: updates ours if it exists (found by its marker), creates it otherwise,
 * so each push replaces the summary instead of piling up comments.
 *
 *   GITHUB_TOKEN=… GITHUB_REPOSITORY=owner/name node -r ./scripts/lib/register-typescript.cjs scripts/ci/pr-comment.ts --pr 42 --body comment.md
 */
import { readFileSync } from 'node:fs';
import { parseArgs } from 'node:util';
import { COMMENT_MARKER } from './diff-summary';

/** 100 comments a page (GitHub's maximum) × 30 pages: far beyond any pull request, and a bound on a broken API. */
const PER_PAGE = 100;
const MAX_PAGES = 30;
const REQUEST_TIMEOUT_MS = 15_000;

export interface GitHubTarget {
  /** https://api.github.com, or GITHUB_API_URL on GitHub Enterprise (and a local stand-in in tests). */
  readonly apiUrl: string;
  readonly token: string;
  /** owner/name */
  readonly repository: string;
  readonly pullRequest: number;
}

interface IssueComment {
  readonly id: number;
  readonly body?: string;
  readonly user?: { type?: string };
}

async function github<T>(target: GitHubTarget, method: string, path: string, body?: object): Promise<T> {
  const response = await fetch(`${target.apiUrl}${path}`, {
    method,
    headers: {
      authorization: `Bearer ${target.token}`,
      accept: 'application/vnd.github+json',
      'content-type': 'application/json',
      'x-github-api-version': '2022-11-28',
    },
    body: body ? JSON.stringify(body) : undefined,
    signal: AbortSignal.timeout(REQUEST_TIMEOUT_MS),
  });
  if (!response.ok)
    throw new Error(`GitHub ${method} ${path} answered ${response.status}: ${(await response.text()).slice(0, 200)}`);
  return (await response.json()) as T;
}

/** Returns what it did, for the job log. */
export async function upsertDiffComment(target: GitHubTarget, body: string): Promise<'created' | 'updated'> {
  const issue = `/repos/${target.repository}/issues/${target.pullRequest}`;
  for (let page = 1; page <= MAX_PAGES; page++) {
    const comments = await github<IssueComment[]>(target, 'GET', `${issue}/comments?per_page=${PER_PAGE}&page=${page}`);
    // Only a bot's comment with our marker: a person quoting the comment must not have theirs overwritten.
    const ours = comments.find((c) => c.user?.type === 'Bot' && c.body?.startsWith(COMMENT_MARKER));
    if (ours) {
      await github(target, 'PATCH', `/repos/${target.repository}/issues/comments/${ours.id}`, { body });
      return 'updated';
    }
    if (comments.length < PER_PAGE) break;
  }
  await github(target, 'POST', `${issue}/comments`, { body });
  return 'created';
}

if (require.main === module) {
  const { values } = parseArgs({ options: { pr: { type: 'string' }, body: { type: 'string' } } });
  const { GITHUB_TOKEN, GITHUB_REPOSITORY, GITHUB_API_URL = 'https://api.github.com' } = process.env;
  if (!values.pr || !values.body || !GITHUB_TOKEN || !GITHUB_REPOSITORY) {
    console.error(
      'usage: GITHUB_TOKEN=… GITHUB_REPOSITORY=owner/name node -r ./scripts/lib/register-typescript.cjs scripts/ci/pr-comment.ts --pr <number> --body <file>',
    );
    process.exit(2);
  }
  upsertDiffComment(
    { apiUrl: GITHUB_API_URL, token: GITHUB_TOKEN, repository: GITHUB_REPOSITORY, pullRequest: Number(values.pr) },
    readFileSync(values.body, 'utf8'),
  )
    .then((done) => console.log(`diff comment ${done} on pull request #${values.pr}`))
    .catch((error: Error) => {
      console.error(error.message);
      process.exit(1);
    });
}
