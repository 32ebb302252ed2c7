/**
 * Whether the party that checks a credential accepts a value now, asked the way the credential is used: the
 * rotators' own proof calls for the Supabase and Google keys, `/health/db` for the probe token. After an incident
 * rotation the new value must be accepted and the leaked one refused.
 */
import {
  googleApiKeyRotator,
  GoogleKeyRejectedError,
  GOOGLE_KEY_TEST_URL,
} from '../../lambda/rotation/rotators/google-api-key';
import { supabaseSecretKeyRotator, SupabaseKeyRejectedError } from '../../lambda/rotation/rotators/supabase-secret-key';
import { PROBE_TOKEN_HEADER } from '../../lambda/shared/probe-token';
import type { SecretValue } from '../../lambda/shared/secret-value';
import type { EnvironmentName } from '../../lib/config';
import { loadAppConfig } from '../../lib/config';
import type { SecretCredentialId } from '../../lib/secrets/inventory';
import { siteUrl } from '../lib/site-url';

/** accepted / refused, or why it could not be asked (the checker unreachable, or none exists). */
export type Verdict = 'accepted' | 'refused';
export type Prover = (value: SecretValue) => Promise<Verdict>;

const PROOF_TIMEOUT_MS = 10_000;

/** Where the checkers are; MIKO_SUPABASE_URL, MIKO_GOOGLE_API_URL and MIKO_SITE_URL point them at stand-ins. */
export function proversFor(
  envName: EnvironmentName,
  env: NodeJS.ProcessEnv = process.env,
): Partial<Record<SecretCredentialId, Prover>> {
  const config = loadAppConfig()[envName];
  const site = siteUrl(envName, env);
  const googleTest = new URL(GOOGLE_KEY_TEST_URL);
  const googleTestUrl = env.MIKO_GOOGLE_API_URL
    ? `${env.MIKO_GOOGLE_API_URL.replace(/\/$/, '')}${googleTest.pathname}${googleTest.search}`
    : GOOGLE_KEY_TEST_URL;
  const unused = async () => {
    throw new Error('a proof needs no management credential');
  };
  const supabase = supabaseSecretKeyRotator({
    managementApiUrl: 'unused:',
    projectRef: 'unused',
    projectUrl: env.MIKO_SUPABASE_URL ?? config.backends.supabase.projectUrl,
    managementToken: unused,
    timeoutMs: PROOF_TIMEOUT_MS,
  });
  const google = googleApiKeyRotator({
    cloudProject: config.rotation.googleCloudProject,
    serviceAccountKey: unused,
    testUrl: googleTestUrl,
    testReferer: `https://${config.domain.name}/`,
    timeoutMs: PROOF_TIMEOUT_MS,
  });
  /** A rotator's test() throws its Rejected error for a refused value; any other error means "could not ask". */
  const byTest =
    (test: (v: SecretValue) => Promise<void>, rejected: new (...args: never[]) => Error): Prover =>
    async (value) => {
      try {
        await test(value);
        return 'accepted';
      } catch (error) {
        if (error instanceof rejected) return 'refused';
        throw error;
      }
    };
  return {
    'supabase-secret-key': byTest((v) => supabase.test(v), SupabaseKeyRejectedError),
    'google-api-key': byTest((v) => google.test(v), GoogleKeyRejectedError),
    // The health API answers /health/db 404 to anyone without a token it accepts (lambda/health/handler.ts).
    'prober-health-token': async (value) => {
      const response = await fetch(new URL('/health/db', site), {
        headers: { [PROBE_TOKEN_HEADER]: value.value },
        signal: AbortSignal.timeout(PROOF_TIMEOUT_MS),
        redirect: 'manual',
      });
      await response.body?.cancel();
      if (response.status === 404) return 'refused';
      if (response.status === 200 || response.status === 503) return 'accepted';
      throw new Error(`${site}/health/db answered ${response.status}`);
    },
  };
}

/** Why a rotated secret has no prover: said in the report instead of pretending. */
export const UNPROVABLE: Partial<Record<SecretCredentialId, string>> = {
  'n8n-webhook-secret':
    "n8n's webhook credential is not updated by the rotation function (no consumer is configured); check n8n's Header Auth credential by hand",
};
