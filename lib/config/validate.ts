/**
 * Validates the whole app's config once, at start, reporting every problem at once. Each top-level section is
 * parsed on its own, so a type error in one never hides another's rules: cross-field (rules.ts) and
 * cross-environment rules run on every section that parsed, secret rules on the raw values. A bad config throws
 * `ConfigError` before any construct exists.
 */
import { z } from 'zod';
import { AppConfig, ENVIRONMENT_NAMES, EnvironmentConfig, EnvironmentConfigSchema, EnvironmentName } from './schema';
import { ConfigProblem, checkEnvironmentRules, runtimeConfigHoldsNoSecret } from './rules';
import { describeSecretEntry } from './secret-guard';

export class ConfigError extends Error {
  constructor(readonly problems: readonly ConfigProblem[]) {
    super(
      `The configuration has ${problems.length} problem${problems.length === 1 ? '' : 's'}; nothing was synthesized:\n` +
        problems.map((p) => `  - ${p.path}: ${p.message}`).join('\n'),
    );
    this.name = 'ConfigError';
  }
}

type Section = keyof EnvironmentConfig;
const SECTIONS = Object.keys(EnvironmentConfigSchema.shape) as Section[];
/** Where the public runtime config's own secret rule reports, so an unknown key there is not reported twice. */
const PUBLIC_SECTION: Section = 'publicRuntimeConfig';

const isRecord = (value: unknown): value is Record<string, unknown> =>
  typeof value === 'object' && value !== null && !Array.isArray(value);

function valueAt(root: unknown, path: readonly PropertyKey[]): unknown {
  return path.reduce<unknown>(
    (node, key) => (isRecord(node) || Array.isArray(node) ? (node as Record<PropertyKey, unknown>)[key] : undefined),
    root,
  );
}

/** An unknown key is a typo, unless it looks like a secret: then it is a leak waiting to happen, and says so. */
function unknownKeyProblem(path: string, key: string, value: unknown): ConfigProblem | undefined {
  const secretReason = describeSecretEntry(key, value);
  if (secretReason && path.split('.')[0] === PUBLIC_SECTION) return undefined; // runtimeConfigHoldsNoSecret reports it
  if (secretReason) {
    return {
      path,
      message: `looks like a secret (${secretReason}) and is not a known field; the config is committed and parts of it are published, so a secret never belongs here. Fix: remove it and keep the credential in Secrets Manager (README "Credentials"; lib/secrets/inventory.ts lists them).`,
    };
  }
  return {
    path,
    message: 'is not a known field. Fix: remove it or correct its spelling (lib/config/schema.ts lists every field).',
  };
}

/** Turns zod's issue into "what is wrong. Fix: …", keeping our own messages and improving zod's generic ones. */
function describeIssue(issue: z.core.$ZodIssue, section: Section, rawSection: unknown): ConfigProblem[] {
  const path = [section, ...issue.path.map(String)].join('.');
  if (issue.code === 'unrecognized_keys') {
    const parent = valueAt(rawSection, issue.path);
    return issue.keys.flatMap(
      (key) => unknownKeyProblem(`${path}.${key}`, key, isRecord(parent) ? parent[key] : undefined) ?? [],
    );
  }
  if (issue.code === 'invalid_type' && issue.input === undefined) {
    return [
      {
        path,
        message: `is missing. Fix: add it (expected ${issue.expected}; lib/config/schema.ts says what it is for).`,
      },
    ];
  }
  // Zod's own wording starts with "Invalid"; ours (set in the schema) already says what to do.
  if (issue.code === 'invalid_type' && issue.message.startsWith('Invalid')) {
    return [
      {
        path,
        message: `${JSON.stringify(issue.input)} is not of type ${issue.expected}. Fix: give a value of type ${issue.expected} (lib/config/schema.ts says what it is for).`,
      },
    ];
  }
  return [{ path, message: issue.message }];
}

function prefixed(environment: string, problems: ConfigProblem[]): ConfigProblem[] {
  return problems.map((p) => ({ path: p.path ? `${environment}.${p.path}` : environment, message: p.message }));
}

/** Every section that passed the schema, and the problems of those that did not. */
function parseSections(raw: Record<string, unknown>): {
  parsed: Partial<EnvironmentConfig>;
  problems: ConfigProblem[];
} {
  const parsed: Record<string, unknown> = {};
  const problems: ConfigProblem[] = [];
  for (const section of SECTIONS) {
    const result = EnvironmentConfigSchema.shape[section].safeParse(raw[section], { reportInput: true });
    if (result.success) parsed[section] = result.data;
    else problems.push(...result.error.issues.flatMap((issue) => describeIssue(issue, section, raw[section])));
  }
  for (const key of Object.keys(raw).filter((k) => !(SECTIONS as string[]).includes(k))) {
    const problem = unknownKeyProblem(key, key, raw[key]);
    if (problem) problems.push(problem);
  }
  return { parsed: parsed as Partial<EnvironmentConfig>, problems };
}

