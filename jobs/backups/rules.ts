/**
 * The rules that protect patients' rows, from the catalog: RLS policies, which tables have RLS on, and grants to
 * the API roles. Read into the manifest inside the backup's snapshot, read again after a restore and compared:
 * each missing or changed rule is named.
 */
import type { Client } from 'pg';
import { API_ROLES } from './supabase';

export interface Rules {
  /** `schema.table "policy name" FOR cmd TO roles USING (…) WITH CHECK (…)`, one line per policy. */
  readonly policies: readonly string[];
  /** `schema.table` of every table with row-level security on. */
  readonly rlsTables: readonly string[];
  /** `schema.table: PRIVILEGE to role`, one line per grant to anon, authenticated or service_role. */
  readonly grants: readonly string[];
}

export async function readRules(client: Client, schemas: readonly string[]): Promise<Rules> {
  const policies = await client.query<{ line: string }>(
    `SELECT format('%s.%s %s FOR %s TO %s USING (%s) WITH CHECK (%s)', schemaname, tablename, quote_ident(policyname),
                   cmd, array_to_string(roles, ','), coalesce(qual, ''), coalesce(with_check, '')) AS line
       FROM pg_policies WHERE schemaname = ANY($1::text[]) ORDER BY 1`,
    [schemas],
  );
  const rls = await client.query<{ line: string }>(
    `SELECT n.nspname || '.' || c.relname AS line FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace
      WHERE c.relrowsecurity AND c.relkind IN ('r', 'p') AND n.nspname = ANY($1::text[]) ORDER BY 1`,
    [schemas],
  );
  const grants = await client.query<{ line: string }>(
    `SELECT n.nspname || '.' || c.relname || ': ' || a.privilege_type || ' to ' || r.rolname AS line
       FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace, aclexplode(c.relacl) a
       JOIN pg_roles r ON r.oid = a.grantee
      WHERE c.relkind IN ('r', 'p', 'v', 'm') AND n.nspname = ANY($1::text[]) AND r.rolname = ANY($2::text[])
      ORDER BY 1`,
    [schemas, API_ROLES],
  );
  return {
    policies: policies.rows.map((r) => r.line),
    rlsTables: rls.rows.map((r) => r.line),
    grants: grants.rows.map((r) => r.line),
  };
}

/** Every rule of `expected` that `actual` lacks, as a sentence naming it; empty when all are present. */
export function missingRules(expected: Rules, actual: Rules): string[] {
  const lacking = (kind: string, want: readonly string[], have: readonly string[]) => {
    const present = new Set(have);
    return want.filter((line) => !present.has(line)).map((line) => `${kind} ${line}`);
  };
  return [
    ...lacking('policy', expected.policies, actual.policies),
    ...lacking('row-level security on', expected.rlsTables, actual.rlsTables),
    ...lacking('grant', expected.grants, actual.grants),
  ];
}
