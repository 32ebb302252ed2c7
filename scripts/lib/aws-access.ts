/**
 * How operator commands reach AWS: only the SDK's standard variables (AWS_ENDPOINT_URL, AWS_ENDPOINT_URL_<SERVICE>,
 * AWS_PROFILE / AWS_ACCESS_KEY_ID), which the SDK reads by itself. `endpointFor` resolves them from an explicit
 * environment for clients that need the URL in hand (the KeyValueStore's endpoint rules, S3's path style).
 */
import { committedConfig } from '../../lib/config';

/** The SDK's variable suffix of a service (its service id, upper-cased, spaces to underscores). */
export type ServiceEnvName = 'CLOUDFORMATION' | 'S3' | 'CLOUDFRONT_KEYVALUESTORE' | 'CLOUDWATCH' | 'SECRETS_MANAGER';

/** The endpoint a client of `service` should use under `env`, as the SDK resolves it; undefined means AWS's own. */
export function endpointFor(service: ServiceEnvName, env: NodeJS.ProcessEnv = process.env): string | undefined {
  return env[`AWS_ENDPOINT_URL_${service}`] || env.AWS_ENDPOINT_URL || undefined;
}

const MISSING_CREDENTIALS =
  /Could not load credentials|CredentialsProviderError|Unable to locate credentials|credential.*(missing|not found)/i;

/** Whether `error` is the SDK failing to find any credentials (as opposed to AWS refusing them). */
export function isMissingCredentials(error: unknown): boolean {
  const e = error as { name?: string; message?: string };
  return e?.name === 'CredentialsProviderError' || MISSING_CREDENTIALS.test(e?.message ?? '');
}

/**
 * The error a command prints when it has no credentials: which command, which account it needs, and how to get
 * them; any other error is returned unchanged.
 */
export function explainAwsError(command: string, account: string, envName: string, error: unknown): Error {
  if (!isMissingCredentials(error)) return error as Error;
  return new Error(
    `${command} needs AWS credentials for ${envName}'s account ${account}, and found none. ` +
      `Fix: \`export AWS_PROFILE=<your profile for ${account}>\` and \`aws sso login\` (or set AWS_ACCESS_KEY_ID and AWS_SECRET_ACCESS_KEY). ` +
      'Commands that need no AWS at all: README "Which commands need AWS".',
  );
}

/** explainAwsError for a command's `--env <name>` in `argv`, as its last catch has it (no --env: unchanged). */
export function explainAwsErrorForArgv(command: string, argv: readonly string[], error: unknown): Error {
  const envName = argv[argv.indexOf('--env') + 1];
  const accounts: Record<string, string> = {
    staging: committedConfig.staging.account,
    production: committedConfig.production.account,
  };
  return envName in accounts ? explainAwsError(command, accounts[envName], envName, error) : (error as Error);
}
