/**
 * Row counts and checksums per table, read inside one snapshot. The checksum is an order-independent sum of each
 * row's md5 (first 60 bits), so it needs no sort and streams through a table once; two databases agree only when
 * they hold the same multiset of rows as printed by Postgres (both sessions print in UTC with the same settings).
 */
import type { Client } from 'pg';
import type { TableStats } from './manifest';

/** Settings that decide how a row prints as text; both the source and the restore use exactly these. */
export const CANONICAL_SESSION =
  "SET TimeZone = 'UTC'; SET DateStyle = 'ISO, YMD'; SET IntervalStyle = 'postgres'; SET extra_float_digits = 1; SET bytea_output = 'hex'";

const ident = (name: string) => `"${name.replace(/"/g, '""')}"`;

/** Ordinary and partition leaf tables of the given schemas, in a stable order. */
export async function listTables(
  client: Client,
  schemas: readonly string[],
): Promise<Array<{ schema: string; table: string }>> {
  const result = await client.query<{ schema: string; table: string }>(
    `SELECT n.nspname AS schema, c.relname AS table FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace
     WHERE c.relkind = 'r' AND n.nspname = ANY($1::text[]) ORDER BY 1, 2`,
    [schemas],
  );
  return result.rows;
}

export async function tableStats(
  client: Client,
  tables: ReadonlyArray<{ schema: string; table: string }>,
): Promise<TableStats[]> {
  const stats: TableStats[] = [];
  for (const { schema, table } of tables) {
    const { rows } = await client.query<{ rows: string; checksum: string }>(
      `SELECT count(*)::text AS rows, coalesce(sum(('x' || substr(md5(t::text), 1, 15))::bit(60)::bigint::numeric), 0)::text AS checksum FROM ${ident(schema)}.${ident(table)} t`,
    );
    stats.push({ schema, table, rows: Number(rows[0].rows), checksum: rows[0].checksum });
  }
  return stats;
}
