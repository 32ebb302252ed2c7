/**
 * Moving the live pointer and rolling back, with the real AWS SDK clients against a local stand-in of
 * CloudFormation, S3 and the CloudFront KeyValueStore API on 127.0.0.1.
 */
import { CloudFormationClient } from '@aws-sdk/client-cloudformation';
import { handler, movePointer } from '../../lambda/release-pointer/handler';
import { releasesToPrune, summarizeReleases } from '../../lambda/shared/release-pointer';
import { clientsFrom, main, rollback } from '../../scripts/rollback';
import { FakeSiteAws, startFakeSiteAws } from '../../tools/stand-ins/release-aws';
import { withLowRetryJitter } from '../support/retry-jitter';
import { runScript } from '../support/run-script';

const day = (n: number) => new Date(Date.UTC(2026, 10, n));

describe('which releases are pruned', () => {
  const releases = summarizeReleases([
    { key: 'releases/r1/index.html', lastModified: day(1) },
    { key: 'releases/r2/index.html', lastModified: day(2) },
    { key: 'releases/r2/config.json', lastModified: day(2) },
    { key: 'releases/r3/index.html', lastModified: day(3) },
    { key: 'releases/r4/index.html', lastModified: day(4) },
    { key: 'assets/app-abc.js', lastModified: day(1) },
  ]);

  it('groups objects into releases, newest first, ignoring assets', () => {
    expect(releases.map((r) => r.id)).toEqual(['r4', 'r3', 'r2', 'r1']);
  });

  it('keeps the N newest besides the live one', () => {
    expect(releasesToPrune(releases, 'r4', 2)).toEqual(['r1']);
  });

  it('dates a release by its newest file, and ignores keys outside releases/ or without an id', () => {
    const summary = summarizeReleases([
      { key: 'releases/r5/a.js', lastModified: day(5) },
      { key: 'releases/r5/index.html', lastModified: day(7) },
      { key: 'releases/r5/config.json', lastModified: day(6) },
      { key: 'releases//index.html', lastModified: day(9) },
      { key: 'other/r9/index.html', lastModified: day(9) },
    ]);
    expect(summary).toEqual([{ id: 'r5', uploadedAt: day(7) }]);
  });

  it('never prunes the live release, even when it is the oldest (after a rollback)', () => {
    expect(releasesToPrune(releases, 'r1', 1)).toEqual(['r3', 'r2']);
    expect(releasesToPrune(releases, 'r1', 1)).not.toContain('r1');
    expect(releasesToPrune(releases, 'r1', 0)).not.toContain('r1');
  });
});

