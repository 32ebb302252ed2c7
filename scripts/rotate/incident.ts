/**
 * After a leak, every rotated secret is rotated TWICE, in INCIDENT_ORDER: one rotation keeps the leaked value as
 * AWSPREVIOUS (zero downtime); the second's finishSecret retires it at the provider. Then each checker is asked
 * until the new value is accepted and every leaked value refused, or the proof timeout passes (the health API
 * caches its token for SECRET_CACHE_TTL_MS).
 */
import { GetSecretValueCommand, SecretsManagerClient } from '@aws-sdk/client-secrets-manager';
import { SECRET_CACHE_TTL_MS } from '../../lambda/health/secret-cache';
import { parseSecretValue, SecretValue } from '../../lambda/shared/secret-value';
import type { EnvironmentName } from '../../lib/config';
import { SECRET_CREDENTIALS, SecretCredentialId, secretName } from '../../lib/secrets/inventory';
import { MANUAL_ROTATION_STEPS, MANUAL_SECRET_IDS } from '../../lib/secrets/manual-rotation';
import type { Prover } from './leak-proof';

/** Highest privilege first: the service-role key bypasses row-level security; then what writes, then what reads. */
export const INCIDENT_ORDER: readonly SecretCredentialId[] = [
  'supabase-secret-key',
  'n8n-webhook-secret',
  'google-api-key',
  'prober-health-token',
  'supabase-backup-db-password',
  ...MANUAL_SECRET_IDS.filter((id) => id !== 'supabase-backup-db-password'),
];

/** The health API reads its token at most once per cache TTL: the leaked token is refused within it, plus a probe. */
export const DEFAULT_PROOF_TIMEOUT_SECONDS = SECRET_CACHE_TTL_MS / 1000 + 60;

export interface IncidentRow {
  readonly name: string;
  readonly rotation: string;
  readonly newValue: string;
  readonly leakedValue: string;
  readonly seconds: number;
  readonly ok: boolean;
}

export interface IncidentDeps {
  readonly sm: SecretsManagerClient;
  readonly env: EnvironmentName;
  /** One rotation through Secrets Manager, waited for (rotate.ts). */
  readonly rotateOnce: (id: SecretCredentialId) => Promise<{ ok: boolean; outcome: string }>;
  readonly provers: Partial<Record<SecretCredentialId, Prover>>;
  readonly unprovable: Partial<Record<SecretCredentialId, string>>;
  readonly proofTimeoutSeconds: number;
  readonly pollSeconds: number;
  readonly progress: (line: string) => void;
}

const isManual = (id: SecretCredentialId) => SECRET_CREDENTIALS.find((c) => c.id === id)?.rotation === 'manual';
const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/** The ids of `chosen` (all when empty) in incident order, split into what rotates itself and what a person does. */
export function incidentPlan(chosen: readonly SecretCredentialId[]): {
  rotated: SecretCredentialId[];
  manual: SecretCredentialId[];
} {
  const ordered = INCIDENT_ORDER.filter((id) => chosen.length === 0 || chosen.includes(id));
  return { rotated: ordered.filter((id) => !isManual(id)), manual: ordered.filter(isManual) };
}

async function valueAt(sm: SecretsManagerClient, name: string, stage: string): Promise<SecretValue | undefined> {
  try {
    const got = await sm.send(new GetSecretValueCommand({ SecretId: name, VersionStage: stage }));
    return parseSecretValue(got.SecretString, `${name} (${stage})`);
  } catch (error) {
    if ((error as Error).name === 'ResourceNotFoundException') return undefined;
    throw error;
  }
}

async function incidentOne(deps: IncidentDeps, id: SecretCredentialId): Promise<IncidentRow> {
  const started = Date.now();
  const name = secretName(deps.env, id);
  const row = (ok: boolean, rotation: string, newValue: string, leakedValue: string): IncidentRow => ({
    name,
    rotation,
    newValue,
    leakedValue,
    ok,
    seconds: Math.round((Date.now() - started) / 100) / 10,
  });
  const leaked = (
    await Promise.all([valueAt(deps.sm, name, 'AWSCURRENT'), valueAt(deps.sm, name, 'AWSPREVIOUS')])
  ).filter((v): v is SecretValue => v !== undefined);
  for (const attempt of ['first', 'second']) {
    deps.progress(`${name}: ${attempt} rotation`);
    const result = await deps.rotateOnce(id);
    if (!result.ok) return row(false, `${attempt} rotation: ${result.outcome}`, '-', 'STILL VALID (not revoked)');
  }
  const fresh = await valueAt(deps.sm, name, 'AWSCURRENT');
  const prover = deps.provers[id];
  if (!prover || !fresh)
    return row(true, 'rotated twice', 'not checked', `not checked: ${deps.unprovable[id] ?? 'no checker'}`);

  deps.progress(`${name}: asking its checker until the new value works and the leaked one is refused`);
  const deadline = Date.now() + deps.proofTimeoutSeconds * 1000;
  let last = { newValue: 'not checked', leakedValue: 'not checked' };
  for (;;) {
    try {
      const now = await prover(fresh);
      const old = await Promise.all(leaked.map(prover));
      last = {
        newValue: now,
        leakedValue: old.every((v) => v === 'refused') ? 'refused' : 'STILL ACCEPTED',
      };
      if (now === 'accepted' && last.leakedValue === 'refused') return row(true, 'rotated twice', now, 'refused');
    } catch (error) {
      last = { newValue: `could not check: ${(error as Error).message}`, leakedValue: 'could not check' };
    }
    if (Date.now() >= deadline) break;
    await sleep(Math.min(deps.pollSeconds * 1000, Math.max(0, deadline - Date.now())));
  }
  return row(false, 'rotated twice', last.newValue, `${last.leakedValue} after ${deps.proofTimeoutSeconds}s`);
}

export async function runIncident(deps: IncidentDeps, rotated: readonly SecretCredentialId[]): Promise<IncidentRow[]> {
  const rows: IncidentRow[] = [];
  for (const id of rotated) rows.push(await incidentOne(deps, id));
  return rows;
}

/** What a person must do for each manual secret, from the inventory and MANUAL_ROTATION_STEPS. */
export function manualInstructions(env: EnvironmentName, manual: readonly SecretCredentialId[]): string[] {
  if (manual.length === 0) return [];
  const lines = [`${manual.length} manual secret(s): a person must do this now, in this order:`];
  for (const id of manual) {
    lines.push(`  ${secretName(env, id)}`);
    MANUAL_ROTATION_STEPS[id as keyof typeof MANUAL_ROTATION_STEPS].forEach((step, at) =>
      lines.push(`    ${at + 1}. ${step.replaceAll('<id>', secretName(env, id)).replaceAll('<env>', env)}`),
    );
  }
  return lines;
}
