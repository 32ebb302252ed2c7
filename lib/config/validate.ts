/**
 * Validates the whole app's config once, at start, and reports every problem at once.
 *
 * A bad config throws `ConfigError` before any construct exists, so synth aborts with nothing written.
 */
import { z } from 'zod';
import { AppConfig, ENVIRONMENT_NAMES, EnvironmentConfig, EnvironmentConfigSchema, EnvironmentName } from './schema';
import { ConfigProblem, checkEnvironmentRules } from './rules';

export class ConfigError extends Error {
  constructor(readonly problems: readonly ConfigProblem[]) {
    super(
      `The configuration has ${problems.length} problem${problems.length === 1 ? '' : 's'}; nothing was synthesized:\n` +
        problems.map((p) => `  - ${p.path}: ${p.message}`).join('\n'),
    );
    this.name = 'ConfigError';
  }
}

/** Turns zod's issue into "what is wrong. Fix: …", keeping our own messages and improving zod's generic ones. */
function describeIssue(issue: z.core.$ZodIssue): ConfigProblem[] {
  const path = issue.path.map(String).join('.');
  if (issue.code === 'unrecognized_keys') {
    return issue.keys.map((key) => ({
      path: path ? `${path}.${key}` : key,
      message: 'is not a known field. Fix: remove it or correct its spelling (lib/config/schema.ts lists every field).',
    }));
  }
  if (issue.code === 'invalid_type' && issue.input === undefined) {
    return [{ path, message: `is missing. Fix: add it (expected ${issue.expected}; lib/config/schema.ts says what it is for).` }];
  }
  // Zod's own wording starts with "Invalid"; ours (set in the schema) already says what to do.
  if (issue.code === 'invalid_type' && issue.message.startsWith('Invalid')) {
    return [{ path, message: `${JSON.stringify(issue.input)} is not of type ${issue.expected}. Fix: give a value of type ${issue.expected} (lib/config/schema.ts says what it is for).` }];
  }
  return [{ path, message: issue.message }];
}

function prefixed(environment: string, problems: ConfigProblem[]): ConfigProblem[] {
  return problems.map((p) => ({ path: p.path ? `${environment}.${p.path}` : environment, message: p.message }));
}

function validateEnvironment(name: EnvironmentName, raw: unknown): { config?: EnvironmentConfig; problems: ConfigProblem[] } {
  if (raw === undefined) {
    return { problems: [{ path: name, message: `is missing. Fix: add the ${name} environment's values in lib/config/environments/${name}.ts.` }] };
  }
  const parsed = EnvironmentConfigSchema.safeParse(raw, { reportInput: true });
  if (!parsed.success) return { problems: prefixed(name, parsed.error.issues.flatMap(describeIssue)) };
  const problems: ConfigProblem[] = [];
  if (parsed.data.envName !== name) {
    problems.push({ path: `${name}.envName`, message: `is "${parsed.data.envName}" but the values are filed under "${name}". Fix: set envName to "${name}".` });
  }
  problems.push(...prefixed(name, checkEnvironmentRules(parsed.data)));
  return { config: parsed.data, problems };
}

/** Staging and production must never share a domain or an account: a deploy to one must not touch the other. */
function checkAcrossEnvironments(staging: EnvironmentConfig, production: EnvironmentConfig): ConfigProblem[] {
  const problems: ConfigProblem[] = [];
  if (staging.domain.name === production.domain.name) {
    problems.push({
      path: 'production.domain.name',
      message: `"${production.domain.name}" is also staging's domain, so one environment's deploy would replace the other's site and DNS. Fix: give staging its own name, e.g. "staging.${production.domain.hostedZone.name}".`,
    });
  }
  if (staging.account === production.account) {
    problems.push({
      path: 'production.account',
      message: `${production.account} is also staging's account; each environment is its own account so a staging mistake cannot reach patient data. Fix: use a separate AWS account for production.`,
    });
  }
  if (staging.delivery.githubEnvironment === production.delivery.githubEnvironment) {
    problems.push({
      path: 'production.delivery.githubEnvironment',
      message: `"${production.delivery.githubEnvironment}" is also staging's GitHub environment, so any job allowed to deploy staging could deploy production without its reviewers. Fix: give each environment its own GitHub environment ("staging", "production").`,
    });
  }
  return problems;
}

/** Validates every environment, then relates them; throws `ConfigError` listing every problem found. */
export function validateAppConfig(raw: Partial<Record<EnvironmentName, unknown>>): AppConfig {
  const problems: ConfigProblem[] = [];
  for (const key of Object.keys(raw)) {
    if (!(ENVIRONMENT_NAMES as readonly string[]).includes(key)) {
      problems.push({ path: key, message: `is not an environment this app knows. Fix: use ${ENVIRONMENT_NAMES.join(' or ')}.` });
    }
  }
  const staging = validateEnvironment('staging', raw.staging);
  const production = validateEnvironment('production', raw.production);
  problems.push(...staging.problems, ...production.problems);
  if (staging.config && production.config) problems.push(...checkAcrossEnvironments(staging.config, production.config));
  if (problems.length > 0 || !staging.config || !production.config) throw new ConfigError(problems);
  return { staging: staging.config, production: production.config };
}
