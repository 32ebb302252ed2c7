/**
 * A PostgreSQL server shaped as a Supabase project is: the API roles (anon, authenticated, service_role, with
 * authenticator and the auth/storage admins), pgcrypto in `extensions`, the `auth` schema as GoTrue migrates it
 * (users with bcrypt hashes, identities, MFA factors, auth.uid()/role()/jwt() reading request.jwt.claims) and the
 * `storage` schema as storage-api migrates it (buckets, objects with their generated path_tokens, migrations), with
 * RLS on and Supabase's grants. Columns are the ones the restore and the drill depend on, not every one GoTrue has.
 *
 * `supabaseShapeSql()` is what a new project starts with (a restore target); `patientsSql()` adds what the practice
 * keeps on top of it: profiles and appointments owned by patients, their RLS policies and grants, a trigger on
 * auth.users, a photos bucket with its storage policy, and patients whose passwords are hashed as GoTrue hashes them.
 */

export const KNOWN_PATIENT = { email: 'drill.patient@example.com', password: ['drill', 'pw', 'A1'].join('-') };

export function supabaseShapeSql(): string {
  return `
    DO $$ BEGIN
      IF NOT EXISTS (SELECT FROM pg_roles WHERE rolname = 'anon') THEN
        CREATE ROLE anon NOLOGIN NOINHERIT;
        CREATE ROLE authenticated NOLOGIN NOINHERIT;
        CREATE ROLE service_role NOLOGIN NOINHERIT BYPASSRLS;
        CREATE ROLE authenticator NOINHERIT LOGIN;
        CREATE ROLE supabase_auth_admin NOINHERIT CREATEROLE LOGIN;
        CREATE ROLE supabase_storage_admin NOINHERIT CREATEROLE LOGIN;
      END IF;
    END $$;
    GRANT anon, authenticated, service_role TO authenticator;
    GRANT anon, authenticated, service_role TO postgres;
    CREATE SCHEMA extensions;
    CREATE EXTENSION pgcrypto WITH SCHEMA extensions;
    GRANT USAGE ON SCHEMA public TO anon, authenticated, service_role;
    ALTER DEFAULT PRIVILEGES IN SCHEMA public GRANT ALL ON TABLES TO anon, authenticated, service_role;

    CREATE SCHEMA auth AUTHORIZATION supabase_auth_admin;
    CREATE TYPE auth.factor_type AS ENUM ('totp', 'webauthn', 'phone');
    CREATE TYPE auth.factor_status AS ENUM ('unverified', 'verified');
    CREATE TABLE auth.users (
      instance_id uuid, id uuid PRIMARY KEY, aud varchar(255), role varchar(255), email varchar(255),
      encrypted_password varchar(255), email_confirmed_at timestamptz, invited_at timestamptz,
      confirmation_token varchar(255), recovery_token varchar(255), last_sign_in_at timestamptz,
      raw_app_meta_data jsonb, raw_user_meta_data jsonb, is_super_admin boolean, created_at timestamptz,
      updated_at timestamptz, phone text UNIQUE DEFAULT NULL, phone_confirmed_at timestamptz,
      banned_until timestamptz, is_sso_user boolean NOT NULL DEFAULT false, deleted_at timestamptz,
      is_anonymous boolean NOT NULL DEFAULT false);
    CREATE UNIQUE INDEX users_email_partial_key ON auth.users (email) WHERE is_sso_user = false;
    CREATE TABLE auth.identities (
      provider_id text NOT NULL, user_id uuid NOT NULL REFERENCES auth.users (id) ON DELETE CASCADE,
      identity_data jsonb NOT NULL, provider text NOT NULL, last_sign_in_at timestamptz, created_at timestamptz,
      updated_at timestamptz, email text GENERATED ALWAYS AS (lower(identity_data ->> 'email')) STORED,
      id uuid PRIMARY KEY DEFAULT gen_random_uuid(), UNIQUE (provider_id, provider));
    CREATE TABLE auth.mfa_factors (
      id uuid PRIMARY KEY, user_id uuid NOT NULL REFERENCES auth.users (id) ON DELETE CASCADE, friendly_name text,
      factor_type auth.factor_type NOT NULL, status auth.factor_status NOT NULL, created_at timestamptz NOT NULL,
      updated_at timestamptz NOT NULL, secret text);
    CREATE TABLE auth.schema_migrations (version varchar(255) PRIMARY KEY);
    INSERT INTO auth.schema_migrations VALUES ('20171026211738'), ('20240806073726');
    CREATE FUNCTION auth.uid() RETURNS uuid LANGUAGE sql STABLE AS $$
      SELECT coalesce(nullif(current_setting('request.jwt.claim.sub', true), ''),
                      (nullif(current_setting('request.jwt.claims', true), '')::jsonb ->> 'sub'))::uuid $$;
    CREATE FUNCTION auth.role() RETURNS text LANGUAGE sql STABLE AS $$
      SELECT coalesce(nullif(current_setting('request.jwt.claim.role', true), ''),
                      (nullif(current_setting('request.jwt.claims', true), '')::jsonb ->> 'role'))::text $$;
    CREATE FUNCTION auth.jwt() RETURNS jsonb LANGUAGE sql STABLE AS $$
      SELECT coalesce(nullif(current_setting('request.jwt.claim', true), ''),
                      nullif(current_setting('request.jwt.claims', true), ''))::jsonb $$;
    ALTER TABLE auth.users ENABLE ROW LEVEL SECURITY;
    ALTER TABLE auth.identities ENABLE ROW LEVEL SECURITY;
    ALTER TABLE auth.mfa_factors ENABLE ROW LEVEL SECURITY;
    ALTER TABLE auth.users OWNER TO supabase_auth_admin;
    ALTER TABLE auth.identities OWNER TO supabase_auth_admin;
    ALTER TABLE auth.mfa_factors OWNER TO supabase_auth_admin;
    GRANT USAGE ON SCHEMA auth TO anon, authenticated, service_role;
    GRANT ALL ON ALL TABLES IN SCHEMA auth TO postgres, service_role;

    CREATE SCHEMA storage AUTHORIZATION supabase_storage_admin;
    CREATE TABLE storage.buckets (
      id text PRIMARY KEY, name text NOT NULL, owner uuid, created_at timestamptz DEFAULT now(),
      updated_at timestamptz DEFAULT now(), public boolean DEFAULT false, avif_autodetection boolean DEFAULT false,
      file_size_limit bigint, allowed_mime_types text[], owner_id text);
    CREATE TABLE storage.objects (
      id uuid PRIMARY KEY DEFAULT gen_random_uuid(), bucket_id text REFERENCES storage.buckets (id), name text,
      owner uuid, created_at timestamptz DEFAULT now(), updated_at timestamptz DEFAULT now(),
      last_accessed_at timestamptz DEFAULT now(), metadata jsonb,
      path_tokens text[] GENERATED ALWAYS AS (string_to_array(name, '/')) STORED, version text, owner_id text,
      user_metadata jsonb);
    CREATE UNIQUE INDEX bucketid_objname ON storage.objects (bucket_id, name);
    CREATE TABLE storage.migrations (
      id integer PRIMARY KEY, name varchar(100) UNIQUE NOT NULL, hash varchar(40) NOT NULL,
      executed_at timestamp DEFAULT current_timestamp);
    INSERT INTO storage.migrations (id, name, hash) VALUES (0, 'create-migrations-table', 'e18db593'), (1, 'initialmigration', '6ab16121');
    CREATE FUNCTION storage.foldername(name text) RETURNS text[] LANGUAGE plpgsql AS $$
      DECLARE _parts text[]; BEGIN SELECT string_to_array(name, '/') INTO _parts;
      RETURN _parts[1:array_length(_parts, 1) - 1]; END $$;
    ALTER TABLE storage.buckets ENABLE ROW LEVEL SECURITY;
    ALTER TABLE storage.objects ENABLE ROW LEVEL SECURITY;
    ALTER TABLE storage.buckets OWNER TO supabase_storage_admin;
    ALTER TABLE storage.objects OWNER TO supabase_storage_admin;
    GRANT USAGE ON SCHEMA storage TO anon, authenticated, service_role;
    GRANT ALL ON storage.buckets, storage.objects TO anon, authenticated, service_role, postgres;`;
}

