/**
 * Staging's values. Placeholders (account 111111111111, example.com domains) so anyone can synth offline;
 * README "Point it at real accounts" says what to replace. Never put a secret here: secrets live in Secrets Manager.
 */
import type { EnvironmentConfig } from '../schema';
import { STANDARD_TELEMETRY } from '../telemetry';
import { REAL_APP_CSP_NEEDS } from './app-csp-needs';
import { standardHealthChecks } from './health-checks';

export const staging: EnvironmentConfig = {
  envName: 'staging',
  account: '111111111111',
  region: 'us-east-1',
  costCentre: 'miko-patient-platform',
  domain: {
    name: 'staging.miko.example.com',
    hostedZone: { id: 'Z0STAGING0000EXAMPLE', name: 'miko.example.com' },
  },
  certificate: { mode: 'create' },
  backends: {
    supabase: { projectUrl: 'https://stagingprojectref.supabase.co' },
    n8n: { webhookUrl: 'https://n8n.miko.example.com/webhook/chat-staging' },
    google: { apis: ['calendar', 'oauth'], signInWithPopup: true },
    sentry: { dsn: 'https://publickey@o000000.ingest.sentry.io/0000001' },
  },
  publicRuntimeConfig: {
    appName: 'MiKO Plastic Surgery (staging)',
    supabaseAnonKey: 'staging-anon-key-placeholder',
    googleClientId: 'staging-placeholder.apps.googleusercontent.com',
    contactEmail: 'office@miko.example.com',
    contactPhone: '(310) 555-0100',
  },
  features: { researchAgent: true, smsReminders: false, analytics: false },
  // HIPAA keeps compliance documentation six years; staging's records only need to outlive a test cycle.
  // cloudTrail off: most practices' accounts sit in an organization trail already; a second copy is billed.
  audit: { retentionDays: 30, cloudTrail: false },
  site: { contentSecurityPolicy: 'enforce', indexable: false, releasesToKeep: 5, canary: null },
  csp: REAL_APP_CSP_NEEDS,
  appBuild: { publicGoogleApiKeys: [] },
  waf: { rateLimitPer5Minutes: 2000, healthRateLimitPer5Minutes: 100 },
  health: standardHealthChecks('https://stagingprojectref.supabase.co', 'https://n8n.miko.example.com'),
  telemetry: STANDARD_TELEMETRY,
  alarms: {
    pageOnCall: false,
    criticalEmails: ['oncall-staging@miko.example.com'],
    warningEmails: ['oncall-staging@miko.example.com'],
  },
  rotation: { scheduleDays: 7, graceDays: 2, googleCloudProject: 'miko-staging-placeholder' },
  delivery: {
    githubRepository: 'miko-health/miko-platform-infra',
    githubEnvironment: 'staging',
    oidcProvider: { mode: 'create' },
  },
  backups: {
    database: {
      host: 'aws-0-us-east-1.pooler.supabase.com',
      port: 5432,
      name: 'postgres',
      user: 'miko_backup.stagingprojectref',
    },
    schemas: ['public'],
    storage: { buckets: ['patient-photos'], region: 'us-east-1' },
    backupSchedule: 'cron(15 3 * * ? *)',
    drillSchedule: 'cron(15 5 ? * SUN *)',
    objectLockMode: 'GOVERNANCE',
    retentionDays: 14,
    coldStorageAfterDays: null,
    fixedEgressIp: false,
  },
  protectStatefulResources: false,
};
