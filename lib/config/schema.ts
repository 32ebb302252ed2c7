/**
 * The typed shape of one environment's configuration.
 *
 * Every field's error message says what is wrong *and* how to fix it, because the person reading it is usually
 * a newcomer pointing the app at a real account for the first time. Cross-field rules (a domain inside its hosted
 * zone, an imported certificate in us-east-1, …) live in `rules.ts`; rules across environments in `validate.ts`.
 */
import { z } from 'zod';

/** CloudFront's certificate, the CLOUDFRONT-scope WAF and CloudFront/Route53 metrics exist only in us-east-1. */
export const REQUIRED_REGION = 'us-east-1';

export const ENVIRONMENT_NAMES = ['staging', 'production'] as const;
export type EnvironmentName = (typeof ENVIRONMENT_NAMES)[number];

const shown = (value: unknown): string => JSON.stringify(value) ?? String(value);

const accountId = z.string({ error: 'is missing. Fix: set the 12-digit id of the AWS account this environment deploys to.' })
  .regex(/^\d{12}$/, {
    error: (issue) => `${shown(issue.input)} is not a 12-digit AWS account id. Fix: copy the account id from the AWS console (12 digits, e.g. 111111111111).`,
  });

const region = z.string().refine((value) => value === REQUIRED_REGION, {
  error: (issue) =>
    `${shown(issue.input)} is not supported: the region must be ${REQUIRED_REGION}, because CloudFront's certificate, ` +
    `the CLOUDFRONT-scope WAF and the CloudFront and Route53 metrics (so their alarms) exist only there. Fix: set "${REQUIRED_REGION}".`,
});

const HOSTNAME = /^(?=.{1,253}$)(?!-)[a-z0-9-]{1,63}(?<!-)(\.(?!-)[a-z0-9-]{1,63}(?<!-))+$/;
const hostname = z.string().regex(HOSTNAME, {
  error: (issue) => `${shown(issue.input)} is not a lower-case DNS name. Fix: write it like "app.example.com" (no scheme, no trailing dot).`,
});