describe('the pointer, against a local AWS stand-in', () => {
  let aws: FakeSiteAws;
  const env = () => ({
    AWS_ENDPOINT_URL: aws.url,
    AWS_ACCESS_KEY_ID: 'AKIDTEST',
    AWS_SECRET_ACCESS_KEY: 'test-secret',
    MIKO_AWS_TIMEOUT_MS: '500',
  });

  beforeEach(async () => {
    aws = await startFakeSiteAws('Production-Site');
    for (const [id, n] of [
      ['r1', 1],
      ['r2', 2],
      ['r3', 3],
    ] as const) {
      aws.objects.set(`releases/${id}/index.html`, day(n));
      aws.objects.set(`releases/${id}/config.json`, day(n));
    }
    aws.objects.set('assets/app-abc.js', day(1));
    aws.store.set('live-release', 'r3');
  });
  afterEach(() => aws.close());

  it('deploy: moves the pointer to the new release, signed with SigV4a, and prunes beyond the count', async () => {
    aws.objects.set('releases/r4/index.html', day(4));
    const { pruned } = await movePointer(
      { KvsArn: aws.kvsArn, BucketName: aws.bucket, ReleaseId: 'r4', ReleasesToKeep: '2' },
      clientsFrom(env()),
    );
    expect(aws.store.get('live-release')).toBe('r4');
    expect(pruned).toEqual(['r1']);
    expect([...aws.objects.keys()].filter((k) => k.startsWith('releases/r1/'))).toEqual([]);
    expect(aws.objects.has('assets/app-abc.js')).toBe(true);
    expect(new Set(aws.kvsAuthSchemes)).toEqual(new Set(['AWS4-ECDSA-P256-SHA256']));
  });

  it('canary deploy: serves the new release to the first step, keeps live (even the oldest) and records the deploy', async () => {
    aws.store.set('live-release', 'r1');
    aws.objects.set('releases/r4/index.html', day(4));
    const { pruned } = await movePointer(
      {
        KvsArn: aws.kvsArn,
        BucketName: aws.bucket,
        ReleaseId: 'r4',
        ReleasesToKeep: '1',
        FirstCanaryWeight: '5',
        AuditBucket: aws.auditBucket,
        EnvName: 'production',
        DeployedBy: 'github:miko/infra/actions/runs/7 (alice)',
      },
      clientsFrom(env()),
    );
    expect(aws.store.get('live-release')).toBe('r1');
    expect(JSON.parse(aws.store.get('canary')!)).toEqual({ release: 'r4', weight: 5 });
    expect(pruned).toEqual(['r2']);
    const [record] = [...aws.auditObjects.values()].map((b) => JSON.parse(b.toString()));
    expect(record).toMatchObject({
      action: 'deploy',
      who: 'github:miko/infra/actions/runs/7 (alice)',
      before: { live: 'r1', canary: null },
      after: { live: 'r1', canary: { release: 'r4', weight: 5 } },
      why: 'deploy of release r4',
    });
  });

  it('deploy then rollback: each write is conditional on the ETag read just before it', async () => {
    aws.objects.set('releases/r4/index.html', day(4));
    await movePointer(
      { KvsArn: aws.kvsArn, BucketName: aws.bucket, ReleaseId: 'r4', ReleasesToKeep: '5' },
      clientsFrom(env()),
    );
    await rollback(['--env', 'production', '--release', 'r2', '--reason', 'test'], clientsFrom(env()), () => undefined);
    expect(aws.store.get('live-release')).toBe('r2');
    expect(aws.conflicts).toBe(0);
  });

  it('deploy: a pointer moved between its read and its write is not overwritten blind: the write is refused, then decided again on the fresh state', async () => {
    aws.objects.set('releases/r4/index.html', day(4));
    aws.writeBetweenReadAndWrite = { key: 'live-release', value: 'r2' };
    const { pruned } = await movePointer(
      { KvsArn: aws.kvsArn, BucketName: aws.bucket, ReleaseId: 'r4', ReleasesToKeep: '2' },
      clientsFrom(env()),
    );
    expect(aws.writeBetweenReadAndWrite).toBeUndefined(); // the other writer did write in between
    expect(aws.conflicts).toBe(1); // the stale ETag's write was refused
    expect(aws.store.get('live-release')).toBe('r4');
    // Decided on the fresh state: r2, live when the write went through, was never a candidate for pruning.
    expect(pruned).not.toContain('r2');
  });

  it('rollback: a concurrent change between read and write is re-read before the pointer moves', async () => {
    aws.writeBetweenReadAndWrite = { key: 'live-release', value: 'r2' };
    await rollback(['--env', 'production', '--release', 'r1', '--reason', 'test'], clientsFrom(env()), () => undefined);
    expect(aws.conflicts).toBe(1);
    expect(aws.store.get('live-release')).toBe('r1');
  });

  it('rollback: rides out one throttled KeyValueStore call (the SDK retries), and names the throttling when it persists', () =>
    withLowRetryJitter(async () => {
      aws.throttleKvs = 1;
      await rollback(
        ['--env', 'production', '--release', 'r1', '--reason', 'test'],
        clientsFrom(env()),
        () => undefined,
      );
      expect(aws.store.get('live-release')).toBe('r1');
      expect(aws.throttleKvs).toBe(0);

      aws.throttleKvs = 2; // maxAttempts is 2: both attempts throttled
      await expect(
        rollback(['--env', 'production', '--release', 'r2', '--reason', 'test'], clientsFrom(env()), () => undefined),
      ).rejects.toMatchObject({ name: 'ThrottlingException', message: 'Rate exceeded' });
      expect(aws.store.get('live-release')).toBe('r1');
    }));

  it('deploy: refuses to point at a release whose files are not in the bucket', async () => {
    await expect(
      movePointer(
        { KvsArn: aws.kvsArn, BucketName: aws.bucket, ReleaseId: 'r9', ReleasesToKeep: '2' },
        clientsFrom(env()),
      ),
    ).rejects.toThrow(/r9 has no index.html/);
    expect(aws.store.get('live-release')).toBe('r3');
  });

  it('custom resource: answers CloudFormation FAILED with the reason, and SUCCESS on delete without touching the pointer', async () => {
    const event = (RequestType: 'Create' | 'Delete') => ({
      RequestType,
      ResponseURL: `${aws.url}/cfn-response`,
      StackId: 'stack',
      RequestId: 'req',
      LogicalResourceId: 'LiveRelease',
      ResourceProperties: { KvsArn: aws.kvsArn, BucketName: aws.bucket, ReleaseId: 'r9', ReleasesToKeep: '2' },
    });
    const saved = { ...process.env };
    Object.assign(process.env, {
      AWS_ENDPOINT_URL: aws.url,
      AWS_ACCESS_KEY_ID: 'AKIDTEST',
      AWS_SECRET_ACCESS_KEY: 'test-secret',
      AWS_REGION: 'us-east-1',
      AWS_S3_FORCE_PATH_STYLE: 'true',
    });
    try {
      await handler(event('Delete'));
      expect(aws.cfnResponses.pop()).toEqual({
        Status: 'SUCCESS',
        Reason: 'see the function log',
        PhysicalResourceId: 'live-release-pointer',
        StackId: 'stack',
        RequestId: 'req',
        LogicalResourceId: 'LiveRelease',
      });
      const logged: string[] = [];
      jest.spyOn(console, 'log').mockImplementation((line: string) => void logged.push(line));
      await handler({ ...event('Create'), PhysicalResourceId: 'kept-id' });
      jest.restoreAllMocks();
      expect(logged.map((line) => JSON.parse(line))).toEqual([
        {
          message: 'release pointer failed',
          reason: 'release r9 has no index.html in the bucket; the pointer was not moved',
        },
      ]);
      expect(aws.cfnResponses.pop()).toEqual({
        Status: 'FAILED',
        Reason: 'release r9 has no index.html in the bucket; the pointer was not moved',
        PhysicalResourceId: 'kept-id',
        StackId: 'stack',
        RequestId: 'req',
        LogicalResourceId: 'LiveRelease',
      });
      expect(aws.store.get('live-release')).toBe('r3');
    } finally {
      process.env = saved;
    }
  });

  it('rollback: flips the pointer to a kept release and says so', async () => {
    const lines: string[] = [];
    await rollback(
      ['--env', 'production', '--release', 'r1', '--reason', 'r3 broke booking'],
      clientsFrom(env()),
      (l) => lines.push(l),
    );
    expect(aws.store.get('live-release')).toBe('r1');
    expect(lines).toEqual([
      'production: live release r3 -> r1. Edges serve it within seconds; open tabs switch on their next page load.',
    ]);
  });

  it('rollback: to the live release changes nothing and says so; a malformed id is refused', async () => {
    const lines: string[] = [];
    await rollback(['--env', 'production', '--release', 'r3', '--reason', 'test'], clientsFrom(env()), (l) =>
      lines.push(l),
    );
    expect(lines).toEqual(['production: r3 is already live and no canary is serving; nothing changed.']);
    expect(aws.conflicts).toBe(0);
    expect(aws.store.get('live-release')).toBe('r3');
    await expect(
      rollback(['--env', 'production', '--release', '../r1', '--reason', 'test'], clientsFrom(env()), () => undefined),
    ).rejects.toThrow('"../r1" is not a release id. Fix: pick one from --list.');
  });

  it('rollback: refuses a pruned release and leaves the pointer alone', async () => {
    await expect(
      rollback(['--env', 'production', '--release', 'r0', '--reason', 'test'], clientsFrom(env()), () => undefined),
    ).rejects.toThrow(/r0 is not kept .*Fix: pick one from --list/);
    expect(aws.store.get('live-release')).toBe('r3');
  });

  it('rollback --list: shows the kept releases newest first, marking the live one', async () => {
    const lines: string[] = [];
    await rollback(['--env', 'production', '--list'], clientsFrom(env()), (l) => lines.push(l));
    expect(lines).toEqual([
      'production: 3 kept release(s), newest first',
      '* r3  uploaded 2026-11-03T00:00:00.000Z  (live)',
      '  r2  uploaded 2026-11-02T00:00:00.000Z',
      '  r1  uploaded 2026-11-01T00:00:00.000Z',
    ]);
  });

  it('rollback: explains a missing stack output, a bad environment and a missing release id', async () => {
    await expect(rollback(['--env', 'prod', '--release', 'r1'], clientsFrom(env()))).rejects.toThrow(
      /--env is "prod"\. Fix: --env staging or --env production\./,
    );
    await expect(rollback(['--env', 'production'], clientsFrom(env()))).rejects.toThrow(/Fix: add --release/);
    await expect(rollback(['--env', 'production', '--release', 'r1'], clientsFrom(env()))).rejects.toThrow(
      /Fix: add --reason/,
    );
    await expect(
      rollback(['--env', 'production', '--release', 'r1', '--reason', '   '], clientsFrom(env())),
    ).rejects.toThrow(/Fix: add --reason/);
    aws.stackWithoutOutputs = true;
    await expect(
      rollback(['--env', 'production', '--release', 'r1', '--reason', 'test'], clientsFrom(env())),
    ).rejects.toThrow(/no ReleasePointerArn\/SiteBucketName output/);
  });

  it('rollback: fails within its timeout when the KeyValueStore API hangs', async () => {
    aws.hangKvs = true;
    const started = Date.now();
    await expect(
      rollback(['--env', 'production', '--release', 'r1', '--reason', 'test'], clientsFrom(env()), () => undefined),
    ).rejects.toThrow();
    expect(Date.now() - started).toBeLessThan(5_000);
    expect(aws.store.get('live-release')).toBe('r3');
  });

  const deploy = (release: string, more: { ReleasesToKeep?: string; FirstCanaryWeight?: string } = {}) =>
    movePointer(
      {
        KvsArn: aws.kvsArn,
        BucketName: aws.bucket,
        ReleaseId: release,
        ReleasesToKeep: '5',
        AuditBucket: aws.auditBucket,
        EnvName: 'production',
        ...more,
      },
      clientsFrom(env()),
    );
  const auditRecords = () => [...aws.auditObjects.values()].map((b) => JSON.parse(b.toString()));

  it('deploy: reads a bucket listing page by page and deletes in batches of at most 1000 keys, as S3 allows', async () => {
    for (let i = 0; i < 2500; i++) aws.objects.set(`releases/r1/assets/${String(i).padStart(4, '0')}.js`, day(1));
    aws.objects.set('releases/r4/index.html', day(4));
    const { pruned } = await deploy('r4', { ReleasesToKeep: '1' });
    expect(pruned).toEqual(['r2', 'r1']);
    expect(aws.deleteRequests).toEqual([1000, 1000, 504]);
    expect([...aws.objects.keys()].filter((k) => k.startsWith('releases/'))).toEqual([
      'releases/r3/index.html',
      'releases/r3/config.json',
      'releases/r4/index.html',
    ]);
  });

  it('deploy: deletes exactly 1000 keys in one request, and sends no empty one after it (S3 refuses it)', async () => {
    for (let i = 0; i < 996; i++) aws.objects.set(`releases/r1/assets/${String(i).padStart(4, '0')}.js`, day(1));
    aws.objects.set('releases/r4/index.html', day(4));
    await deploy('r4', { ReleasesToKeep: '1' });
    expect(aws.deleteRequests).toEqual([1000]);
  });

  it('rollback runs as a script: --help answers its usage and exit 0', async () => {
    const { code, stdout } = await runScript('scripts/rollback.ts', ['--help']);
    expect(code).toBe(0);
    expect(stdout).toMatch(/^usage: npm run rollback -- --env <staging\|production>/);
  });

  it('deploy: a bucket listing that never ends stops after 100 pages, naming the bucket, before anything is deleted', async () => {
    aws.objects.set('releases/r4/index.html', day(4));
    aws.listNeverEnds = true;
    await expect(deploy('r4')).rejects.toThrow(`listing ${aws.bucket}/releases/ did not end after 100 pages`);
    expect(aws.deleteRequests).toEqual([]);
  });

  it('deploy: a missing index.html answered 403 (no s3:ListBucket) is missing too; S3 SlowDown is ridden out once, and fails the deploy when it persists', () =>
    withLowRetryJitter(async () => {
      aws.denyListBucket = true;
      await expect(deploy('r9')).rejects.toThrow(
        'release r9 has no index.html in the bucket; the pointer was not moved',
      );
      aws.objects.set('releases/r4/index.html', day(4));
      aws.throttleS3 = 2; // maxAttempts is 2
      await expect(deploy('r4')).rejects.toMatchObject({ $metadata: { httpStatusCode: 503 } });
      expect(aws.store.get('live-release')).toBe('r3');
      aws.throttleS3 = 1;
      await deploy('r4');
      expect(aws.store.get('live-release')).toBe('r4');
    }));

  it('deploy: the first release of an environment goes live even where releases start as canaries, recorded with who deployed it', async () => {
    aws.store.delete('live-release');
    aws.objects.set('releases/r4/index.html', day(4));
    await deploy('r4', { FirstCanaryWeight: '5' });
    expect(aws.store.get('live-release')).toBe('r4');
    expect(aws.store.has('canary')).toBe(false);
    expect(auditRecords()).toEqual([
      expect.objectContaining({
        action: 'deploy',
        who: 'cloudformation',
        before: { live: null, canary: null },
        after: { live: 'r4', canary: null },
      }),
    ]);
  });

  it('deploy: deploying the live release again changes nothing and records nothing', async () => {
    await deploy('r3', { FirstCanaryWeight: '5' });
    expect(aws.store.get('live-release')).toBe('r3');
    expect(aws.store.has('canary')).toBe(false);
    expect(aws.auditObjects.size).toBe(0);
  });

  it('deploy straight to live: ends a canary that was serving, and records both', async () => {
    aws.store.set('canary', JSON.stringify({ release: 'r2', weight: 5 }));
    aws.objects.set('releases/r4/index.html', day(4));
    await deploy('r4');
    expect(aws.store.get('live-release')).toBe('r4');
    expect(aws.store.has('canary')).toBe(false);
    expect(auditRecords()).toEqual([
      expect.objectContaining({
        before: { live: 'r3', canary: { release: 'r2', weight: 5 } },
        after: { live: 'r4', canary: null },
        why: 'deploy of release r4',
      }),
    ]);
  });

  it('custom resource: says in its log what it did and what it pruned', async () => {
    const logged: unknown[] = [];
    jest.spyOn(console, 'log').mockImplementation((line: string) => logged.push(JSON.parse(line)));
    try {
      aws.objects.set('releases/r4/index.html', day(4));
      await deploy('r4', { ReleasesToKeep: '1' });
      aws.objects.set('releases/r5/index.html', day(5));
      await deploy('r5', { FirstCanaryWeight: '10' });
    } finally {
      jest.restoreAllMocks();
    }
    expect(logged).toEqual([
      { message: 'live release moved', release: 'r4' },
      { message: 'old releases pruned', pruned: ['r2', 'r1'], objectsDeleted: 4 },
      { message: 'canary started', release: 'r5', weight: 10 },
      { message: 'old releases pruned', pruned: [], objectsDeleted: 0 },
    ]);
  });

  it('custom resource: a response CloudFormation refuses fails the invocation instead of passing silently', async () => {
    await expect(
      handler({
        RequestType: 'Delete',
        ResponseURL: `${aws.url}/no-such-response-url`,
        StackId: 'stack',
        RequestId: 'req',
        LogicalResourceId: 'LiveRelease',
        ResourceProperties: { KvsArn: aws.kvsArn, BucketName: aws.bucket, ReleaseId: 'r3', ReleasesToKeep: '2' },
      }),
    ).rejects.toThrow('CloudFormation refused the response: 404');
  });

  it('rollback --release previous: the kept release uploaded before the live one; with no pointer, the newest; none older is refused', async () => {
    const lines: string[] = [];
    const previous = () =>
      rollback(['--env', 'production', '--release', 'previous', '--reason', 'test'], clientsFrom(env()), (l) =>
        lines.push(l),
      );
    await previous();
    expect(aws.store.get('live-release')).toBe('r2');
    await previous();
    expect(aws.store.get('live-release')).toBe('r1');
    await expect(previous()).rejects.toThrow(
      'no kept release is older than the live one (r1); the pointer was not moved. Fix: pick one from --list.',
    );
    aws.store.delete('live-release');
    await previous();
    expect(aws.store.get('live-release')).toBe('r3');
    expect(lines.at(-1)).toMatch(/^production: live release none -> r3\./);
    aws.store.delete('live-release');
    aws.objects.clear();
    await expect(previous()).rejects.toThrow('no kept release is older than the live one (none);');
  });

  it('rollback: with the live release already live, only aborts a serving canary, and says so', async () => {
    aws.store.set('canary', JSON.stringify({ release: 'r2', weight: 5 }));
    const lines: string[] = [];
    await rollback(
      ['--env', 'production', '--release', 'r3', '--reason', 'r2 broke booking'],
      clientsFrom(env()),
      (l) => lines.push(l),
    );
    expect(lines).toEqual(['production: canary r2 aborted (weight 5 % -> 0).']);
    expect(aws.store.get('live-release')).toBe('r3');
    expect(JSON.parse(aws.store.get('canary')!)).toEqual({
      release: 'r2',
      weight: 0,
      abortedBecause: 'rollback: r2 broke booking',
    });
    // An aborted canary (weight 0) is not serving: rolling back to live again changes nothing.
    await rollback(['--env', 'production', '--release', 'r3', '--reason', 'again'], clientsFrom(env()), (l) =>
      lines.push(l),
    );
    expect(lines.at(-1)).toBe('production: r3 is already live and no canary is serving; nothing changed.');
  });

  it('rollback: to the live release aborts a serving canary even when the live files are gone: nothing may block the abort', async () => {
    aws.store.set('live-release', 'r9');
    aws.store.set('canary', JSON.stringify({ release: 'r2', weight: 25 }));
    await rollback(
      ['--env', 'production', '--release', 'r9', '--reason', 'r2 broke booking'],
      clientsFrom(env()),
      () => undefined,
    );
    expect(JSON.parse(aws.store.get('canary')!)).toMatchObject({ release: 'r2', weight: 0 });
  });

  it('rollback: a pointer that reads back other than written (another writer just after) fails loudly', async () => {
    aws.writeAfterNextWrite = { key: 'live-release', value: 'r2' };
    await expect(
      rollback(['--env', 'production', '--release', 'r1', '--reason', 'test'], clientsFrom(env()), () => undefined),
    ).rejects.toThrow(`the pointer reads r2 after writing r1; check the KeyValueStore ${aws.kvsArn}.`);
    aws.writeAfterNextWrite = { key: 'live-release' };
    await expect(
      rollback(['--env', 'production', '--release', 'r1', '--reason', 'test'], clientsFrom(env()), () => undefined),
    ).rejects.toThrow('the pointer reads nothing after writing r1;');
  });

  it('rollback --list: with no pointer, marks no release live', async () => {
    aws.store.delete('live-release');
    const lines: string[] = [];
    await rollback(['--env', 'production', '--list'], clientsFrom(env()), (l) => lines.push(l));
    expect(lines.slice(1)).toEqual([
      '  r3  uploaded 2026-11-03T00:00:00.000Z',
      '  r2  uploaded 2026-11-02T00:00:00.000Z',
      '  r1  uploaded 2026-11-01T00:00:00.000Z',
    ]);
  });

  it('the command: exit 0 after a rollback, 1 with the reason when it cannot move the pointer, 2 on bad input', async () => {
    const out: string[] = [];
    const err: string[] = [];
    const io = {
      out: (l: string) => out.push(l),
      err: (l: string) => err.push(l),
      clients: clientsFrom(env()),
      who: 'erin@practice',
    };
    expect(await main(['--env', 'production', '--release', 'r1', '--reason', 'r3 broke booking'], io)).toBe(0);
    expect(out).toEqual([expect.stringMatching(/^production: live release r3 -> r1\./)]);
    expect(auditRecords()).toEqual([expect.objectContaining({ action: 'rollback', who: 'erin@practice' })]);
    expect(await main(['--env', 'production', '--release', 'r0', '--reason', 'test'], io)).toBe(1);
    expect(err).toEqual([expect.stringMatching(/^rollback failed: release r0 is not kept in /)]);
    expect(await main(['--env', 'production', '--release', 'r1'], io)).toBe(2);
    expect(err.at(-2)).toBe(
      'rollback: say why: every rollback goes into the audit trail with its reason. Fix: add --reason "<why>".',
    );
    expect(err.at(-1)).toMatch(/^usage: npm run rollback -- --env <staging\|production>/);
    out.length = 0;
    expect(await main(['--help'], io)).toBe(0);
    expect(out).toEqual([expect.stringMatching(/^usage: npm run rollback .*\nExit codes: 0 done/s)]);
  });

  it('the command: names the credentials it needs when there are none, and exits 1 when the rollback is not in the audit trail', async () => {
    const err: string[] = [];
    const noCredentials = async () => {
      throw Object.assign(new Error('Could not load credentials from any providers'), {
        name: 'CredentialsProviderError',
      });
    };
    const clients = clientsFrom(env());
    const io = { out: () => undefined, err: (l: string) => void err.push(l), who: 'erin@practice' };
    const blind = {
      ...clients,
      cloudFormation: new CloudFormationClient({
        endpoint: aws.url,
        region: 'eu-central-1',
        credentials: noCredentials,
      }),
    };
    expect(await main(['--env', 'production', '--list'], { ...io, clients: blind })).toBe(1);
    expect(err).toEqual([
      expect.stringMatching(/^rollback failed: npm run rollback needs AWS credentials for production's account \d{12}/),
    ]);

    aws.auditDown = true;
    expect(await main(['--env', 'production', '--release', 'r1', '--reason', 'test'], { ...io, clients })).toBe(1);
    expect(aws.store.get('live-release')).toBe('r1');
    expect(err.slice(1)).toEqual([
      expect.stringMatching(/^NOT RECORDED: the change was made/),
      'rollback failed: the rollback is done, but it is NOT in the audit trail (see above).',
    ]);
  });
});
