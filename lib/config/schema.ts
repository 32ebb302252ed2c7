/**
 * The typed shape of one environment's configuration.
 *
 * Every field's error message says what is wrong *and* how to fix it, because the person reading it is usually
 * a newcomer pointing the app at a real account for the first time. Cross-field rules (a domain inside its hosted
 * zone, an imported certificate in us-east-1, …) live in `rules.ts`; rules across environments in `validate.ts`.
 */
import { z } from 'zod';
import { SECRET_CREDENTIALS } from '../secrets/inventory';
import { telemetryConfig } from './telemetry';
import { appBuildSchema } from './app-build';
import { cspAdditionsSchema } from './csp';
import { backupsConfigSchema } from './backups';
import { findQueryStringCredentials } from './secret-guard';

/** CloudFront's certificate, the CLOUDFRONT-scope WAF and CloudFront/Route53 metrics exist only in us-east-1. */
export const REQUIRED_REGION = 'us-east-1';

export const ENVIRONMENT_NAMES = ['staging', 'production'] as const;
export type EnvironmentName = (typeof ENVIRONMENT_NAMES)[number];

const shown = (value: unknown): string => JSON.stringify(value) ?? String(value);

const accountId = z
  .string({ error: 'is missing. Fix: set the 12-digit id of the AWS account this environment deploys to.' })
  .regex(/^\d{12}$/, {
    error: (issue) =>
      `${shown(issue.input)} is not a 12-digit AWS account id. Fix: copy the account id from the AWS console (12 digits, e.g. 111111111111).`,
  });

const region = z.string().refine((value) => value === REQUIRED_REGION, {
  error: (issue) =>
    `${shown(issue.input)} is not supported: the region must be ${REQUIRED_REGION}, because CloudFront's certificate, ` +
    `the CLOUDFRONT-scope WAF and the CloudFront and Route53 metrics (so their alarms) exist only there. Fix: set "${REQUIRED_REGION}".`,
});

const HOSTNAME = /^(?=.{1,253}$)(?!-)[a-z0-9-]{1,63}(?<!-)(\.(?!-)[a-z0-9-]{1,63}(?<!-))+$/;
const hostname = z.string().regex(HOSTNAME, {
  error: (issue) =>
    `${shown(issue.input)} is not a lower-case DNS name. Fix: write it like "app.example.com" (no scheme, no trailing dot).`,
});

/** `publicUserInfo`: the URL's user part is public by design (a Sentry DSN's public key), so it is allowed. */
const httpsUrl = (what: string, { publicUserInfo = false } = {}) =>
  z.string().superRefine((value, ctx) => {
    let url: URL;
    try {
      url = new URL(value);
    } catch {
      ctx.addIssue({
        code: 'custom',
        message: `${shown(value)} is not a valid URL. Fix: give the full ${what}, e.g. "https://host.example.com/path".`,
      });
      return;
    }
    if (url.protocol !== 'https:') {
      ctx.addIssue({
        code: 'custom',
        message: `${shown(value)} uses ${url.protocol.replace(':', '')}; backends must be reached over https so patient data is never sent in clear text. Fix: use the https:// address of the ${what}.`,
      });
    }
    if (!publicUserInfo && (url.username || url.password)) {
      ctx.addIssue({
        code: 'custom',
        message: `the ${what} carries credentials in the URL. Fix: remove them; credentials belong in Secrets Manager (see README "Credentials").`,
      });
    }
    for (const { parameter, reason } of findQueryStringCredentials(value)) {
      ctx.addIssue({
        code: 'custom',
        message: `the ${what} carries a credential in its query string: parameter "${parameter}" (${reason}); URLs end up in config.json, logs and browser history. Fix: remove the parameter; the credential belongs in Secrets Manager (see README "Credentials") and is sent in a header.`,
      });
    }
  });

const emailAddress = z.email({
  error: (issue) => `${shown(issue.input)} is not an email address. Fix: use an address like "oncall@example.com".`,
});

