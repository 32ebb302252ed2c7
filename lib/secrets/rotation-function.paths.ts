/**
 * The rotation functions' calls (rotation-function.ts): Secrets Manager invokes each for the four steps; each reads
 * and writes versions of its own secret (the platform key used on its behalf: derived), some read their provider
 * credential, and each appends its rotation to the audit trail or counts in MiKO/Secrets that it could not.
 */
import { auditAppendPaths, auditTamperPaths } from '../data/audit-grants.paths';
import { platformFunctionPaths } from '../shared/platform-function.paths';
import { ForbiddenPath, PathCatalogue, resource, role, RuntimePath, secret, service } from '../shared/runtime-paths';

interface Rotated {
  readonly secret: string;
  readonly constructId: string;
  /** The provider credential the rotator reads to set the new value there. */
  readonly reads?: string;
  /** Generated values come from Secrets Manager's GetRandomPassword. */
  readonly generated?: boolean;
}

const ROTATED: Rotated[] = [
  {
    secret: 'supabase-secret-key',
    constructId: 'SecretsSupabaseSecretKeyRotation',
    reads: 'supabase-management-token',
  },
  { secret: 'n8n-webhook-secret', constructId: 'SecretsN8nWebhookSecretRotation', generated: true },
  { secret: 'google-api-key', constructId: 'SecretsGoogleApiKeyRotation', reads: 'google-rotation-credentials' },
  { secret: 'prober-health-token', constructId: 'SecretsProberHealthTokenRotation', generated: true },
];

const metricWildcard =
  'PutMetricData names no metric as a resource (only CloudWatch datasets, which these are not); the namespace condition limits it.';

function rotationPaths(rotated: Rotated): RuntimePath[] {
  const fn = `${rotated.constructId}Function`;
  const rotator = role('Data', `${fn}Role`);
  return [
    ...platformFunctionPaths(`rotate-${rotated.secret}`, 'Data', fn, { tracing: false }),
    {
      id: `secrets-manager-invokes-rotate-${rotated.secret}`,
      what: `Secrets Manager invokes the rotator of ${rotated.secret} for each rotation step`,
      principal: service('secretsmanager.amazonaws.com'),
      actions: ['lambda:InvokeFunction'],
      resource: resource('Data', fn),
    },
    {
      id: `rotate-${rotated.secret}-own-secret`,
      what: `the rotator reads the current value and writes and promotes the pending one of ${rotated.secret}`,
      principal: rotator,
      actions: [
        'secretsmanager:DescribeSecret',
        'secretsmanager:GetSecretValue',
        'secretsmanager:PutSecretValue',
        'secretsmanager:UpdateSecretVersionStage',
      ],
      resource: secret(rotated.secret),
    },
    ...(rotated.reads
      ? [
          {
            id: `rotate-${rotated.secret}-reads-${rotated.reads}`,
            what: `the rotator of ${rotated.secret} reads ${rotated.reads} to set the new value at the provider`,
            principal: rotator,
            actions: ['secretsmanager:GetSecretValue'],
            resource: secret(rotated.reads),
          },
        ]
      : []),
    ...(rotated.generated
      ? [
          {
            id: `rotate-${rotated.secret}-generates`,
            what: `the rotator of ${rotated.secret} asks Secrets Manager for a random value`,
            principal: rotator,
            actions: ['secretsmanager:GetRandomPassword'],
            resource: '*',
          },
        ]
      : []),
    ...auditAppendPaths(`rotate-${rotated.secret}`, rotator),
    {
      id: `rotate-${rotated.secret}-counts-unrecorded`,
      what: `the rotator of ${rotated.secret} counts a finished rotation it could not record in MiKO/Secrets`,
      principal: rotator,
      actions: ['cloudwatch:PutMetricData'],
      resource: '*',
      context: { 'cloudwatch:namespace': 'MiKO/Secrets' },
      wildcardReason: metricWildcard,
    },
  ];
}

function rotationForbidden(rotated: Rotated): ForbiddenPath[] {
  return auditTamperPaths(`rotate-${rotated.secret}`, role('Data', `${rotated.constructId}FunctionRole`));
}

export const catalogue: PathCatalogue = {
  paths: ROTATED.flatMap(rotationPaths),
  forbidden: ROTATED.flatMap(rotationForbidden),
};
