/**
 * Rules relating fields of one environment's config. Each returns problems rather than throwing, and names the
 * top-level sections it reads (`rule(['domain'], …)`): it runs whenever those parsed, even if another section has
 * type errors, so one round shows every problem. A new nested config object adds its rules here the same way.
 */
import { DIRECT_HOST } from './backups';
import { EnvironmentConfig, REQUIRED_REGION } from './schema';
import { findSecretLookingValues } from './secret-guard';

export interface ConfigProblem {
  /** Dotted path of the field, starting with the environment's name. */
  readonly path: string;
  /** What is wrong and how to fix it. */
  readonly message: string;
}

type Section = keyof EnvironmentConfig;

export interface SectionRule<S extends Section = Section> {
  /** The top-level sections the rule reads; it runs only when all of them parsed. */
  readonly sections: readonly S[];
  readonly check: (config: Pick<EnvironmentConfig, S>) => ConfigProblem[];
}

/** A rule over the sections it names (its argument is typed to exactly those). */
export function rule<S extends Section>(
  sections: readonly S[],
  check: (config: Pick<EnvironmentConfig, S>) => ConfigProblem[],
): SectionRule {
  return { sections, check } as unknown as SectionRule;
}

/** Runs every rule whose sections are all present in `parsed` (the sections that passed the schema). */
export function runSectionRules(rules: readonly SectionRule[], parsed: Partial<EnvironmentConfig>): ConfigProblem[] {
  return rules
    .filter((r) => r.sections.every((section) => parsed[section] !== undefined))
    .flatMap((r) => r.check(parsed as EnvironmentConfig));
}

const domainInsideZone = rule(['domain'], (config) => {
  const { name, hostedZone } = config.domain;
  if (name === hostedZone.name || name.endsWith(`.${hostedZone.name}`)) return [];
  return [
    {
      path: 'domain.name',
      message: `"${name}" is not inside the hosted zone "${hostedZone.name}", so its DNS records and certificate validation cannot be created there. Fix: use a name ending in ".${hostedZone.name}", or point domain.hostedZone at the zone that holds "${name}".`,
    },
  ];
});

const importedCertificateInUsEast1 = rule(['certificate', 'account'], (config) => {
  if (config.certificate.mode !== 'import') return [];
  const [, , , region, account] = config.certificate.arn.split(':');
  const problems: ConfigProblem[] = [];
  if (region !== REQUIRED_REGION) {
    problems.push({
      path: 'certificate.arn',
      message: `the certificate is in ${region}, but CloudFront only accepts certificates from ${REQUIRED_REGION}. Fix: request or import the certificate in ${REQUIRED_REGION} and use that ARN, or set { "mode": "create" }.`,
    });
  }
  if (account !== config.account) {
    problems.push({
      path: 'certificate.arn',
      message: `the certificate belongs to account ${account}, not to this environment's account ${config.account}. Fix: use a certificate from account ${config.account}.`,
    });
  }
  return problems;
});

const productionProtectsItsData = rule(['envName', 'protectStatefulResources'], (config) => {
  if (config.envName !== 'production' || config.protectStatefulResources) return [];
  return [
    {
      path: 'protectStatefulResources',
      message:
        'is false in production, so deleting a stack would delete the release bucket, the key and every secret. Fix: set it to true.',
    },
  ];
});

/**
 * Runs on the raw values, not the parsed ones: a secret must be reported even when a neighbouring field of
 * publicRuntimeConfig (or an unknown key in it) fails the schema.
 */
export function runtimeConfigHoldsNoSecret(rawPublicRuntimeConfig: unknown): ConfigProblem[] {
  return findSecretLookingValues(rawPublicRuntimeConfig, 'publicRuntimeConfig').map((finding) => ({
    path: finding.path,
    message: `is published to every browser in config.json, but ${finding.reason}. Fix: keep it in Secrets Manager (README "Credentials") and remove it from publicRuntimeConfig.`,
  }));
}