const positiveInt = (what: string, min: number, max: number) =>
  z
    .number({ error: `must be a whole number (${what}). Fix: set a number from ${min} to ${max}.` })
    .int({
      error: `must be a whole number (${what}). Fix: set a number from ${min} to ${max}.`,
    })
    .min(min, {
      error: (issue) => `${shown(issue.input)} is too small (${what}). Fix: set a number from ${min} to ${max}.`,
    })
    .max(max, {
      error: (issue) => `${shown(issue.input)} is too large (${what}). Fix: set a number from ${min} to ${max}.`,
    });

/** GitHub's rules for owner and repository names; the pair is what OIDC tokens carry in `repo:<owner>/<name>:…`. */
const GITHUB_REPOSITORY = /^[A-Za-z0-9](?:[A-Za-z0-9-]{0,38})\/[A-Za-z0-9._-]{1,100}$/;
/** Characters safe inside the token's subject (`…:environment:<name>`), where a ":" or "*" would change its meaning. */
const GITHUB_ENVIRONMENT = /^[A-Za-z0-9._-]{1,255}$/;

/** Google APIs the SPA calls from the browser; each one opens exactly its origin in the CSP's connect-src. */
export const GOOGLE_APIS = ['calendar', 'maps', 'places', 'oauth'] as const;

/** The credential ids of lib/secrets/inventory.ts: a health check refers to a secret by id, never by value. */
const CREDENTIAL_IDS = SECRET_CREDENTIALS.map((c) => c.id) as [
  (typeof SECRET_CREDENTIALS)[number]['id'],
  ...(typeof SECRET_CREDENTIALS)[number]['id'][],
];

/** Where a check's credential goes: header `name`, value `format` with `{secret}` replaced by the secret. */
const healthCheckAuth = z.strictObject({
  /** Credential id from lib/secrets/inventory.ts; read from Secrets Manager at `miko/<env>/<id>`. */
  secret: z.enum(CREDENTIAL_IDS, {
    error: (issue) =>
      `${shown(issue.input)} is not a credential id. Fix: use one of ${CREDENTIAL_IDS.join(', ')} (lib/secrets/inventory.ts).`,
  }),
  /** The HTTP header that carries it, e.g. "apikey" or "X-N8N-API-KEY". */
  header: z.string().regex(/^[A-Za-z0-9-]{1,64}$/, {
    error: (issue) =>
      `${shown(issue.input)} is not an HTTP header name. Fix: use letters, digits and dashes, e.g. "apikey".`,
  }),
  /** The header's value with `{secret}` where the secret goes, e.g. "Bearer {secret}". */
  format: z.string().refine((value) => value.includes('{secret}'), {
    error:
      'does not contain "{secret}", so the credential would never be sent. Fix: write it like "Bearer {secret}" or "{secret}".',
  }),
  /** When the secret is a JSON object, the field that holds the credential. */
  jsonField: z.string().min(1).optional(),
});

/** One dependency check of `/health/db` or `/health/apis`. */
const healthCheck = z.strictObject({
  /** Shown in the JSON answer and on the dashboard; lower-case words joined by dashes. */
  name: z.string().regex(/^[a-z][a-z0-9-]{0,39}$/, {
    error: (issue) =>
      `${shown(issue.input)} is not a check name. Fix: use lower-case letters, digits and dashes, e.g. "supabase-rest".`,
  }),
  /** `db` checks answer `/health/db`, `apis` checks `/health/apis`. */
  group: z.enum(['db', 'apis'], {
    error: 'must be "db" or "apis". Fix: "db" for Supabase, "apis" for n8n and Google.',
  }),
  url: httpsUrl('health check URL'),
  method: z.enum(['GET', 'HEAD'], {
    error:
      'must be "GET" or "HEAD". Fix: health checks only read; use "GET" (or "HEAD" when the endpoint supports it).',
  }),
  /** The status code that means "up" (anything else, or no answer in time, is a failure). */
  expectedStatus: positiveInt('expected HTTP status', 100, 599),
  /** This check's own budget; it is also bounded by `health.deadlineMs`. */
  timeoutMs: positiveInt('check timeout in ms', 100, 9000),
  /** A failing critical check makes the answer 503 (unhealthy); a failing non-critical one only "degraded". */
  critical: z.boolean(),
  /** Optional credential sent as a header; never logged or echoed. */
  auth: healthCheckAuth.optional(),
  /**
   * Send `Referer: https://<domain.name>/` as the site's pages do (a referrer-restricted Google key answers 403).
   * @default false
   */
  sendSiteReferer: z.boolean().optional(),
});