interface EnvironmentResult {
  /** The sections that parsed (all of them when the environment is valid). */
  readonly parsed: Partial<EnvironmentConfig>;
  readonly problems: ConfigProblem[];
}

function validateEnvironment(name: EnvironmentName, raw: unknown): EnvironmentResult {
  if (raw === undefined) {
    return {
      parsed: {},
      problems: [
        {
          path: name,
          message: `is missing. Fix: add the ${name} environment's values in lib/config/environments/${name}.ts.`,
        },
      ],
    };
  }
  if (!isRecord(raw)) {
    return {
      parsed: {},
      problems: [
        {
          path: name,
          message: `is not an object of settings. Fix: export an object like lib/config/environments/${name}.ts does.`,
        },
      ],
    };
  }
  const { parsed, problems } = parseSections(raw);
  if (parsed.envName !== undefined && parsed.envName !== name) {
    problems.push({
      path: 'envName',
      message: `is "${parsed.envName}" but the values are filed under "${name}". Fix: set envName to "${name}".`,
    });
  }
  problems.push(...checkEnvironmentRules(parsed), ...runtimeConfigHoldsNoSecret(raw[PUBLIC_SECTION]));
  return { parsed, problems: prefixed(name, problems) };
}

/** A name for staging inside its zone that is neither `taken` nor production's. */
function freeStagingName(zone: string, taken: readonly string[]): string {
  const candidates = [`staging.${zone}`, `staging-app.${zone}`, `app-staging.${zone}`];
  return candidates.find((candidate) => !taken.includes(candidate)) ?? `staging-2.${zone}`;
}

interface CrossRule {
  readonly sections: readonly Section[];
  readonly check: (staging: EnvironmentConfig, production: EnvironmentConfig) => ConfigProblem[];
}

/** Staging and production must never share a domain, an account or a GitHub environment: a deploy to one must not touch the other. */
const CROSS_ENVIRONMENT_RULES: readonly CrossRule[] = [
  {
    sections: ['domain'],
    check: (staging, production) =>
      staging.domain.name !== production.domain.name
        ? []
        : [
            {
              path: 'staging.domain.name',
              message: `"${staging.domain.name}" is also production's domain, so one environment's deploy would replace the other's site and DNS. Fix: give staging its own name, e.g. "${freeStagingName(staging.domain.hostedZone.name, [production.domain.name])}".`,
            },
          ],
  },
  {
    sections: ['account'],
    check: (staging, production) =>
      staging.account !== production.account
        ? []
        : [
            {
              path: 'production.account',
              message: `${production.account} is also staging's account; each environment is its own account so a staging mistake cannot reach patient data. Fix: use a separate AWS account for production.`,
            },
          ],
  },
  {
    sections: ['delivery'],
    check: (staging, production) =>
      staging.delivery.githubEnvironment !== production.delivery.githubEnvironment
        ? []
        : [
            {
              path: 'production.delivery.githubEnvironment',
              message: `"${production.delivery.githubEnvironment}" is also staging's GitHub environment, so any job allowed to deploy staging could deploy production without its reviewers. Fix: give each environment its own GitHub environment ("staging", "production").`,
            },
          ],
  },
];

function checkAcrossEnvironments(
  staging: Partial<EnvironmentConfig>,
  production: Partial<EnvironmentConfig>,
): ConfigProblem[] {
  return CROSS_ENVIRONMENT_RULES.filter((r) =>
    r.sections.every((section) => staging[section] !== undefined && production[section] !== undefined),
  ).flatMap((r) => r.check(staging as EnvironmentConfig, production as EnvironmentConfig));
}

/** Validates every environment, then relates them; throws `ConfigError` listing every problem found. */
export function validateAppConfig(raw: Partial<Record<EnvironmentName, unknown>>): AppConfig {
  const problems: ConfigProblem[] = [];
  for (const key of Object.keys(raw)) {
    if (!(ENVIRONMENT_NAMES as readonly string[]).includes(key)) {
      problems.push({
        path: key,
        message: `is not an environment this app knows. Fix: use ${ENVIRONMENT_NAMES.join(' or ')}.`,
      });
    }
  }
  const staging = validateEnvironment('staging', raw.staging);
  const production = validateEnvironment('production', raw.production);
  problems.push(
    ...staging.problems,
    ...production.problems,
    ...checkAcrossEnvironments(staging.parsed, production.parsed),
  );
  if (problems.length > 0) throw new ConfigError(problems);
  return { staging: staging.parsed as EnvironmentConfig, production: production.parsed as EnvironmentConfig };
}
