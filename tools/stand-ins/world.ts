/**
 * Every stand-in one environment needs, connected like the real services (game day, `npm run stand-ins`): the
 * preview serves the versioned bucket under the KeyValueStore pointer, so rollbacks and restores show; rotations,
 * health, prober, alarms and canary abort run real code, `scale` times faster; `database` adds PostgreSQL and a
 * backup. In-process: under jest (the health handler keeps module state), one world per test file.
 */
import { randomBytes } from 'node:crypto';
import type { Server } from 'node:http';
import { sep } from 'node:path';
import { CloudWatchClient } from '@aws-sdk/client-cloudwatch';
import { GetSecretValueCommand, SecretsManagerClient } from '@aws-sdk/client-secrets-manager';
import type { CloudAssembly } from 'aws-cdk-lib/cx-api';
import { SECRET_CACHE_TTL_MS } from '../../lambda/health/secret-cache';
import { SETTINGS_VARIABLE as HEALTH_SETTINGS } from '../../lambda/health/settings';
import { PROBE_TIMEOUT_MS, ProberSettings, resetProberState, runWindow } from '../../lambda/prober/run';
import { SLOT_MS } from '../../lambda/prober/schedule';
import { SETTINGS_VARIABLE as PROBER_SETTINGS } from '../../lambda/prober/settings';
import { Rotator, RotationEvent, runRotationStep } from '../../lambda/rotation/engine';
import { generatedRotator, GENERATED_SECRET_LENGTH } from '../../lambda/rotation/rotators/generated';
import { googleApiKeyRotator } from '../../lambda/rotation/rotators/google-api-key';
import { supabaseSecretKeyRotator } from '../../lambda/rotation/rotators/supabase-secret-key';
import { currentValueReader } from '../../lambda/rotation/handler';
import { abortCanary, AlarmActionEvent } from '../../lambda/canary-abort/abort';
import { jsonLogger } from '../../lambda/shared/log';
import { parseSecretValue } from '../../lambda/shared/secret-value';
import { EnvironmentName, loadAppConfig } from '../../lib/config';
import { SECRET_CREDENTIALS, SecretCredentialId, secretName } from '../../lib/secrets/inventory';
import { STAGE_IDS } from '../../lib/stage-ids';
import { environmentStacks } from '../../scripts/lib/read-assembly';
import { clientsFrom } from '../../scripts/lib/release-aws';
import { healthHandlerWith } from '../../scripts/preview/handlers';
import { startPreviewServer } from '../../scripts/preview/server';
import { loadSiteModel, SiteModel } from '../../scripts/preview/site-model';
import { alarmDefinitions } from './alarm-definitions';
import { lambdaSettings } from '../analysis/template';
import { vaultBucketName } from '../../lib/backups/vault-bucket';
import { FakeCloudFront } from './cloudfront';
import { startDatabase, StandInDatabase } from './database';
import { startS3Router } from './s3-router';
import { FakeCloudWatch } from './cloudwatch-alarm-evaluator';
import { FakeGoogle } from './google';
import { FakeN8n } from './n8n';
import { FakeSiteAws, startFakeSiteAws } from './release-aws';
import { FakeSecretsManager } from './secrets-manager';
import { FakeSupabase } from './supabase';
import { VersionedBucket } from './versioned-bucket';

export interface WorldOptions {
  readonly env: EnvironmentName;
  readonly assembly: CloudAssembly;
  /** Modeled seconds per real second (10: a 10 s alarm period lasts 1 s). */
  readonly scale: number;
  /** Run the prober and evaluate alarms (off for commands that only need the services). */
  readonly monitor?: boolean;
  /** Also a PostgreSQL server for the project, the backup vault and one backup in it (tools/stand-ins/database.ts). */
  readonly database?: boolean;
  /** Where the in-process health handler's log lines go (a Lambda's go to CloudWatch Logs); default stdout. */
  readonly lambdaLog?: (line: string) => void;
}

export interface World {
  readonly env: EnvironmentName;
  readonly scale: number;
  readonly siteUrl: string;
  readonly secretsManager: FakeSecretsManager;
  readonly supabase: FakeSupabase;
  readonly google: FakeGoogle;
  readonly n8n: FakeN8n;
  readonly siteAws: FakeSiteAws;
  readonly bucket: VersionedBucket;
  readonly cloudWatch: FakeCloudWatch;
  readonly cloudFront: FakeCloudFront;
  readonly distributionId: string;
  readonly database?: StandInDatabase;
  /** What the canary abort function told on-call (subject and message), in order. */
  readonly canaryNotices: readonly string[];
  /** The variables an operator's commands need to reach this world instead of AWS and the providers. */
  readonly operatorEnv: Readonly<Record<string, string>>;
  /** The live release the pointer names. */
  liveRelease(): string | undefined;
  /** A secret's AWSCURRENT value (for scenario checks; never printed). */
  currentValue(id: SecretCredentialId): Promise<string>;
  stop(): Promise<void>;
}