const importedOidcProviderInThisAccount = rule(['delivery', 'account'], (config) => {
  const provider = config.delivery.oidcProvider;
  if (provider.mode !== 'import' || provider.arn.split(':')[4] === config.account) return [];
  return [
    {
      path: 'delivery.oidcProvider.arn',
      message: `the OIDC provider belongs to account ${provider.arn.split(':')[4]}, not to this environment's account ${config.account}; roles can only trust a provider of their own account. Fix: use the provider of account ${config.account}, or set { "mode": "create" }.`,
    },
  ];
});

const healthChecksFitTheirDeadline = rule(['health'], (config) => {
  const { deadlineMs, checks } = config.health;
  const problems: ConfigProblem[] = [];
  const seen = new Set<string>();
  checks.forEach((check, index) => {
    if (check.timeoutMs > deadlineMs) {
      problems.push({
        path: `health.checks.${index}.timeoutMs`,
        message: `${check.timeoutMs} ms is longer than health.deadlineMs (${deadlineMs} ms), so the deadline would always cut "${check.name}" off first. Fix: set it to at most ${deadlineMs}.`,
      });
    }
    if (seen.has(check.name)) {
      problems.push({
        path: `health.checks.${index}.name`,
        message: `"${check.name}" is used by two checks, so one would hide the other in the answer. Fix: give each check its own name.`,
      });
    }
    seen.add(check.name);
  });
  return problems;
});

const pagingNeedsAPager = rule(['alarms'], (config) => {
  if (!config.alarms.pageOnCall || config.alarms.pager) return [];
  return [
    {
      path: 'alarms.pager',
      message:
        'is missing while pageOnCall is true, so critical alarms would page nobody. Fix: set { "secret": "pager-integration-key" } and store the pager\'s Events API integration key in that secret, or set pageOnCall to false.',
    },
  ];
});

/** A backup nobody can delete is the point of the vault; staging keeps GOVERNANCE so test backups can be cleared. */
const productionBackupsAreCompliance = rule(['protectStatefulResources', 'backups'], (config) => {
  if (!config.protectStatefulResources || config.backups.objectLockMode === 'COMPLIANCE') return [];
  return [
    {
      path: 'backups.objectLockMode',
      message:
        'is GOVERNANCE in an environment that protects its stateful resources, so anyone with s3:BypassGovernanceRetention could delete the patient backups. Fix: set "COMPLIANCE".',
    },
  ];
});

/**
 * The pooler finds the project by the user's suffix, the direct host names it in the host: either way a different
 * ref would back up another project (or none).
 */
const backupUserNamesThisProject = rule(['backends', 'backups'], (config) => {
  const ref = new URL(config.backends.supabase.projectUrl).hostname.split('.')[0];
  const { host, user } = config.backups.database;
  const [role, suffix] = user.split('.');
  const directRef = DIRECT_HOST.exec(host)?.[1];
  if (directRef === undefined) {
    if (suffix === ref) return [];
    return [
      {
        path: 'backups.database.user',
        message: `ends in ".${suffix}", but this environment's Supabase project is "${ref}" (backends.supabase.projectUrl), so the pooler would route the backup to another project. Fix: set "${role}.${ref}".`,
      },
    ];
  }
  if (directRef !== ref)
    return [
      {
        path: 'backups.database.host',
        message: `names project "${directRef}", but this environment's Supabase project is "${ref}" (backends.supabase.projectUrl), so the backup would dump another project. Fix: set "db.${ref}.supabase.co".`,
      },
    ];
  if (suffix === undefined) return [];
  return [
    {
      path: 'backups.database.user',
      message: `ends in ".${suffix}", a pooler user, but database.host is the direct host, which knows the role by its bare name. Fix: set "${role}".`,
    },
  ];
});

/** Every rule within one environment; a part's new config object adds its rules to this list. */
export const ENVIRONMENT_RULES: readonly SectionRule[] = [
  domainInsideZone,
  importedCertificateInUsEast1,
  productionProtectsItsData,
  healthChecksFitTheirDeadline,
  pagingNeedsAPager,
  importedOidcProviderInThisAccount,
  productionBackupsAreCompliance,
  backupUserNamesThisProject,
];

/** Problems found by relating the fields of whichever sections of one environment parsed. Paths are relative to it. */
export function checkEnvironmentRules(config: Partial<EnvironmentConfig>): ConfigProblem[] {
  return runSectionRules(ENVIRONMENT_RULES, config);
}
