/**
 * What Supabase's backup guide dumps and how it restores: roles; schema and data of the project's schemas; data of
 * `auth` and `storage`, minus tables owned by the target's Supabase version (migration history). A new Supabase
 * project already has `auth` and `storage`, so only their data and the practice's additions (RLS, triggers,
 * grants) load; a plain PostgreSQL gets them from the dump's own definitions, in the source's shape.
 */

/** Schemas Supabase creates in every project and migrates itself. */
export const MANAGED_SCHEMAS = ['auth', 'storage'] as const;

/** The guide's data exclusions: rows that describe the target's own Supabase, never the practice's data. */
export const EXCLUDED_DATA_TABLES = [
  'auth.schema_migrations',
  'storage.migrations',
  'storage.buckets_vectors',
  'storage.vector_indexes',
  'supabase_functions.migrations',
] as const;

/** The roles PostgREST and Storage switch to; their grants and policies decide what a patient sees. */
export const API_ROLES = ['anon', 'authenticated', 'service_role'] as const;

/** The project's schemas (from config) plus Supabase's managed ones, without duplicates, in a stable order. */
export function dumpedSchemas(projectSchemas: readonly string[]): string[] {
  return [...new Set([...projectSchemas, ...MANAGED_SCHEMAS])];
}

export function isExcludedTable(schema: string, table: string): boolean {
  return (EXCLUDED_DATA_TABLES as readonly string[]).includes(`${schema}.${table}`);
}

/** What the practice adds on Supabase's own tables; the rest of a managed schema is Supabase's to create. */
const OURS_ON_MANAGED = new Set(['POLICY', 'ROW SECURITY', 'TRIGGER', 'ACL']);

const TOC_ENTRY =
  /^\d+; \d+ \d+ (ROW SECURITY|FK CONSTRAINT|DEFAULT ACL|TABLE DATA|SEQUENCE SET|SEQUENCE OWNED BY|MATERIALIZED VIEW|[A-Z]+) (\S+) (\S+)/;

/**
 * The dump's table of contents for `pg_restore --use-list`, on a target that already has the schemas in `existing`:
 * their CREATE SCHEMA dropped, and of their entries only the practice's own (policies, RLS, triggers, grants).
 */
export function restorableEntries(tocLines: readonly string[], existing: ReadonlySet<string>): string[] {
  return tocLines.filter((line) => {
    const entry = TOC_ENTRY.exec(line);
    if (!entry) return true;
    const [, type, schema, name] = entry;
    if (type === 'SCHEMA' && schema === '-') return !existing.has(name);
    const managedHere = (s: string) => (MANAGED_SCHEMAS as readonly string[]).includes(s) && existing.has(s);
    // A managed schema's own grants (USAGE to the API roles) are Supabase's, as the schema is.
    if (type === 'ACL' && schema === '-') return !managedHere(/ACL - SCHEMA (\S+) /.exec(line)?.[1] ?? '');
    if (managedHere(schema)) return OURS_ON_MANAGED.has(type);
    return true;
  });
}