/** The prober's scaled timeout never goes below this (a hang then takes longer to count than modeled). */
const MIN_PROBE_TIMEOUT_MS = 1_000;

/** A fake distribution id in CloudFront's shape (E + 13 upper-case letters and digits). */
const DISTRIBUTION_ID = 'E2GAMEDAY0000A';

const randomToken = () => randomBytes(36).toString('base64url').replace(/[-_]/g, 'x').slice(0, GENERATED_SECRET_LENGTH);

/** The health function's settings with its dependency URLs aimed at the stand-ins and its cache on the scaled clock. */
function healthSettingsFor(model: SiteModel, urls: { supabase: string; n8n: string; google: string }, scale: number) {
  const raw = model.healthEnvironment[HEALTH_SETTINGS];
  const settings = JSON.parse(raw ?? '{"deadlineMs":3000,"checks":[]}');
  for (const check of settings.checks as Array<{ url: string }>) {
    const url = new URL(check.url);
    const base = url.hostname.endsWith('.supabase.co')
      ? urls.supabase
      : url.hostname.endsWith('googleapis.com')
        ? urls.google
        : urls.n8n;
    check.url = `${base}${url.pathname}${url.search}`;
  }
  return { ...settings, secretCacheTtlMs: SECRET_CACHE_TTL_MS / scale };
}

function proberSettingsOf(assembly: CloudAssembly, env: EnvironmentName): ProberSettings {
  const monitoring = environmentStacks(assembly, env).find((s) => s.stackName === `${STAGE_IDS[env]}-Monitoring`);
  const settings = monitoring && lambdaSettings<ProberSettings>(monitoring.template, PROBER_SETTINGS);
  if (settings) return settings;
  throw new Error(`the synthesized ${STAGE_IDS[env]}-Monitoring stack has no prober. Fix: npm run synth.`);
}