/** `publicUserInfo`: the URL's user part is public by design (a Sentry DSN's public key), so it is allowed. */
const httpsUrl = (what: string, { publicUserInfo = false } = {}) =>
  z.string().superRefine((value, ctx) => {
    let url: URL;
    try {
      url = new URL(value);
    } catch {
      ctx.addIssue({ code: 'custom', message: `${shown(value)} is not a valid URL. Fix: give the full ${what}, e.g. "https://host.example.com/path".` });
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
  });

/** An origin for the CSP: scheme and host only, because a path in a CSP source does not narrow what a script may reach. */
const httpsOrigin = (what: string) =>
  z.string().refine((value) => {
    try {
      const url = new URL(value);
      return url.protocol === 'https:' && url.origin === value;
    } catch {
      return false;
    }
  }, { error: (issue) => `${shown(issue.input)} is not an https origin (${what}). Fix: write just the scheme and host, e.g. "https://fonts.example.com" (no path, no trailing slash).` });

const emailAddress = z.email({ error: (issue) => `${shown(issue.input)} is not an email address. Fix: use an address like "oncall@example.com".` });

const positiveInt = (what: string, min: number, max: number) =>
  z.number({ error: `must be a whole number (${what}). Fix: set a number from ${min} to ${max}.` }).int({
    error: `must be a whole number (${what}). Fix: set a number from ${min} to ${max}.`,
  }).min(min, { error: (issue) => `${shown(issue.input)} is too small (${what}). Fix: set a number from ${min} to ${max}.` })
    .max(max, { error: (issue) => `${shown(issue.input)} is too large (${what}). Fix: set a number from ${min} to ${max}.` });

/** Google APIs the SPA calls from the browser; each one opens exactly its origin in the CSP's connect-src. */
export const GOOGLE_APIS = ['calendar', 'maps', 'places', 'oauth'] as const;

export const EnvironmentConfigSchema = z.strictObject({
  /** Which environment this is; must match the key it is filed under. */
  envName: z.enum(ENVIRONMENT_NAMES, { error: 'must be "staging" or "production".' }),
  /** The AWS account id (12 digits). One account per environment. */
  account: accountId,
  /** Always us-east-1: see REQUIRED_REGION. */
  region,
  /** Billing tag on every resource. */
  costCentre: z.string().min(1, { error: 'is empty. Fix: set the cost centre the practice bills this environment to, e.g. "miko-it".' }),

  domain: z.strictObject({
    /** The site's host name, e.g. app.example.com. */
    name: hostname,
    /** The Route53 hosted zone that holds `name`: id and name, so no lookup is ever needed at synth. */
    hostedZone: z.strictObject({
      id: z.string().regex(/^Z[A-Z0-9]{4,32}$/, {
        error: (issue) => `${shown(issue.input)} is not a Route53 hosted zone id. Fix: copy it from Route53 (it starts with "Z", e.g. "Z0123456789ABCDEFGHIJ").`,
      }),
      name: hostname,
    }),
  }),

  /** Create a DNS-validated certificate in the hosted zone, or import an existing one (it must be in us-east-1). */
  certificate: z.discriminatedUnion('mode', [
    z.strictObject({ mode: z.literal('create') }),
    z.strictObject({
      mode: z.literal('import'),
      arn: z.string().regex(/^arn:aws:acm:[a-z0-9-]+:\d{12}:certificate\/[0-9a-f-]{36}$/, {
        error: (issue) => `${shown(issue.input)} is not an ACM certificate ARN. Fix: copy the ARN of the certificate from ACM in ${REQUIRED_REGION}, or set { "mode": "create" }.`,
      }),
    }),
  ], { error: 'is neither "create" nor "import". Fix: set { "mode": "create" }, or { "mode": "import", "arn": "arn:aws:acm:us-east-1:…" }.' }),

  /** The services the SPA talks to from the browser. Their origins make up the CSP's connect-src. */
  backends: z.strictObject({
    supabase: z.strictObject({ projectUrl: httpsUrl('Supabase project URL (https://<ref>.supabase.co)') }),
    n8n: z.strictObject({ webhookUrl: httpsUrl('n8n webhook URL') }),
    google: z.strictObject({
      apis: z.array(z.enum(GOOGLE_APIS, { error: (issue) => `${shown(issue.input)} is not a known Google API. Fix: use any of ${GOOGLE_APIS.join(', ')}.` })),
      /** Google sign-in in a popup needs Cross-Origin-Opener-Policy: same-origin-allow-popups. */
      signInWithPopup: z.boolean(),
    }),
    sentry: z.strictObject({ dsn: httpsUrl('Sentry DSN (https://<public key>@<org>.ingest.sentry.io/<project>)', { publicUserInfo: true }) }),
  }),

  /**
   * Public-by-design values for the SPA's runtime `config.json`. Never a secret: `secret-guard.ts` refuses
   * anything that looks like one.
   */
  publicRuntimeConfig: z.strictObject({
    appName: z.string().min(1),
    supabaseAnonKey: z.string().min(1, { error: 'is empty. Fix: set the Supabase publishable (anon) key, which is public by design.' }),
    googleClientId: z.string().regex(/\.apps\.googleusercontent\.com$/, {
      error: 'is not a Google OAuth client id. Fix: copy the client id ending in ".apps.googleusercontent.com" (it is public by design).',
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
     * Extra origins (https only) the CSP allows for images, fonts and stylesheets, besides the site itself.
     * Empty means the app loads them only from its own origin (the sample app does).
     * @example { images: ['https://maps.gstatic.com'], fonts: [], styles: [] }
     */
    contentSources: z.strictObject({
      images: z.array(httpsOrigin('image origin')),
      fonts: z.array(httpsOrigin('font origin')),
      styles: z.array(httpsOrigin('stylesheet origin')),
    }),
  }),

  waf: z.strictObject({
    /** Requests one IP may make in 5 minutes before it is blocked. */
    rateLimitPer5Minutes: positiveInt('WAF per-IP limit per 5 minutes', 100, 2_000_000_000),
    /** The same for `/health*`, which is cheap to abuse and costs a Lambda call each time. */
    healthRateLimitPer5Minutes: positiveInt('WAF per-IP limit on /health* per 5 minutes', 10, 2_000_000_000),
  }),

  alarms: z.strictObject({
    /** Whether critical alarms page the on-call pager. Staging pages nobody unless this is true. */
    pageOnCall: z.boolean(),
    criticalEmails: z.array(emailAddress),
    warningEmails: z.array(emailAddress),
  }),

  rotation: z.strictObject({
    /** Days between automatic rotations of every rotated secret. */
    scheduleDays: positiveInt('days between rotations', 1, 365),
    /** Extra days before a secret that has not rotated raises a warning. */
    graceDays: positiveInt('days of grace before a missed rotation warns', 1, 30),
  }),

  /** Production keeps its data (buckets, key, secrets) when a stack is deleted, and its stateful stack is protected. */
  protectStatefulResources: z.boolean(),
});

export type EnvironmentConfig = z.infer<typeof EnvironmentConfigSchema>;

/** The whole app's configuration: one entry per environment. */
export type AppConfig = Record<EnvironmentName, EnvironmentConfig>;
