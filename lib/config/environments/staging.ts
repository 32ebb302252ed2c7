/**
 * Staging's values. Placeholders (account 111111111111, example.com domains) so anyone can synth offline;
 * README "Point it at real accounts" says what to replace. Never put a secret here: secrets live in Secrets Manager.
 */
import type { EnvironmentConfig } from '../schema';

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
  site: { contentSecurityPolicy: 'enforce', indexable: false, releasesToKeep: 5 },
  waf: { rateLimitPer5Minutes: 2000, healthRateLimitPer5Minutes: 100 },
  health: {
    deadlineMs: 3000,
    checks: [
      { name: 'supabase-rest', group: 'db', url: 'https://stagingprojectref.supabase.co/rest/v1/', method: 'GET', expectedStatus: 200, timeoutMs: 2500, critical: true,
        auth: { secret: 'supabase-secret-key', header: 'apikey', format: '{secret}' } },
      { name: 'supabase-auth', group: 'db', url: 'https://stagingprojectref.supabase.co/auth/v1/health', method: 'GET', expectedStatus: 200, timeoutMs: 2500, critical: false,
        auth: { secret: 'supabase-secret-key', header: 'apikey', format: '{secret}' } },
      { name: 'n8n', group: 'apis', url: 'https://n8n.miko.example.com/healthz', method: 'GET', expectedStatus: 200, timeoutMs: 2500, critical: true },
      { name: 'n8n-api', group: 'apis', url: 'https://n8n.miko.example.com/api/v1/workflows?limit=1', method: 'GET', expectedStatus: 200, timeoutMs: 2500, critical: false,
        auth: { secret: 'n8n-api-key', header: 'X-N8N-API-KEY', format: '{secret}' } },
      { name: 'google-calendar', group: 'apis', url: 'https://www.googleapis.com/discovery/v1/apis/calendar/v3/rest', method: 'GET', expectedStatus: 200, timeoutMs: 2500, critical: false,
        auth: { secret: 'google-api-key', header: 'X-Goog-Api-Key', format: '{secret}' } },
    ],
  },
  alarms: { pageOnCall: false, criticalEmails: ['oncall-staging@miko.example.com'], warningEmails: ['oncall-staging@miko.example.com'] },
  rotation: { scheduleDays: 7, graceDays: 2 },
  protectStatefulResources: false,
};