export async function startWorld(options: WorldOptions): Promise<World> {
  const { env, assembly, scale } = options;
  const config = loadAppConfig()[env];
  const stopping: Array<() => Promise<void>> = [];

  const secretsManager = new FakeSecretsManager();
  const smUrl = await secretsManager.start();
  stopping.push(() => secretsManager.stop());
  const supabase = new FakeSupabase();
  const supabaseUrl = await supabase.start();
  stopping.push(() => supabase.stop());
  const google = new FakeGoogle();
  const googleUrl = await google.start();
  stopping.push(() => google.stop());
  const n8n = new FakeN8n();
  const n8nUrl = await n8n.start();
  stopping.push(() => n8n.stop());

  // Secrets, and rotation functions built as the deployed handlers build them (lambda/rotation/handlers).
  const sm = new SecretsManagerClient({
    endpoint: smUrl,
    region: 'us-east-1',
    credentials: { accessKeyId: 'gameday', secretAccessKey: 'gameday' },
  });
  stopping.push(async () => sm.destroy());
  const log = jsonLogger({}, () => undefined);
  const lambda = (rotator: (client: SecretsManagerClient) => Rotator) => (event: RotationEvent) =>
    runRotationStep(event, { sm, rotator: rotator(sm), log });
  const name = (id: SecretCredentialId) => secretName(env, id);
  const siteReferrer = `https://${config.domain.name}/`;
  const initial: Record<SecretCredentialId, () => { value: string; keyId?: string }> = {
    'supabase-secret-key': () => supabase.addKey('set_out_of_band'),
    'supabase-management-token': () => ({ value: supabase.managementToken }),
    'n8n-webhook-secret': () => ({ value: randomToken() }),
    'n8n-api-key': () => {
      const value = randomToken();
      n8n.apiKeys.add(value);
      return { value };
    },
    'google-api-key': () =>
      google.addKey('set-out-of-band', { browserKeyRestrictions: { allowedReferrers: [`${siteReferrer}*`] } }),
    'google-rotation-credentials': () => ({ value: google.serviceAccountKey() }),
    'supabase-health-key': () => supabase.addKey('health_checks', 'publishable'),
    'prober-health-token': () => ({ value: randomToken() }),
    'supabase-backup-db-password': () => ({ value: randomToken() }),
    'supabase-storage-s3-key': () => ({
      value: JSON.stringify({ accessKeyId: 'gameday', secretAccessKey: randomToken() }),
    }),
    'drill-test-patient': () => ({ value: JSON.stringify({ email: 'drill@example.com', password: randomToken() }) }),
    'pager-integration-key': () => ({ value: randomToken() }),
  };
  const rotations: Partial<Record<SecretCredentialId, (event: RotationEvent) => Promise<void>>> = {
    'supabase-secret-key': lambda((client) =>
      supabaseSecretKeyRotator({
        managementApiUrl: supabaseUrl,
        projectRef: supabase.projectRef,
        projectUrl: supabaseUrl,
        managementToken: currentValueReader(client, name('supabase-management-token')),
      }),
    ),
    'n8n-webhook-secret': lambda((client) => generatedRotator(client)),
    'google-api-key': lambda((client) =>
      googleApiKeyRotator({
        cloudProject: google.project,
        serviceAccountKey: currentValueReader(client, name('google-rotation-credentials')),
        apiKeysUrl: googleUrl,
        testUrl: `${googleUrl}/calendar/v3/calendars/primary/events?maxResults=1`,
        testReferer: siteReferrer,
        pollIntervalMs: 50,
      }),
    ),
    'prober-health-token': lambda((client) => generatedRotator(client)),
  };
  for (const credential of SECRET_CREDENTIALS)
    secretsManager.createSecret(
      name(credential.id),
      JSON.stringify(initial[credential.id]()),
      rotations[credential.id],
    );

  // The site: bucket and pointer as the deploy left them, read by the preview on every request.
  const model = loadSiteModel(assembly, env);
  const siteAws = await startFakeSiteAws(`${STAGE_IDS[env]}-Site`);
  stopping.push(() => siteAws.close());
  const bucket = new VersionedBucket(siteAws.bucket);
  const bucketUrl = await bucket.start();
  stopping.push(() => bucket.stop());
  const database = options.database ? await startDatabase(env, vaultBucketName(env, config.account)) : undefined;
  if (database) stopping.push(() => database.stop());
  const s3 = await startS3Router({
    [bucket.name]: bucketUrl,
    // The audit trail: rollback, release and flag append to it, as in the account.
    [siteAws.auditBucket]: siteAws.url,
    ...(database ? { [database.vaultBucket]: database.vault.url } : {}),
  });
  stopping.push(() => s3.close());
  for (const [key, object] of model.objects) bucket.put(key, object);
  for (const [key, value] of model.keyValueStore) siteAws.store.set(key, value);

  // The operator's variables, set here too: the health handler and prober read them as their Lambdas would.
  const awsEnv = {
    AWS_ACCESS_KEY_ID: 'gameday',
    AWS_SECRET_ACCESS_KEY: 'gameday',
    AWS_REGION: 'us-east-1',
    AWS_DEFAULT_REGION: 'us-east-1',
    AWS_ENDPOINT_URL_SECRETS_MANAGER: smUrl,
    AWS_ENDPOINT_URL_S3: s3.url,
    AWS_ENDPOINT_URL_CLOUDFORMATION: siteAws.url,
    AWS_ENDPOINT_URL_CLOUDFRONT_KEYVALUESTORE: siteAws.url,
  };
  Object.assign(process.env, awsEnv);
  forgetHealthModules();
  const healthHandler = healthHandlerWith(
    {
      ...model.healthEnvironment,
      [HEALTH_SETTINGS]: JSON.stringify(
        healthSettingsFor(model, { supabase: supabaseUrl, n8n: n8nUrl, google: googleUrl }, scale),
      ),
    },
    options.lambdaLog,
  );
  const { server, url: siteUrl } = await startPreviewServer(
    { ...model, objects: bucket.current, keyValueStore: siteAws.store },
    { healthHandler },
  );
  stopping.push(() => closeServer(server));
  siteAws.extraOutputs.DistributionId = DISTRIBUTION_ID;
  siteAws.extraOutputs.SiteUrl = siteUrl;

  const cloudFront = new FakeCloudFront(DISTRIBUTION_ID);
  const cloudFrontUrl = await cloudFront.start();
  stopping.push(() => cloudFront.stop());

  // The canary alarms' Lambda action (the only function an alarm invokes): the real abort function on this store.
  const releaseClients = clientsFrom(awsEnv);
  stopping.push(async () => Object.values(releaseClients).forEach((client) => client.destroy()));
  const canaryNotices: string[] = [];
  const abort = (event: AlarmActionEvent) =>
    abortCanary(
      event,
      { environment: env, kvsArn: siteAws.kvsArn, auditBucket: siteAws.auditBucket },
      {
        kvs: releaseClients.kvs,
        s3: releaseClients.s3,
        log: () => undefined,
        notify: async (subject, message) => void canaryNotices.push(`${subject}\n${message}`),
      },
    ).catch((error: Error) => void canaryNotices.push(`abort failed: ${error.message}`));
  const cloudWatch = new FakeCloudWatch(alarmDefinitions(assembly, env), scale, Date.now(), (_, event) => abort(event));
  const cloudWatchUrl = await cloudWatch.start();
  stopping.push(() => cloudWatch.stop());
  if (options.monitor !== false) {
    cloudWatch.run();
    stopping.push(startProber(proberSettingsOf(assembly, env), siteUrl, cloudWatchUrl, sm, scale));
  }

  const operatorEnv = {
    ...awsEnv,
    AWS_ENDPOINT_URL_CLOUDWATCH: cloudWatchUrl,
    AWS_ENDPOINT_URL_CLOUDFRONT: cloudFrontUrl,
    MIKO_SITE_URL: siteUrl,
    MIKO_SUPABASE_URL: supabaseUrl,
    MIKO_GOOGLE_API_URL: googleUrl,
    MIKO_TIME_SCALE: String(scale),
  };
  return {
    env,
    scale,
    siteUrl,
    secretsManager,
    supabase,
    google,
    n8n,
    siteAws,
    bucket,
    cloudWatch,
    cloudFront,
    distributionId: DISTRIBUTION_ID,
    database,
    canaryNotices,
    operatorEnv,
    liveRelease: () => siteAws.store.get('live-release'),
    currentValue: async (id) =>
      parseSecretValue((await sm.send(new GetSecretValueCommand({ SecretId: name(id) }))).SecretString, name(id)).value,
    async stop() {
      for (const stop of stopping.reverse()) await stop().catch(() => undefined);
    },
  };
}

