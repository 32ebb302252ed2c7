/**
 * What a restore must prove for patients: `rules` (every recorded RLS policy, switch and API-role grant is there);
 * `password` (a test patient's bcrypt hash still verifies with pgcrypto's crypt()); `isolation` (as
 * `authenticated` with patient A's JWT claims, no row of another patient is visible where an owner column
 * references auth.users, storage.objects included). Failures name the rule, table or check, never a row.
 */
import type { Client } from 'pg';
import type { BackupManifest } from './manifest';
import { missingRules, readRules } from './rules';

export interface CheckResult {
  readonly check: 'table-checks' | 'rules' | 'password' | 'isolation' | 'storage';
  readonly ok: boolean;
  readonly detail: string;
}

/** A test patient the practice keeps in production for this purpose; its password comes from Secrets Manager. */
export interface KnownPatient {
  readonly email: string;
  readonly password: string;
}

const ident = (name: string) => `"${name.replace(/"/g, '""')}"`;

export async function checkRules(client: Client, manifest: BackupManifest): Promise<CheckResult> {
  if (!manifest.rules)
    return { check: 'rules', ok: false, detail: 'the manifest records no rules (a backup older than this check)' };
  const missing = missingRules(manifest.rules, await readRules(client, manifest.schemas));
  const total = manifest.rules.policies.length + manifest.rules.rlsTables.length + manifest.rules.grants.length;
  return missing.length === 0
    ? { check: 'rules', ok: true, detail: `${total} policies, RLS switches and grants present` }
    : { check: 'rules', ok: false, detail: `${missing.length} of ${total} missing: ${missing.join('; ')}` };
}

/** The schema holding crypt(): Supabase keeps pgcrypto in `extensions`; a plain throwaway server may install it. */
async function cryptSchema(client: Client, mayInstall: boolean): Promise<string | undefined> {
  const find = async () =>
    (
      await client.query<{ schema: string }>(
        "SELECT n.nspname AS schema FROM pg_proc p JOIN pg_namespace n ON n.oid = p.pronamespace WHERE p.proname = 'crypt' LIMIT 1",
      )
    ).rows[0]?.schema;
  const found = await find();
  if (found || !mayInstall) return found;
  await client.query(
    'CREATE SCHEMA IF NOT EXISTS extensions; CREATE EXTENSION IF NOT EXISTS pgcrypto WITH SCHEMA extensions',
  );
  return find();
}

export async function checkPassword(
  client: Client,
  patient: KnownPatient,
  mayInstallPgcrypto: boolean,
): Promise<CheckResult> {
  const schema = await cryptSchema(client, mayInstallPgcrypto);
  if (!schema)
    return { check: 'password', ok: false, detail: 'the target has no pgcrypto (crypt()) to verify a hash with' };
  const { rows } = await client.query<{ ok: boolean }>(
    `SELECT encrypted_password IS NOT NULL AND encrypted_password = ${ident(schema)}.crypt($2, encrypted_password) AS ok
       FROM auth.users WHERE email = $1`,
    [patient.email, patient.password],
  );
  if (rows.length === 0) return { check: 'password', ok: false, detail: 'the known test patient is not in auth.users' };
  return rows[0].ok
    ? { check: 'password', ok: true, detail: "the known test patient's password verifies against the restored hash" }
    : {
        check: 'password',
        ok: false,
        detail: "the known test patient's password does not verify against the restored hash in auth.users",
      };
}

/** Tables whose rows belong to one patient: a single-column foreign key to auth.users, plus storage.objects. */
async function patientTables(client: Client, schemas: readonly string[]) {
  const { rows } = await client.query<{ schema: string; table: string; column: string }>(
    `SELECT n.nspname AS schema, c.relname AS table, a.attname AS column
       FROM pg_constraint k JOIN pg_class c ON c.oid = k.conrelid JOIN pg_namespace n ON n.oid = c.relnamespace
       JOIN pg_attribute a ON a.attrelid = c.oid AND a.attnum = k.conkey[1]
      WHERE k.contype = 'f' AND k.confrelid = 'auth.users'::regclass AND cardinality(k.conkey) = 1
        AND n.nspname <> 'auth' AND n.nspname = ANY($1::text[])
      UNION SELECT 'storage', 'objects', 'owner_id' WHERE to_regclass('storage.objects') IS NOT NULL
      ORDER BY 1, 2`,
    [schemas],
  );
  return rows;
}

/**
 * Patient A is the known test patient, or else the owner of the most rows; every other patient's rows must stay
 * invisible to A. Runs in a transaction that is rolled back, as PostgREST runs a request.
 */
export async function checkIsolation(
  client: Client,
  manifest: BackupManifest,
  patient?: KnownPatient,
): Promise<CheckResult> {
  const hasUsers = (await client.query("SELECT to_regclass('auth.users') IS NOT NULL AS ok")).rows[0].ok;
  const tables = hasUsers ? await patientTables(client, manifest.schemas) : [];
  if (tables.length === 0) return { check: 'isolation', ok: true, detail: 'no table holds rows owned by a patient' };
  const owner = patient
    ? (await client.query<{ id: string }>('SELECT id::text FROM auth.users WHERE email = $1', [patient.email])).rows[0]
        ?.id
    : (await client.query<{ id: string }>('SELECT id::text FROM auth.users ORDER BY created_at, id LIMIT 1')).rows[0]
        ?.id;
  if (!owner) return { check: 'isolation', ok: false, detail: 'no patient in auth.users to run the check as' };
  const leaks: string[] = [];
  let othersRows = 0;
  for (const t of tables) {
    const table = `${ident(t.schema)}.${ident(t.table)}`;
    const column = ident(t.column);
    othersRows += Number(
      (await client.query(`SELECT count(*) AS n FROM ${table} WHERE ${column}::text IS DISTINCT FROM $1`, [owner]))
        .rows[0].n,
    );
    await client.query('BEGIN');
    try {
      await client.query('SET LOCAL ROLE authenticated');
      await client.query("SELECT set_config('request.jwt.claims', $1, true)", [
        JSON.stringify({ sub: owner, role: 'authenticated', aud: 'authenticated' }),
      ]);
      const seen = await client
        .query(`SELECT count(*) AS n FROM ${table} WHERE ${column}::text IS DISTINCT FROM $1`, [owner])
        .then((r) => Number(r.rows[0].n))
        // No grant at all hides every row: not a leak (the rules check reports a lost grant).
        .catch(() => 0);
      if (seen > 0) leaks.push(`${t.schema}.${t.table} (${seen} rows of other patients)`);
    } finally {
      await client.query('ROLLBACK');
    }
  }
  if (leaks.length > 0)
    return {
      check: 'isolation',
      ok: false,
      detail: `as authenticated with patient A's claims, other patients' rows are visible in ${leaks.join(', ')}`,
    };
  return {
    check: 'isolation',
    ok: true,
    detail: `patient A sees none of the ${othersRows} rows of other patients in ${tables.length} tables`,
  };
}
