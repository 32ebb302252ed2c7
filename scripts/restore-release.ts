/**
 * Restore a deleted or corrupted release from the bucket's versions: undeletes keys under `releases/<id>/` and
 * `assets/` (with --before: copies back each key's version from before that time; copy-object keeps the metadata).
 * Then invalidates `/*` so edges drop the bad objects, checks index.html and writes the audit record. The
 * noncurrent-version lifecycle decides how far back it can go.
 */
import { CloudFrontClient, CreateInvalidationCommand } from '@aws-sdk/client-cloudfront';
import { DescribeStacksCommand } from '@aws-sdk/client-cloudformation';
import { CopyObjectCommand, ListObjectVersionsCommand, S3Client } from '@aws-sdk/client-s3';
import { readLiveRelease, releaseExists } from '../lambda/shared/release-pointer';
import { EnvironmentName, REQUIRED_REGION } from '../lib/config';
import { RELEASE_ID_PATTERN } from '../lib/site/release-content';
import { STAGE_IDS } from '../lib/stage-ids';
import { explainAwsErrorForArgv } from './lib/aws-access';
import { NOT_RECORDED_EXIT, recordChange } from './lib/audit-record';
import { actor, clientsFrom } from './lib/release-aws';
import { environmentFlag, FlagValues, Io, processIo, runCommand, runIfMain, UsageError } from './lib/command';

export const DEFAULT_REASON = 'deleted or corrupted release files restored (no --reason given)';

const USAGE = `usage: npm run restore-release -- --env <staging|production> --release <id>|live [--before <ISO time>] [--reason <why>]
  --before  put every object changed since this time back to its version from before it (corrupted files);
            without it, deleted files (delete markers) are undeleted
  --reason  why, for the audit trail (default "${DEFAULT_REASON}")
Exit codes: 0 restored and index.html present; 1 still incomplete or AWS failed; 2 usage; 4 restored but the audit
record could not be written (NOT RECORDED)`;

interface Options {
  readonly env: EnvironmentName;
  readonly release: string;
  readonly before?: Date;
  /** The audit record's why. */
  readonly reason: string;
}

interface VersionEntry {
  readonly key: string;
  readonly versionId: string;
  readonly lastModified: Date;
  readonly deleteMarker: boolean;
}

const SPEC = {
  name: 'restore-release',
  usage: USAGE,
  options: {
    env: { type: 'string' as const },
    release: { type: 'string' as const },
    before: { type: 'string' as const },
    reason: { type: 'string' as const },
  },
};

function parse(flags: FlagValues): Options {
  const values = flags as { env?: string; release?: string; before?: string; reason?: string };
  const env = environmentFlag(values.env);
  if (!values.release || (values.release !== 'live' && !RELEASE_ID_PATTERN.test(values.release)))
    throw new UsageError(
      '--release must be a release id or "live". Fix: --release live (npm run rollback -- --list shows ids).',
    );
  const before = values.before === undefined ? undefined : new Date(values.before);
  if (before && Number.isNaN(before.getTime()))
    throw new UsageError(
      `--before "${values.before}" is not an ISO 8601 time. Fix: e.g. --before 2026-12-07T03:00:00Z.`,
    );
  if (values.reason !== undefined && !values.reason.trim())
    throw new UsageError('--reason is empty. Fix: say why, e.g. --reason "live files deleted by a cleanup script".');
  return {
    env,
    release: values.release,
    before,
    reason: values.reason ?? DEFAULT_REASON,
  };
}

async function versionsUnder(s3: S3Client, bucket: string, prefix: string): Promise<VersionEntry[]> {
  const entries: VersionEntry[] = [];
  let keyMarker: string | undefined;
  let versionIdMarker: string | undefined;
  for (;;) {
    const page = await s3.send(
      new ListObjectVersionsCommand({
        Bucket: bucket,
        Prefix: prefix,
        KeyMarker: keyMarker,
        VersionIdMarker: versionIdMarker,
      }),
    );
    for (const v of page.Versions ?? [])
      entries.push({ key: v.Key!, versionId: v.VersionId!, lastModified: v.LastModified!, deleteMarker: false });
    for (const m of page.DeleteMarkers ?? [])
      entries.push({ key: m.Key!, versionId: m.VersionId!, lastModified: m.LastModified!, deleteMarker: true });
    if (!page.IsTruncated) return entries;
    keyMarker = page.NextKeyMarker;
    versionIdMarker = page.NextVersionIdMarker;
  }
}

