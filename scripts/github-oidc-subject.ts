/**
 * The one-time repository setting the CI roles' trust policies depend on: the OIDC subject must carry the workflow
 * reference (lib/delivery/github-oidc.ts). Until it does, tokens carry the default subject no role trusts, so CI
 * fails closed. The repository is the config's delivery.githubRepository; GITHUB_API_URL for GitHub Enterprise.
 */
import { loadAppConfig } from '../lib/config';
import { OIDC_SUBJECT_CLAIM_KEYS } from '../lib/delivery/github-oidc';
import { Io, runCommand, runIfMain } from './lib/command';

const REQUEST_TIMEOUT_MS = 15_000;

export interface SubjectTemplate {
  readonly use_default: boolean;
  readonly include_claim_keys?: readonly string[];
}

export interface GitHubApi {
  readonly apiUrl: string;
  readonly token: string;
}

export const WANTED: SubjectTemplate = { use_default: false, include_claim_keys: [...OIDC_SUBJECT_CLAIM_KEYS] };

async function call(api: GitHubApi, method: 'GET' | 'PUT', path: string, body?: object): Promise<unknown> {
  const response = await fetch(`${api.apiUrl}${path}`, {
    method,
    headers: {
      authorization: `Bearer ${api.token}`,
      accept: 'application/vnd.github+json',
      'content-type': 'application/json',
      'x-github-api-version': '2022-11-28',
    },
    body: body ? JSON.stringify(body) : undefined,
    redirect: 'error',
    signal: AbortSignal.timeout(REQUEST_TIMEOUT_MS),
  });
  const text = await response.text();
  if (!response.ok) {
    const hint =
      response.status === 403 || response.status === 404
        ? ' Fix: use a token of a repository administrator (fine-grained: "Administration: write").'
        : '';
    throw new Error(`GitHub ${method} ${path} answered ${response.status}: ${text.slice(0, 200)}.${hint}`);
  }
  return text ? JSON.parse(text) : undefined;
}

const describe = (t: SubjectTemplate) =>
  t.use_default ? "GitHub's default (repo:<repo>:<context>)" : `claims ${JSON.stringify(t.include_claim_keys ?? [])}`;
const same = (a: SubjectTemplate, b: SubjectTemplate) =>
  a.use_default === b.use_default &&
  JSON.stringify(a.include_claim_keys ?? []) === JSON.stringify(b.include_claim_keys ?? []);

/** Reads the setting, reports what would change and, with apply, changes it and checks it took. Returns the report lines. */
export async function ensureSubjectTemplate(
  api: GitHubApi,
  repository: string,
  apply: boolean,
): Promise<{ changed: boolean; lines: string[] }> {
  const path = `/repos/${repository}/actions/oidc/customization/sub`;
  const current = (await call(api, 'GET', path)) as SubjectTemplate;
  const lines = [`${repository}: OIDC subject is ${describe(current)}`];
  if (same(current, WANTED)) return { changed: false, lines: [...lines, 'already as wanted; nothing to change'] };
  lines.push(`wanted: ${describe(WANTED)}`, `change: PUT ${path} ${JSON.stringify(WANTED)}`);
  if (!apply)
    return { changed: false, lines: [...lines, 'not changed (dry run). Run again with --apply to change it.'] };
  await call(api, 'PUT', path, WANTED);
  const after = (await call(api, 'GET', path)) as SubjectTemplate;
  if (!same(after, WANTED)) throw new Error(`GitHub accepted the change but now reports ${describe(after)}`);
  return { changed: true, lines: [...lines, `changed: the OIDC subject is now ${describe(after)}`] };
}

const USAGE = `usage: GITHUB_TOKEN=<admin token> npm run ci-setup [-- --apply]
  Shows (or with --apply sets, then reads back) the repository's GitHub OIDC subject template the CI roles trust.
Exit codes: 0 shown or set; 1 GitHub refused or GITHUB_TOKEN is missing; 2 usage.`;

export function main(argv: string[], io: Io): Promise<number> {
  const spec = { name: 'ci-setup', usage: USAGE, options: { apply: { type: 'boolean' as const } } };
  return runCommand(spec, argv, io, async (values) => {
    const token = process.env.GITHUB_TOKEN;
    if (!token)
      throw new Error(
        'GITHUB_TOKEN is not set. Fix: export a token of a repository administrator (GITHUB_TOKEN=… npm run ci-setup)',
      );
    const config = loadAppConfig();
    const repositories = [
      ...new Set([config.staging.delivery.githubRepository, config.production.delivery.githubRepository]),
    ];
    for (const repository of repositories) {
      const { lines } = await ensureSubjectTemplate(
        { apiUrl: process.env.GITHUB_API_URL ?? 'https://api.github.com', token },
        repository,
        values.apply === true,
      );
      for (const line of lines) io.out(line);
    }
    return 0;
  });
}

runIfMain(module, main);
