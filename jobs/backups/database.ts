/**
 * How the job reaches a Postgres server, for both the node-postgres client and the libpq tools (pg_dump,
 * pg_restore, psql). The source is always reached with TLS and full verification (`verify-full`: the chain must
 * lead to the given CA and the certificate must name the host); only a local throwaway server may go without.
 */
import { readFileSync } from 'node:fs';
import { Client, ClientConfig } from 'pg';

export interface DatabaseTarget {
  readonly host: string;
  readonly port: number;
  readonly database: string;
  readonly user: string;
  /** Never logged; reaches pg_dump only through PGPASSWORD in the child's environment. */
  readonly password?: string;
  /** The CA bundle the server's certificate must chain to; `undefined` only for a loopback server the job started. */
  readonly caFile?: string;
}

/** Loopback only: a plain connection anywhere else would send patient data in clear text. */
function assertTlsOrLoopback(target: DatabaseTarget): void {
  if (!target.caFile && !['127.0.0.1', 'localhost', '::1'].includes(target.host)) {
    throw new Error(
      `the database at ${target.host} has no CA file: connections beyond this machine must verify TLS. Fix: set PGSSLROOTCERT (the task image carries Supabase's CA) or pass ?sslrootcert=<file> in the URL.`,
    );
  }
}

/** Runs `use` with a connected client and always closes it. */
export async function withClient<T>(target: DatabaseTarget, use: (client: Client) => Promise<T>): Promise<T> {
  const client = new Client(clientConfig(target));
  await client.connect();
  try {
    return await use(client);
  } finally {
    await client.end();
  }
}

export function clientConfig(target: DatabaseTarget): ClientConfig {
  assertTlsOrLoopback(target);
  return {
    host: target.host,
    port: target.port,
    database: target.database,
    user: target.user,
    password: target.password,
    connectionTimeoutMillis: 15_000,
    application_name: 'miko-backup',
    // Node verifies the chain and the host name (its checkServerIdentity) when rejectUnauthorized is on: verify-full.
    ssl: target.caFile
      ? {
          ca: readFileSync(target.caFile, 'utf8'),
          rejectUnauthorized: true,
          servername: isIp(target.host) ? undefined : target.host,
        }
      : false,
  };
}

/** The libpq environment for a child tool: verify-full with the CA file, or no TLS for a loopback throwaway. */
export function libpqEnvironment(target: DatabaseTarget): NodeJS.ProcessEnv {
  assertTlsOrLoopback(target);
  return {
    PGHOST: target.host,
    PGPORT: String(target.port),
    PGDATABASE: target.database,
    PGUSER: target.user,
    ...(target.password !== undefined ? { PGPASSWORD: target.password } : {}),
    ...(target.caFile ? { PGSSLMODE: 'verify-full', PGSSLROOTCERT: target.caFile } : { PGSSLMODE: 'disable' }),
    PGCONNECT_TIMEOUT: '15',
    PGAPPNAME: 'miko-backup',
    // The checksums compare rows as text: both sides must print them the same way.
    PGTZ: 'UTC',
  };
}

/** `postgresql://user:pass@host:port/db?sslrootcert=/path/ca.pem` → a target (sslmode is always verify-full with a CA). */
export function targetFromUrl(url: string): DatabaseTarget {
  let parsed: URL;
  try {
    parsed = new URL(url);
  } catch {
    throw new Error(
      '--to is not a URL. Fix: postgresql://user:password@host:5432/postgres?sslrootcert=/path/to/ca.pem',
    );
  }
  if (!/^postgres(ql)?:$/.test(parsed.protocol))
    throw new Error(`--to uses ${parsed.protocol}; Fix: a postgresql:// URL.`);
  return {
    host: parsed.hostname.replace(/^\[|\]$/g, ''),
    port: Number(parsed.port || 5432),
    database: decodeURIComponent(parsed.pathname.replace(/^\//, '')) || 'postgres',
    user: decodeURIComponent(parsed.username) || 'postgres',
    password: parsed.password ? decodeURIComponent(parsed.password) : undefined,
    caFile: parsed.searchParams.get('sslrootcert') ?? undefined,
  };
}

function isIp(host: string): boolean {
  return /^\d+\.\d+\.\d+\.\d+$/.test(host) || host.includes(':');
}
