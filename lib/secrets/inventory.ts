/**
 * Every credential the platform uses, where it lives and how it is rotated. Public-by-design values go to the
 * SPA's runtime config (`publicRuntimeConfig`), never to a secret; secrets live in Secrets Manager under
 * `secretName(env, id)` and never in code, config, templates or logs.
 */
import type { EnvironmentName } from '../config';

/** How a secret gets a new value. */
export type RotationKind =
  | 'generated' // a random value from GetRandomPassword, pushed to its consumer
  | 'supabase-secret-key' // a Supabase secret API key via the Supabase Management API
  | 'google-api-key' // a Google API key via the API Keys API, restrictions copied
  | 'manual'; // set out of band (a provider without an API for it): rotated by a person, alarmed when stale

export interface SecretCredential {
  readonly id: string;
  readonly description: string;
  readonly rotation: RotationKind;
  /** The credential that authorizes rotating this one at its provider (read-only to its rotation function). */
  readonly rotatedWith?: string;
}

/** A credential that is public by design: it goes to the SPA's runtime config, never to a secret. */
export interface PublicCredential {
  readonly name: string;
  /** Where its value lives in the config. */
  readonly configPath: string;
  readonly whyPublic: string;
}

export const PUBLIC_CREDENTIALS: readonly PublicCredential[] = [
  {
    name: 'Supabase publishable (anon) key',
    configPath: 'publicRuntimeConfig.supabaseAnonKey',
    whyPublic: 'meant for browsers; row-level security decides what it can read',
  },
  {
    name: 'Supabase project URL',
    configPath: 'backends.supabase.projectUrl',
    whyPublic: 'an address, not a credential',
  },
  {
    name: 'Google OAuth client id',
    configPath: 'publicRuntimeConfig.googleClientId',
    whyPublic: 'identifies the app to Google sign-in; useless without a user signing in',
  },
  {
    name: 'Sentry DSN',
    configPath: 'backends.sentry.dsn',
    whyPublic: 'its key only allows sending events, by design from browsers',
  },
  {
    name: 'n8n webhook URL',
    configPath: 'backends.n8n.webhookUrl',
    whyPublic: 'an address; the webhook checks the n8n-webhook-secret header',
  },
];

export const SECRET_CREDENTIALS = [
  {
    id: 'supabase-secret-key',
    description: 'Supabase secret (service-role) API key used by server-side checks and n8n',
    rotation: 'supabase-secret-key',
    rotatedWith: 'supabase-management-token',
  },
  {
    id: 'supabase-management-token',
    description: 'Supabase Management API token that rotates the secret key',
    rotation: 'manual',
  },
  {
    id: 'n8n-webhook-secret',
    description: 'shared secret n8n requires on webhook calls (header auth)',
    rotation: 'generated',
  },
  {
    id: 'n8n-api-key',
    description: 'n8n API key used to push the new webhook secret and by health checks',
    rotation: 'manual',
  },
  {
    id: 'google-api-key',
    description: 'Google API key (Calendar), restricted to its APIs and referrers',
    rotation: 'google-api-key',
    rotatedWith: 'google-rotation-credentials',
  },
  {
    id: 'google-rotation-credentials',
    description: 'Google service-account key allowed to manage API keys',
    rotation: 'manual',
  },
  {
    id: 'supabase-health-key',
    description:
      'a Supabase publishable key dedicated to the deep health checks: row-level security applies, so it reads nothing private (never the secret key); revocable on its own',
    rotation: 'manual',
  },
  {
    id: 'prober-health-token',
    description: 'the token the prober sends so /health/db and /health/apis answer it and nobody else',
    rotation: 'generated',
  },
  {
    id: 'supabase-backup-db-password',
    description: 'password of the read-only Postgres role the nightly backup connects as (miko_backup)',
    rotation: 'manual',
  },
  {
    id: 'supabase-storage-s3-key',
    description:
      'S3 access key of Supabase Storage\'s S3 endpoint, {"accessKeyId", "secretAccessKey"}: the nightly backup copies the photos with it',
    rotation: 'manual',
  },
  {
    id: 'drill-test-patient',
    description:
      'a synthetic test patient\'s login, {"email", "password"}: the weekly drill proves the password still verifies against the restored hash',
    rotation: 'manual',
  },
  {
    id: 'pager-integration-key',
    description: "the pager's Events API integration (routing) key, read by the pager subscriber Lambda",
    rotation: 'manual',
  },
] as const satisfies readonly SecretCredential[];

export type SecretCredentialId = (typeof SECRET_CREDENTIALS)[number]['id'];

/** The token /health/db and /health/apis require (lambda/shared/probe-token.ts): the health API and the prober read it. */
export const PROBE_TOKEN_CREDENTIAL: SecretCredentialId = 'prober-health-token';

/** The Secrets Manager name of a credential: one namespace per environment, so IAM can scope by prefix. */
export function secretName(envName: EnvironmentName, id: SecretCredentialId): string {
  return `miko/${envName}/${id}`;
}
