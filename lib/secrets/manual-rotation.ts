/**
 * What a person does to replace each manual secret after a leak (`npm run rotate -- --incident` prints it): the
 * inventory says which secrets are manual, this says how, and the type makes a new manual secret need its steps.
 * Order within a secret: a new credential first, stored, then the old one revoked, so nothing stops working.
 */
import { SECRET_CREDENTIALS } from './inventory';

type ManualSecretId = Extract<(typeof SECRET_CREDENTIALS)[number], { rotation: 'manual' }>['id'];

/** `<id>` in a step is the secret's Secrets Manager name; `<env>` the environment. */
export const MANUAL_ROTATION_STEPS: Record<ManualSecretId, readonly string[]> = {
  'supabase-management-token': [
    'Supabase dashboard → Account → Access Tokens → Generate new token (name it miko-<env>-rotation)',
    'store it: aws secretsmanager put-secret-value --secret-id <id> --secret-string file://new.json (new.json: {"value":"sbp_…"}), then shred -u new.json',
    'revoke the old token on the same page',
  ],
  'n8n-api-key': [
    'n8n → Settings → n8n API → Create an API key',
    'store it: aws secretsmanager put-secret-value --secret-id <id> --secret-string file://new.json, then shred -u new.json',
    'delete the old key on the same page',
  ],
  'google-rotation-credentials': [
    'Google Cloud → IAM → Service accounts → the rotator account → Keys → Add key (JSON)',
    'store the whole JSON file as {"value":"<file contents>"}: aws secretsmanager put-secret-value --secret-id <id> --secret-string file://new.json, then shred -u new.json',
    'delete the old key on the same page',
  ],
  'supabase-health-key': [
    'Supabase → Project settings → API keys → Create a publishable key (health checks only)',
    'store it: aws secretsmanager put-secret-value --secret-id <id> --secret-string file://new.json, then shred -u new.json',
    'delete the old publishable key there (the health API picks the new one up within 5 minutes)',
  ],
  'supabase-backup-db-password': [
    "Supabase SQL editor: ALTER ROLE miko_backup WITH PASSWORD '<new password>' (a long random one)",
    'store it: aws secretsmanager put-secret-value --secret-id <id> --secret-string file://new.json, then shred -u new.json',
    'the old password stops working with the ALTER ROLE; run npm run backup -- --env <env> --now to prove the new one',
  ],
  'supabase-storage-s3-key': [
    'Supabase → Project settings → Storage → S3 access keys → New access key (name it miko-<env>-photo-backup)',
    'store it: aws secretsmanager put-secret-value --secret-id <id> --secret-string file://new.json (new.json: {"accessKeyId":"…","secretAccessKey":"…"}), then shred -u new.json',
    'delete the old access key on the same page; the next nightly backup proves the new one (or npm run backup -- --env <env> --now)',
  ],
  'drill-test-patient': [
    "Supabase → Authentication → Users → the drill's test patient → Send password recovery, and set a new long random password",
    'store it: aws secretsmanager put-secret-value --secret-id <id> --secret-string file://new.json (new.json: {"email":"…","password":"…"}), then shred -u new.json',
    'the old password stops working with the change; the next weekly drill proves the new one against the restored hash',
  ],
  'pager-integration-key': [
    "the pager's service → Integrations → Events API → create a new integration key",
    'store it: aws secretsmanager put-secret-value --secret-id <id> --secret-string file://new.json, then shred -u new.json',
    'delete the old integration there',
  ],
};

export const MANUAL_SECRET_IDS = SECRET_CREDENTIALS.filter((c) => c.rotation === 'manual').map(
  (c) => c.id,
) as ManualSecretId[];
