/**
 * Production's values. Placeholders (account 222222222222, example.com domains) so anyone can synth offline;
 * README "Point it at real accounts" says what to replace. Never put a secret here: secrets live in Secrets Manager.
 */
import type { EnvironmentConfig } from '../schema';
import { STANDARD_TELEMETRY } from '../telemetry';
import { REAL_APP_CSP_NEEDS } from './app-csp-needs';
import { standardHealthChecks } from './health-checks';

export const production: EnvironmentConfig = {
  envName: 'production',
  account: '222222222222',
  region: 'us-east-1',
  costCentre: 'miko-patient-platform',
  domain: {
    name: 'app.miko.example.com',
    hostedZone: { id: 'Z0PRODUCTION0EXAMPLE', name: 'miko.example.com' },
  },
  certificate: { mode: 'create' },
  backends: {
    supabase: { projectUrl: 'https://productionprojectref.supabase.co' },
    n8n: { webhookUrl: 'https://n8n.miko.example.com/webhook/chat' },
    google: { apis: ['calendar', 'oauth'], signInWithPopup: true },
    sentry: { dsn: 'https://publickey@o000000.ingest.sentry.io/0000002' },
  },
  publicRuntimeConfig: {
    appName: 'MiKO Plastic Surgery',
    supabaseAnonKey: 'production-anon-key-placeholder',
    googleClientId: 'production-placeholder.apps.googleusercontent.com',
    contactEmail: 'office@miko.example.com',
    contactPhone: '(310) 555-0100',
  },
  features: { researchAgent: true, smsReminders: false, analytics: true },
  // HIPAA keeps compliance documentation six years; staging's records only need to outlive a test cycle.
  // cloudTrail off: most practices' accounts sit in an organization trail already; a second copy is billed.
  audit: { retentionDays: 2190, cloudTrail: false },
  site: {
    contentSecurityPolicy: 'enforce',
    indexable: true,
    releasesToKeep: 10,
    canary: { steps: [5, 25, 100], bakeMinutes: 10 },
  },
  csp: REAL_APP_CSP_NEEDS,
  appBuild: { publicGoogleApiKeys: [] },
  waf: { rateLimitPer5Minutes: 2000, healthRateLimitPer5Minutes: 100 },
  health: standardHealthChecks('https://productionprojectref.supabase.co', 'https://n8n.miko.example.com'),
  telemetry: STANDARD_TELEMETRY,
  alarms: {
    pageOnCall: true,
    pager: { secret: 'pager-integration-key' },
    criticalEmails: ['oncall@miko.example.com'],
    warningEmails: ['platform@miko.example.com'],
  },
  rotation: { scheduleDays: 30, graceDays: 3, googleCloudProject: 'miko-production-placeholder' },
  delivery: {
    githubRepository: 'miko-health/miko-platform-infra',
    githubEnvironment: 'production',
    oidcProvider: { mode: 'create' },
  },
  backups: {
    database: {
      host: 'aws-0-us-east-1.pooler.supabase.com',
      port: 5432,
      name: 'postgres',
      user: 'miko_backup.productionprojectref',
    },
    schemas: ['public'],
    storage: { buckets: ['patient-photos'], region: 'us-east-1' },
    backupSchedule: 'cron(15 3 * * ? *)',
    drillSchedule: 'cron(15 5 ? * SUN *)',
    objectLockMode: 'COMPLIANCE',
    retentionDays: 90,
    coldStorageAfterDays: 30,
    fixedEgressIp: false,
  },
  protectStatefulResources: true,
};