/**
 * `patients` patients (the first is KNOWN_PATIENT) on a Supabase-shaped server, each with a profile, appointments and
 * a photo row (`patient-photos`, `<user id>/before.jpg`); bcrypt hashes ($2a$, as GoTrue) at cost 6 seed fast.
 */
export function patientsSql(patients: number): string {
  return `
    CREATE TABLE public.profiles (
      id uuid PRIMARY KEY REFERENCES auth.users (id) ON DELETE CASCADE, full_name text, date_of_birth date,
      updated_at timestamptz NOT NULL DEFAULT now());
    CREATE TABLE public.appointments (
      id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
      patient_id uuid NOT NULL REFERENCES auth.users (id) ON DELETE CASCADE,
      starts_at timestamptz NOT NULL, procedure text NOT NULL, notes text);
    ALTER TABLE public.profiles ENABLE ROW LEVEL SECURITY;
    ALTER TABLE public.appointments ENABLE ROW LEVEL SECURITY;
    CREATE POLICY "patients read their own profile" ON public.profiles FOR SELECT TO authenticated
      USING (auth.uid() = id);
    CREATE POLICY "patients update their own profile" ON public.profiles FOR UPDATE TO authenticated
      USING (auth.uid() = id) WITH CHECK (auth.uid() = id);
    CREATE POLICY "patients see their own appointments" ON public.appointments FOR SELECT TO authenticated
      USING (auth.uid() = patient_id);
    REVOKE ALL ON public.profiles, public.appointments FROM anon;
    GRANT SELECT, UPDATE ON public.profiles TO authenticated;
    GRANT SELECT ON public.appointments TO authenticated;
    GRANT ALL ON public.profiles, public.appointments TO service_role;
    CREATE POLICY "patients read their own photos" ON storage.objects FOR SELECT TO authenticated
      USING (bucket_id = 'patient-photos' AND (storage.foldername(name))[1] = auth.uid()::text);
    -- As the app's own trigger does: every new login gets a profile. A restore must not fire it (the rows exist).
    CREATE FUNCTION public.handle_new_user() RETURNS trigger LANGUAGE plpgsql SECURITY DEFINER SET search_path = '' AS $$
      BEGIN INSERT INTO public.profiles (id, full_name) VALUES (NEW.id, NEW.raw_user_meta_data ->> 'full_name'); RETURN NEW; END $$;
    CREATE TRIGGER on_auth_user_created AFTER INSERT ON auth.users FOR EACH ROW EXECUTE FUNCTION public.handle_new_user();

    INSERT INTO auth.users (instance_id, id, aud, role, email, encrypted_password, email_confirmed_at, raw_app_meta_data,
                            raw_user_meta_data, created_at, updated_at)
      SELECT '00000000-0000-0000-0000-000000000000', gen_random_uuid(), 'authenticated', 'authenticated',
             CASE WHEN g = 1 THEN '${KNOWN_PATIENT.email}' ELSE 'patient' || g || '@example.com' END,
             extensions.crypt(CASE WHEN g = 1 THEN '${KNOWN_PATIENT.password}' ELSE 'password-' || g END, extensions.gen_salt('bf', 6)),
             timestamptz '2026-01-01 08:00+00' + g * interval '1 hour', '{"provider": "email", "providers": ["email"]}',
             jsonb_build_object('full_name', 'Patient ' || g), timestamptz '2026-01-01 08:00+00', timestamptz '2026-01-01 08:00+00'
      FROM generate_series(1, ${patients}) g;
    INSERT INTO auth.identities (provider_id, user_id, identity_data, provider, created_at, updated_at)
      SELECT id::text, id, jsonb_build_object('sub', id::text, 'email', email), 'email', created_at, updated_at FROM auth.users;
    INSERT INTO auth.mfa_factors (id, user_id, friendly_name, factor_type, status, created_at, updated_at)
      SELECT gen_random_uuid(), id, 'phone app', 'totp', 'verified', created_at, updated_at FROM auth.users WHERE email LIKE '%1@%';
    UPDATE public.profiles SET date_of_birth = date '1980-01-01' + (abs(hashtext(id::text)) % 10000);
    INSERT INTO public.appointments (patient_id, starts_at, procedure, notes)
      SELECT id, created_at + k * interval '30 days', (ARRAY['consultation', 'follow-up', 'aftercare'])[k], 'note ' || k
      FROM auth.users, generate_series(1, 3) k;
    INSERT INTO storage.buckets (id, name, public) VALUES ('patient-photos', 'patient-photos', false);
    INSERT INTO storage.objects (bucket_id, name, owner, owner_id, metadata)
      SELECT 'patient-photos', id || '/before.jpg', id, id::text, '{"mimetype": "image/jpeg"}' FROM auth.users;`;
}
