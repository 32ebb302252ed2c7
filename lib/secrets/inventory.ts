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
}

export const SECRET_CREDENTIALS = [
  { id: 'supabase-secret-key', description: 'Supabase secret (service-role) API key used by server-side checks and n8n', rotation: 'supabase-secret-key' },
  { id: 'supabase-management-token', description: 'Supabase Management API token that rotates the secret key', rotation: 'manual' },
  { id: 'n8n-webhook-secret', description: 'shared secret n8n requires on webhook calls (header auth)', rotation: 'generated' },
  { id: 'n8n-api-key', description: 'n8n API key used to push the new webhook secret and by health checks', rotation: 'manual' },
  { id: 'google-api-key', description: 'Google API key (Calendar), restricted to its APIs and referrers', rotation: 'google-api-key' },
  { id: 'google-rotation-credentials', description: 'Google service-account key allowed to manage API keys', rotation: 'manual' },
  { id: 'pager-integration-key', description: "the pager's CloudWatch integration URL/key for the critical topic", rotation: 'manual' },
] as const satisfies readonly SecretCredential[];

export type SecretCredentialId = (typeof SECRET_CREDENTIALS)[number]['id'];

/** The Secrets Manager name of a credential: one namespace per environment, so IAM can scope by prefix. */
export function secretName(envName: EnvironmentName, id: SecretCredentialId): string {
  return `miko/${envName}/${id}`;
}