/** Per key, the version to copy back (undefined: leave it), newest first as S3 orders versions. */
export function versionsToRestore(entries: readonly VersionEntry[], before?: Date): VersionEntry[] {
  const byKey = new Map<string, VersionEntry[]>();
  for (const e of entries) byKey.set(e.key, [...(byKey.get(e.key) ?? []), e]);
  const chosen: VersionEntry[] = [];
  for (const versions of byKey.values()) {
    const newestFirst = [...versions].sort((a, b) => b.lastModified.getTime() - a.lastModified.getTime());
    const latest = newestFirst[0];
    const target = before
      ? newestFirst.find((v) => !v.deleteMarker && v.lastModified < before)
      : latest.deleteMarker
        ? newestFirst.find((v) => !v.deleteMarker)
        : undefined;
    if (target && target.versionId !== latest.versionId) chosen.push(target);
  }
  return chosen.sort((a, b) => a.key.localeCompare(b.key));
}

async function siteStackOutputs(options: Options, clients: ReturnType<typeof clientsFrom>) {
  const stackName = `${STAGE_IDS[options.env]}-Site`;
  const { Stacks } = await clients.cloudFormation.send(new DescribeStacksCommand({ StackName: stackName }));
  const outputs = Object.fromEntries((Stacks?.[0]?.Outputs ?? []).map((o) => [o.OutputKey, o.OutputValue]));
  if (!outputs.SiteBucketName || !outputs.DistributionId || !outputs.ReleasePointerArn)
    throw new Error(
      `${stackName} has no SiteBucketName/DistributionId/ReleasePointerArn output. Fix: deploy the Site stack.`,
    );
  return outputs as Record<'SiteBucketName' | 'DistributionId' | 'ReleasePointerArn', string> & {
    readonly AuditBucketName?: string;
  };
}

export function main(argv: string[], io: Io = processIo): Promise<number> {
  return runCommand(SPEC, argv, io, async (values) => {
    const options = parse(values);
    try {
      return await restore(options, io);
    } catch (error) {
      io.err(`restore-release failed: ${explainAwsErrorForArgv('npm run restore-release', argv, error).message}`);
      return 1;
    }
  });
}

async function restore(options: Options, io: Io): Promise<number> {
  const clients = clientsFrom(process.env);
  const cloudFront = new CloudFrontClient({ region: REQUIRED_REGION, maxAttempts: 2 });
  try {
    const outputs = await siteStackOutputs(options, clients);
    const bucket = outputs.SiteBucketName;
    const release =
      options.release === 'live' ? await readLiveRelease(clients.kvs, outputs.ReleasePointerArn) : options.release;
    if (!release) throw new Error('the live pointer names no release. Fix: pass --release <id>.');
    const prefixes = [`releases/${release}/`, 'assets/'];
    const chosen = (await Promise.all(prefixes.map((p) => versionsUnder(clients.s3, bucket, p)))).flatMap((entries) =>
      versionsToRestore(entries, options.before),
    );
    for (const version of chosen) {
      await clients.s3.send(
        new CopyObjectCommand({
          Bucket: bucket,
          Key: version.key,
          CopySource: `${bucket}/${encodeURIComponent(version.key)}?versionId=${encodeURIComponent(version.versionId)}`,
          MetadataDirective: 'COPY',
        }),
      );
      io.out(`restored ${version.key} from version ${version.versionId} (${version.lastModified.toISOString()})`);
    }
    const recorded =
      chosen.length === 0 ||
      (await recordChange(
        clients.s3,
        outputs.AuditBucketName,
        {
          env: options.env,
          action: 'release-restore',
          who: actor(),
          before: {
            release,
            files: options.before ? `changed since ${options.before.toISOString()}` : 'deleted',
            keys: chosen.map((v) => v.key),
          },
          after: { release, restored: Object.fromEntries(chosen.map((v) => [v.key, v.versionId])) },
          why: options.reason,
        },
        io.err,
      ));
    if (chosen.length > 0) {
      const { Invalidation } = await cloudFront.send(
        new CreateInvalidationCommand({
          DistributionId: outputs.DistributionId,
          InvalidationBatch: {
            CallerReference: `restore-release-${Date.now()}`,
            Paths: { Quantity: 1, Items: ['/*'] },
          },
        }),
      );
      io.out(`invalidated /* on ${outputs.DistributionId} (${Invalidation?.Id ?? '?'}): edges drop what they cached`);
    }
    if (!(await releaseExists(clients.s3, bucket, release))) {
      io.err(
        `restore-release: releases/${release}/index.html is still missing (its versions expired). Fix: rebuild that commit and deploy it (docs/runbooks/restore-release.md).`,
      );
      return 1;
    }
    io.out(
      `restore-release ${options.env}: release ${release} is complete in ${bucket} (${chosen.length} object(s) restored). Next: npm run verify -- --env ${options.env} --release live --skip-alarms`,
    );
    return recorded ? 0 : NOT_RECORDED_EXIT;
  } finally {
    cloudFront.destroy();
    clients.s3.destroy();
    clients.cloudFormation.destroy();
    clients.kvs.destroy();
  }
}

runIfMain(module, main);