export type HealthCheckConfig = z.infer<typeof healthCheck>;

export const EnvironmentConfigSchema = z.strictObject({
  /** Which environment this is; must match the key it is filed under. */
  envName: z.enum(ENVIRONMENT_NAMES, { error: 'must be "staging" or "production".' }),
  /** The AWS account id (12 digits). One account per environment. */
  account: accountId,
  /** Always us-east-1: see REQUIRED_REGION. */
  region,
  /** Billing tag on every resource. */
  costCentre: z
    .string()
    .min(1, { error: 'is empty. Fix: set the cost centre the practice bills this environment to, e.g. "miko-it".' }),

  domain: z.strictObject({
    /** The site's host name, e.g. app.example.com. */
    name: hostname,
    /** The Route53 hosted zone that holds `name`: id and name, so no lookup is ever needed at synth. */
    hostedZone: z.strictObject({
      id: z.string().regex(/^Z[A-Z0-9]{4,32}$/, {
        error: (issue) =>
          `${shown(issue.input)} is not a Route53 hosted zone id. Fix: copy it from Route53 (it starts with "Z", e.g. "Z0123456789ABCDEFGHIJ").`,
      }),
      name: hostname,
    }),
  }),

  /** Create a DNS-validated certificate in the hosted zone, or import an existing one (it must be in us-east-1). */
  certificate: z.discriminatedUnion(
    'mode',
    [
      z.strictObject({ mode: z.literal('create') }),
      z.strictObject({
        mode: z.literal('import'),
        arn: z.string().regex(/^arn:aws:acm:[a-z0-9-]+:\d{12}:certificate\/[0-9a-f-]{36}$/, {
          error: (issue) =>
            `${shown(issue.input)} is not an ACM certificate ARN. Fix: copy the ARN of the certificate from ACM in ${REQUIRED_REGION}, or set { "mode": "create" }.`,
        }),
      }),
    ],
    {
      error:
        'is neither "create" nor "import". Fix: set { "mode": "create" }, or { "mode": "import", "arn": "arn:aws:acm:us-east-1:…" }.',
    },
  ),

  /** The services the SPA talks to from the browser. Their origins make up the CSP's connect-src. */
  backends: z.strictObject({
    supabase: z.strictObject({ projectUrl: httpsUrl('Supabase project URL (https://<ref>.supabase.co)') }),
    n8n: z.strictObject({ webhookUrl: httpsUrl('n8n webhook URL') }),
    google: z.strictObject({
      apis: z.array(
        z.enum(GOOGLE_APIS, {
          error: (issue) =>
            `${shown(issue.input)} is not a known Google API. Fix: use any of ${GOOGLE_APIS.join(', ')}.`,
        }),
      ),
      /** Google sign-in in a popup needs Cross-Origin-Opener-Policy: same-origin-allow-popups. */
      signInWithPopup: z.boolean(),
    }),
    sentry: z.strictObject({
      dsn: httpsUrl('Sentry DSN (https://<public key>@<org>.ingest.sentry.io/<project>)', { publicUserInfo: true }),
    }),
  }),

  /**
   * Public-by-design values for the SPA's runtime `config.json`. Never a secret: `secret-guard.ts` refuses
   * anything that looks like one.
   */
  publicRuntimeConfig: z.strictObject({
    appName: z.string().min(1),
    supabaseAnonKey: z
      .string()
      .min(1, { error: 'is empty. Fix: set the Supabase publishable (anon) key, which is public by design.' }),
    googleClientId: z.string().regex(/\.apps\.googleusercontent\.com$/, {
      error:
        'is not a Google OAuth client id. Fix: copy the client id ending in ".apps.googleusercontent.com" (it is public by design).',
    }),
    contactEmail: emailAddress,
    contactPhone: z.string().min(1),
  }),

  /** The seeds' VITE_ENABLE_* flags, published in config.json. */
  features: z.strictObject({
    researchAgent: z.boolean(),
    smsReminders: z.boolean(),
    analytics: z.boolean(),
  }),

  site: z.strictObject({
    /** `report-only` lets a new CSP be watched in the browser console before it is enforced. */
    contentSecurityPolicy: z.enum(['enforce', 'report-only'], { error: 'must be "enforce" or "report-only".' }),
    /** False adds `X-Robots-Tag: noindex` (staging must never show up in search results). */
    indexable: z.boolean(),
    /** Releases kept besides the live one, so open tabs keep their chunks and rollback has somewhere to go. */
    releasesToKeep: positiveInt('releases kept for rollback', 1, 50),
    /**
     * null: a deploy makes its release live at once. Otherwise it is a canary at the first step's percent, widened
     * after each bake (npm run release) up to 100, the promotion; a trusted signal aborts it (lambda/canary-abort).
     */
    canary: z
      .strictObject({
        steps: z
          .array(positiveInt('percent of browsers', 1, 100))
          .min(2)
          .refine((steps) => steps.every((s, i) => i === 0 || s > steps[i - 1]) && steps[steps.length - 1] === 100, {
            error: 'must rise and end at 100 (the promotion). Fix: e.g. [5, 25, 100].',
          }),
        bakeMinutes: positiveInt('minutes each step is watched', 1, 120),
      })
      .nullable(),
  }),

  /**
   * The app's needs on top of the base CSP, per directive (lib/config/csp.ts says what each accepts, and why).
   * @example { 'font-src': ['https://fonts.gstatic.com'], 'img-src': ['data:'], 'worker-src': ['blob:'] }
   */
  csp: cspAdditionsSchema,

  /** What the app contract needs to know about the build (lib/config/app-build.ts). */
  appBuild: appBuildSchema,

  waf: z.strictObject({
    /** Requests one IP may make in 5 minutes before it is blocked. */
    rateLimitPer5Minutes: positiveInt('WAF per-IP limit per 5 minutes', 100, 2_000_000_000),
    /** The same for `/health*`, which is cheap to abuse and costs a Lambda call each time. */
    healthRateLimitPer5Minutes: positiveInt('WAF per-IP limit on /health* per 5 minutes', 10, 2_000_000_000),
  }),

  health: z.strictObject({
    /**
     * The overall budget of one `/health/db` or `/health/apis` answer in ms: every check runs in parallel and is
     * cut off at this deadline, so the answer always comes back before CloudFront's origin timeout and the Lambda's.
     */
    deadlineMs: positiveInt('overall deadline in ms', 200, 9000),
    /** The dependency checks; see `healthCheck`. */
    checks: z.array(healthCheck),
  }),

  /** The client-telemetry collector (CSP reports, browser errors, web vitals); see lib/config/telemetry.ts. */
  telemetry: telemetryConfig,

  alarms: z.strictObject({
    /** Whether critical alarms page the on-call pager. Staging pages nobody unless this is true. */
    pageOnCall: z.boolean(),
    /**
     * The pager's Events API integration (routing) key, a credential id from lib/secrets/inventory.ts: read at run
     * time by the pager subscriber Lambda, never in a template or a subscription URL. Required when `pageOnCall`.
     */
    pager: z
      .strictObject({
        secret: z.enum(CREDENTIAL_IDS, {
          error: (issue) =>
            `${shown(issue.input)} is not a credential id. Fix: use "pager-integration-key" (lib/secrets/inventory.ts).`,
        }),
        /** When the secret is a JSON object, the field holding the key (e.g. "routingKey"); omit when it is the bare key. */
        jsonField: z.string().min(1).optional(),
        /** The Events API v2 endpoint. @default PagerDuty's (lib/monitoring/pager-subscriber.ts) */
        eventsUrl: httpsUrl('pager events URL').optional(),
      })
      .optional(),
    /** Critical alarms (and their recovery) are emailed here too. */
    criticalEmails: z.array(emailAddress),
    /** Warnings go to email only (and Slack when configured): they wait for working hours. */
    warningEmails: z.array(emailAddress),
    /** Optional Slack channel for warnings and criticals through AWS Chatbot; the workspace must be authorized once in the console. */
    slack: z
      .strictObject({
        workspaceId: z.string().regex(/^[A-Z0-9]{9,11}$/, {
          error: (issue) =>
            `${shown(issue.input)} is not a Slack workspace id. Fix: copy it from AWS Chatbot (e.g. "T0123ABCD45").`,
        }),
        channelId: z.string().regex(/^[A-Z0-9]{9,11}$/, {
          error: (issue) =>
            `${shown(issue.input)} is not a Slack channel id. Fix: copy it from the channel's details (e.g. "C0123ABCD45").`,
        }),
      })
      .optional(),
  }),

  rotation: z.strictObject({
    /** Days between automatic rotations of every rotated secret. */
    scheduleDays: positiveInt('days between rotations', 1, 365),
    /** Extra days before a secret that has not rotated raises a warning. */
    graceDays: positiveInt('days of grace before a missed rotation warns', 1, 30),
    /** The Google Cloud project that owns the Google API key (its rotation function manages keys there). */
    googleCloudProject: z.string().regex(/^[a-z][a-z0-9-]{4,28}[a-z0-9]$/, {
      error: (issue) =>
        `${shown(issue.input)} is not a Google Cloud project id. Fix: copy the project id (6-30 lower-case letters, digits and hyphens, e.g. "miko-production") from the Google Cloud console.`,
    }),
  }),

  /** Who may deploy this environment from CI: GitHub's OIDC tokens instead of long-lived keys (lib/delivery). */
  delivery: z.strictObject({
    /** The GitHub repository ("owner/name") whose workflows may assume this environment's CI roles; no other repository can. */
    githubRepository: z.string().regex(GITHUB_REPOSITORY, {
      error: (issue) =>
        `${shown(issue.input)} is not a GitHub repository. Fix: write it as "owner/name", e.g. "miko-health/miko-platform-infra".`,
    }),
    /**
     * The GitHub environment whose jobs may assume the deploy role (tokens carry `environment:<name>` as subject).
     * Give production required reviewers in GitHub, so nothing reaches it without a person's approval.
     */
    githubEnvironment: z.string().regex(GITHUB_ENVIRONMENT, {
      error: (issue) =>
        `${shown(issue.input)} is not a usable GitHub environment name. Fix: use letters, digits, "-", "_" or "." (e.g. "production").`,
    }),
    /** GitHub's OIDC provider: an account holds one per issuer URL, so import it when the account already has it. */
    oidcProvider: z.discriminatedUnion(
      'mode',
      [
        z.strictObject({ mode: z.literal('create') }),
        z.strictObject({
          mode: z.literal('import'),
          arn: z.string().regex(/^arn:aws:iam::\d{12}:oidc-provider\/token\.actions\.githubusercontent\.com$/, {
            error: (issue) =>
              `${shown(issue.input)} is not the ARN of GitHub's OIDC provider. Fix: copy it from IAM > Identity providers (arn:aws:iam::<account>:oidc-provider/token.actions.githubusercontent.com), or set { "mode": "create" }.`,
          }),
        }),
      ],
      {
        error:
          'is neither "create" nor "import". Fix: set { "mode": "create" }, or { "mode": "import", "arn": "arn:aws:iam::…:oidc-provider/token.actions.githubusercontent.com" }.',
      },
    ),
  }),

  /** The nightly pg_dump of the Supabase database into the vault, and its restore drill (lib/backups). */
  backups: backupsConfigSchema,
  /** The audit trail of what patients get (lib/data/audit-trail.ts): each record is locked this long. */
  audit: z.strictObject({
    retentionDays: positiveInt('days each audit record is locked in compliance mode', 1, 3650),
    /**
     * Add a CloudTrail trail of its own (lib/data/account-trail.ts). Leave it off where an organization trail already
     * records the account: a second copy of management events is billed.
     */
    cloudTrail: z.boolean({
      error: (issue) =>
        `${JSON.stringify(issue.input)} is not true or false. Fix: true adds the environment's own CloudTrail trail (docs/readme/releasing.md "CloudTrail"); false relies on the account's existing (organization) trail.`,
    }),
  }),

  /** Production keeps its data (buckets, key, secrets) when a stack is deleted, and its stateful stack is protected. */
  protectStatefulResources: z.boolean(),
});

export type EnvironmentConfig = z.infer<typeof EnvironmentConfigSchema>;

/** The whole app's configuration: one entry per environment. */
export type AppConfig = Record<EnvironmentName, EnvironmentConfig>;