/**
 * The health handler keeps its settings, client and caches in module scope, as a Lambda container does; a second
 * world in the same process (the game day's next scenario) needs a fresh one, as a new container would be.
 */
function forgetHealthModules(): void {
  const folder = `${sep}lambda${sep}health${sep}`;
  for (const path of Object.keys(require.cache)) if (path.includes(folder)) delete require.cache[path];
}

function closeServer(server: Server): Promise<void> {
  return new Promise((resolve) => {
    server.closeAllConnections();
    server.close(() => resolve());
  });
}

/**
 * The real prober's windows back to back on the scaled clock, publishing to the CloudWatch stand-in; its token is
 * read as the deployed prober reads it (AWSCURRENT, cached like the health API's, on the scaled clock).
 */
function startProber(
  deployed: ProberSettings,
  siteUrl: string,
  cloudWatchUrl: string,
  sm: SecretsManagerClient,
  scale: number,
): () => Promise<void> {
  const slotMs = (deployed.slotMs ?? SLOT_MS) / scale;
  const settings: ProberSettings = {
    ...deployed,
    siteUrl,
    slotMs,
    windowMs: 12 * slotMs,
    // Scaled, but never under a second: a loaded laptop must not turn a slow local answer into a false outage.
    timeoutMs: Math.max(MIN_PROBE_TIMEOUT_MS, (deployed.timeoutMs ?? PROBE_TIMEOUT_MS) / scale),
  };
  const cloudWatch = new CloudWatchClient({
    endpoint: cloudWatchUrl,
    region: 'us-east-1',
    credentials: { accessKeyId: 'gameday', secretAccessKey: 'gameday' },
  });
  let cached: { value: Promise<string>; until: number } | undefined;
  const probeToken = deployed.probeToken
    ? () => {
        if (!cached || cached.until < Date.now())
          cached = {
            value: sm
              .send(new GetSecretValueCommand({ SecretId: deployed.probeToken!.secretName }))
              .then((got) => parseSecretValue(got.SecretString, 'probe token').value),
            until: Date.now() + SECRET_CACHE_TTL_MS / scale,
          };
        return cached.value;
      }
    : undefined;
  resetProberState(); // a new world's prober starts cold, as a new Lambda container would
  let running = true;
  const loop = (async () => {
    while (running) {
      const start = Math.ceil(Date.now() / slotMs) * slotMs;
      await runWindow(settings, start, { cloudWatch, probeToken, log: () => undefined });
    }
  })();
  return async () => {
    running = false;
    await loop.catch(() => undefined);
    cloudWatch.destroy();
  };
}
