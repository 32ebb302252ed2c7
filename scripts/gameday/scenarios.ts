/**
 * The game day's incidents: each injects its fault the way it happens in production, names the runbook an on-call
 * engineer is sent to and the alarm that should page, and says what "recovered" means beyond verify and the alarms
 * (the leaked value refused, the release back, nothing rolled back for a provider's outage).
 */
import { SEEDED_ROWS } from '../../tools/stand-ins/database';
import type { World } from '../../tools/stand-ins/world';

export interface Check {
  readonly ok: boolean;
  readonly detail: string;
}

export interface Scenario {
  readonly name: string;
  readonly summary: string;
  readonly runbook: string;
  /** The alarm (name without `miko-<env>-`) expected to page first; none for a fault only a person notices. */
  readonly pages?: string;
  /** Needs the PostgreSQL server and backup vault (slower to start). */
  readonly database?: boolean;
  /** Variables the runbook's commands need beside the world's (e.g. the new database to restore into). */
  prepare?(world: World): Promise<Record<string, string>>;
  /** Injects the fault; returns the scenario's own check, judged after the runbook's commands. */
  inject(world: World): Promise<() => Promise<Check>>;
}

const LIVE = 'live-release';

/** A release id like the deploy's: UTC time and a short commit. */
const releaseId = (suffix: string) =>
  `${new Date()
    .toISOString()
    .replace(/[-:]|\.\d+/g, '')
    .slice(0, 15)}Z-${suffix}`;

const releaseKeys = (world: World, release: string) =>
  world.bucket.keys().filter((k) => k.startsWith(`releases/${release}/`));

/** The live release is still the one before the fault, and the site answers it. */
function backTo(world: World, release: string): () => Promise<Check> {
  return async () => {
    const live = world.liveRelease();
    const answer = await fetch(`${world.siteUrl}/version.json`).then(
      async (r) => (r.ok ? ((await r.json()) as { release?: string }).release : `HTTP ${r.status}`),
      (e: Error) => e.message,
    );
    return live === release && answer === release
      ? { ok: true, detail: `release ${release} is live and served again` }
      : { ok: false, detail: `live pointer ${live}, site serves ${answer}; expected ${release}` };
  };
}

export const SCENARIOS: readonly Scenario[] = [
  {
    name: 'site-down',
    summary: 'the pointer names a release the bucket no longer holds (pruned): every page is an error',
    runbook: 'docs/runbooks/site-down.md',
    pages: 'critical-site-down',
    async inject(world) {
      const before = world.liveRelease()!;
      world.siteAws.store.set(LIVE, releaseId('pruned0'));
      return backTo(world, before);
    },
  },
  {
    name: 'bad-release',
    summary: 'a deploy made live a release whose index.html names a script that was never uploaded',
    runbook: 'docs/runbooks/rollback.md',
    pages: 'critical-release-asset-missing',
    async inject(world) {
      const before = world.liveRelease()!;
      const bad = releaseId('bad0001');
      for (const key of releaseKeys(world, before)) {
        const object = world.bucket.current.get(key)!;
        // Its own version.json (as a deploy writes it) and an index.html naming a script nobody uploaded.
        const text = object.body.toString('utf8');
        const body = key.endsWith('index.html')
          ? Buffer.from(text.replace(/\/assets\/[^"]+\.js/, '/assets/index-never-uploaded.js'))
          : key.endsWith('version.json')
            ? Buffer.from(text.replaceAll(before, bad))
            : object.body;
        world.bucket.put(key.replace(before, bad), { ...object, body });
      }
      world.siteAws.store.set(LIVE, bad);
      return backTo(world, before);
    },
  },
  {
    name: 'deleted-release',
    summary: "the live release's files were deleted (aws s3 rm --recursive): delete markers hide every object",
    runbook: 'docs/runbooks/restore-release.md',
    pages: 'critical-site-down',
    async inject(world) {
      const live = world.liveRelease()!;
      const before = new Map(releaseKeys(world, live).map((k) => [k, world.bucket.current.get(k)!.etag]));
      for (const key of before.keys()) world.bucket.deleteObject(key);
      return async () => {
        const missing = [...before].filter(([k, etag]) => world.bucket.current.get(k)?.etag !== etag).map(([k]) => k);
        return missing.length === 0
          ? { ok: true, detail: `all ${before.size} files of release ${live} are back, byte for byte` }
          : {
              ok: false,
              detail: `${missing.length} of ${before.size} files still missing or different: ${missing.join(', ')}`,
            };
      };
    },
  },
  {
    name: 'dependency-down',
    summary: 'Supabase stops answering for 5 minutes (modeled); nothing of ours is broken',
    runbook: 'docs/runbooks/dependency-down.md',
    pages: 'critical-database-check-failing',
    async inject(world) {
      const release = world.liveRelease()!;
      world.supabase.outage = 'down';
      // The provider comes back on its own after five modeled minutes.
      setTimeout(() => (world.supabase.outage = undefined), (300 * 1000) / world.scale).unref();
      const notRolledBack = backTo(world, release);
      return async () => {
        if (world.supabase.outage) return { ok: false, detail: 'Supabase is still down' };
        const same = await notRolledBack();
        return same.ok
          ? { ok: true, detail: `Supabase answers again; release ${release} untouched (no rollback, no redeploy)` }
          : { ok: false, detail: `the release changed during a provider outage: ${same.detail}` };
      };
    },
  },
  {
    name: 'lost-database',
    summary: 'the Supabase project was deleted, and its own backups with it; an empty new project is ready',
    runbook: 'docs/runbooks/restore-database.md',
    database: true,
    async prepare(world) {
      return { TARGET_DATABASE_URL: await world.database!.newTarget() };
    },
    async inject(world) {
      world.database!.source.stop();
      return async () => {
        const target = world.database!.targets.at(-1)!.target;
        const counts = await world.database!.counts(target).catch((e: Error) => ({ error: e.message }));
        return JSON.stringify(counts) === JSON.stringify(SEEDED_ROWS)
          ? { ok: true, detail: `row counts match the backup: ${JSON.stringify(counts)}` }
          : { ok: false, detail: `row counts ${JSON.stringify(counts)}, expected ${JSON.stringify(SEEDED_ROWS)}` };
      };
    },
  },
  {
    name: 'leaked-credential',
    summary: 'every secret value live now is reported leaked (a laptop lost with an operator session)',
    runbook: 'docs/runbooks/credential-exposure.md',
    async inject(world) {
      const leaked = {
        supabase: await world.currentValue('supabase-secret-key'),
        google: await world.currentValue('google-api-key'),
        probe: await world.currentValue('prober-health-token'),
      };
      return async () => {
        const probe = await fetch(`${world.siteUrl}/health/db`, { headers: { 'x-miko-probe-token': leaked.probe } });
        await probe.body?.cancel();
        const still = [
          world.supabase.accepts(leaked.supabase) ? 'Supabase secret key' : '',
          world.google.accepts(leaked.google, `https://${new URL(world.siteUrl).host}/`) ||
          world.google.liveKeys().some((k) => k.keyString === leaked.google)
            ? 'Google API key'
            : '',
          probe.status !== 404 ? 'probe token' : '',
        ].filter(Boolean);
        return still.length === 0
          ? {
              ok: true,
              detail: 'leaked value refused: Supabase key revoked, Google key deleted, probe token answered 404',
            }
          : { ok: false, detail: `leaked value still valid: ${still.join(', ')}` };
      };
    },
  },
];

export function scenarioNamed(name: string): Scenario | undefined {
  return SCENARIOS.find((s) => s.name === name);
}
