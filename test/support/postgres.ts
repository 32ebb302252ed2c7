/**
 * Real PostgreSQL servers for the backup tests, started on 127.0.0.1 by the job's own LocalCluster (temp data
 * directory, free port, as the `postgres` system user when we are root), plus a throwaway CA and server
 * certificate so the source can be reached exactly as the task reaches Supabase: TLS with verify-full.
 */
import { execFileSync } from 'node:child_process';
import { chmodSync, existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
export { withClient } from '../../jobs/backups/database';
import { ClusterTemplate, initClusterTemplate } from '../../jobs/backups/local-cluster';
import { findPgBin } from '../../jobs/backups/pg-tools';

export const PG_BIN = findPgBin();

/**
 * The tests' servers hold nothing that must survive a crash: no flushing to disk (fsync, full-page images, waiting
 * for the WAL at commit) and a small buffer pool.
 */
export const THROWAWAY_SERVER_SETTINGS = {
  fsync: 'off',
  synchronous_commit: 'off',
  full_page_writes: 'off',
  shared_buffers: '16MB',
};

/**
 * On this machine's disk every megabyte written (initdb's 28 MB, each copy, each restore) costs a noticeable slice
 * of CPU in the kernel; in tmpfs it is a memory copy.
 */
const RAM_DISK = '/dev/shm';

/**
 * initdb once per kind of server (`password` over TCP, or trusting loopback); each server starts from a copy in RAM,
 * small with 1 MiB WAL segments. remove() takes the copies too, even one a failed test left running.
 */
export function testClusterTemplate(password?: string): ClusterTemplate {
  const dir = mkdtempSync(join(existsSync(RAM_DISK) ? RAM_DISK : tmpdir(), 'miko-pg-servers-'));
  const remove = () => rmSync(dir, { recursive: true, force: true });
  try {
    // The servers run as their own user (postgres, when we are root), which must reach its folders inside.
    chmodSync(dir, 0o755);
    const template = initClusterTemplate({
      pgBin: PG_BIN,
      password,
      settings: THROWAWAY_SERVER_SETTINGS,
      initdbArgs: ['--wal-segsize=1'],
      tempDir: dir,
    });
    return { ...template, remove };
  } catch (error) {
    remove();
    throw error;
  }
}

export interface TestCertificates {
  readonly dir: string;
  readonly caFile: string;
  readonly certFile: string;
  readonly keyFile: string;
  remove(): void;
}

/** A CA and a server certificate for 127.0.0.1 / localhost, signed by it (and a second, unrelated CA). */
export function makeCertificates(): TestCertificates & { readonly otherCaFile: string } {
  const dir = mkdtempSync(join(tmpdir(), 'miko-certs-'));
  const at = (name: string) => join(dir, name);
  const openssl = (...args: string[]) => execFileSync('openssl', args, { stdio: 'pipe' });
  // P-256 keys: as good for verify-full as RSA, and made in milliseconds instead of a few hundred each.
  const newKey = ['-newkey', 'ec', '-pkeyopt', 'ec_paramgen_curve:prime256v1'];
  for (const ca of ['ca', 'other-ca']) {
    openssl(
      'req',
      '-x509',
      ...newKey,
      '-nodes',
      '-keyout',
      at(`${ca}.key`),
      '-out',
      at(`${ca}.crt`),
      '-days',
      '2',
      '-subj',
      `/CN=MiKO test ${ca}`,
    );
  }
  openssl('req', ...newKey, '-nodes', '-keyout', at('server.key'), '-out', at('server.csr'), '-subj', '/CN=127.0.0.1');
  execFileSync('sh', ['-c', `printf 'subjectAltName=IP:127.0.0.1,DNS:localhost\\n' > ${at('san.ext')}`]);
  openssl(
    'x509',
    '-req',
    '-in',
    at('server.csr'),
    '-CA',
    at('ca.crt'),
    '-CAkey',
    at('ca.key'),
    '-CAcreateserial',
    '-out',
    at('server.crt'),
    '-days',
    '2',
    '-extfile',
    at('san.ext'),
  );
  return {
    dir,
    caFile: at('ca.crt'),
    otherCaFile: at('other-ca.crt'),
    certFile: at('server.crt'),
    keyFile: at('server.key'),
    remove: () => rmSync(dir, { recursive: true, force: true }),
  };
}

/**
 * The app's tables as the seeds describe them (leads, chat sessions, appointments, reminders) with Supabase's habits
 * (uuid keys, timestamptz, jsonb, an enum, foreign keys, RLS, a trigger); `scale` leads, most with appointments.
 */
export function appSchemaSql(scale: number): string {
  return `
    CREATE TYPE public.appointment_status AS ENUM ('requested', 'confirmed', 'cancelled', 'completed');
    CREATE TABLE public.leads (
      id uuid PRIMARY KEY DEFAULT gen_random_uuid(), created_at timestamptz NOT NULL DEFAULT now(),
      full_name text NOT NULL, email text, phone text, source text, notes text, score numeric(5,2));
    CREATE TABLE public.chat_sessions (
      id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY, lead_id uuid NOT NULL REFERENCES public.leads(id) ON DELETE CASCADE,
      started_at timestamptz NOT NULL, transcript jsonb NOT NULL, channel text NOT NULL);
    CREATE TABLE public.appointments (
      id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY, lead_id uuid NOT NULL REFERENCES public.leads(id) ON DELETE CASCADE,
      starts_at timestamptz NOT NULL, duration interval NOT NULL, status public.appointment_status NOT NULL, calendar_event_id text);
    CREATE TABLE public.reminders (
      id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY, appointment_id bigint NOT NULL REFERENCES public.appointments(id) ON DELETE CASCADE,
      send_at timestamptz NOT NULL, kind text NOT NULL CHECK (kind IN ('email', 'sms')), sent boolean NOT NULL DEFAULT false, payload bytea);
    CREATE INDEX ON public.appointments (starts_at);
    ALTER TABLE public.leads ENABLE ROW LEVEL SECURITY;
    ALTER TABLE public.chat_sessions ENABLE ROW LEVEL SECURITY;
    ALTER TABLE public.appointments ENABLE ROW LEVEL SECURITY;
    ALTER TABLE public.reminders ENABLE ROW LEVEL SECURITY;
    ${seedSql(scale)}
    -- Like the app's updated_at/webhook triggers: a restore that let it fire would rewrite every appointment.
    CREATE FUNCTION public.stamp_calendar_event() RETURNS trigger LANGUAGE plpgsql AS $$
      BEGIN NEW.calendar_event_id := 'rewritten-by-trigger'; RETURN NEW; END $$;
    CREATE TRIGGER appointments_stamp BEFORE INSERT ON public.appointments FOR EACH ROW EXECUTE FUNCTION public.stamp_calendar_event();`;
}

export function seedSql(scale: number): string {
  return `
    INSERT INTO public.leads (created_at, full_name, email, phone, source, notes, score)
      SELECT timestamptz '2026-01-01 08:00+00' + g * interval '17 minutes', 'Patient ' || g, 'patient' || g || '@example.com',
             '+1555' || lpad(g::text, 7, '0'), (ARRAY['chat', 'form', 'phone'])[1 + g % 3], repeat('note ', g % 40), (g % 10000) / 100.0
      FROM generate_series(1, ${scale}) g;
    INSERT INTO public.chat_sessions (lead_id, started_at, transcript, channel)
      SELECT id, created_at, jsonb_build_object('messages', jsonb_build_array(jsonb_build_object('from', 'patient', 'text', 'Hello ' || full_name), jsonb_build_object('from', 'agent', 'text', 'How can we help?'))), 'web'
      FROM public.leads, generate_series(1, 2);
    INSERT INTO public.appointments (lead_id, starts_at, duration, status, calendar_event_id)
      SELECT id, created_at + interval '3 days', interval '45 minutes', (ARRAY['requested', 'confirmed', 'cancelled', 'completed'])[1 + abs(hashtext(full_name)) % 4]::public.appointment_status, md5(full_name)
      FROM public.leads WHERE abs(hashtext(email)) % 10 < 8;
    INSERT INTO public.reminders (appointment_id, send_at, kind, sent, payload)
      SELECT a.id, a.starts_at - k * interval '1 day', (ARRAY['email', 'sms'])[k], k = 2, decode(md5(a.id::text), 'hex')
      FROM public.appointments a, generate_series(1, 2) k;`;
}

/** Supabase-style read-only backup role: reads everything (pg_read_all_data), bypasses RLS for pg_dump, writes nothing. */
export function backupRoleSql(user: string, password: string): string {
  return `CREATE ROLE ${user} LOGIN PASSWORD '${password}' BYPASSRLS IN ROLE pg_read_all_data;
          ALTER ROLE ${user} SET default_transaction_read_only = on;`;
}
