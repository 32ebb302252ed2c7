/**
 * Rollback (or roll forward) the live release of an environment: one pointer flip, no rebuild, no upload.
 *
 *   npm run rollback -- --env production --release <id> --reason "…"   make <id> live (it must still be kept)
 *   npm run rollback -- --env production --release previous --reason "…"   the kept release before the live one
 *   npm run rollback -- --env production --list              show the kept releases, newest first, and which is live
 *
 * It reads the pointer's ARN and the bucket's name from the `<Stage>-Site` stack's outputs, checks the release's
 * index.html is in the bucket, then writes the pointer, in the same write setting a serving canary's weight to 0
 * (a rollback aborts a canary first), and appends the change to the audit trail. Edges read the new value within seconds; browsers load it on
 * their next navigation (HTML and config.json are no-cache). The SDK's AWS_ENDPOINT_URL (or AWS_ENDPOINT_URL_S3,
 * _CLOUDFORMATION, _CLOUDFRONT_KEYVALUESTORE) points the clients at local stand-ins (tests).
 */
import type { S3Client } from '@aws-sdk/client-s3';
import { parseArgs } from 'node:util';
import { listReleases, readLiveRelease, releaseExists } from '../lambda/shared/release-pointer';
import { RELEASE_ID_PATTERN } from '../lib/site/release-content';
import { explainAwsErrorForArgv } from './lib/aws-access';
import { environmentFlag, Io, processIo, runCommand, runIfMain, UsageError } from './lib/command';
import { actor, clientsFrom, ReleaseClients, siteOutputs } from './lib/release-aws';
import { changeReleaseState } from './lib/release-change';

export type RollbackClients = ReleaseClients;
export { clientsFrom };

const USAGE = `usage: npm run rollback -- --env <staging|production> (--release <id>|previous --reason "<why>" | --list)
  --release  the kept release to make live (previous: the one before the live one); a serving canary goes to 0 %
  --list     the kept releases, newest first, and which is live
Exit codes: 0 done (or listed); 1 could not move the pointer or record it (nothing half-done); 2 usage`;

const SPEC = {
  name: 'rollback',
  usage: USAGE,
  options: {
    env: { type: 'string' as const },
    release: { type: 'string' as const },
    list: { type: 'boolean' as const },
    reason: { type: 'string' as const },
  },
};

/** Tests pass stand-in clients and who is rolling back. */
export interface RollbackIo extends Io {
  readonly clients?: RollbackClients;
  readonly who?: string;
}

/**
 * The newest kept release uploaded before the live one (or the newest kept, when the pointer names a release the
 * bucket no longer holds): what "go back" means at 3 a.m.
 */
async function previousRelease(s3: S3Client, bucket: string, live: string | undefined): Promise<string> {
  const releases = await listReleases(s3, bucket);
  const liveAt = releases.findIndex((r) => r.id === live);
  const previous = releases[liveAt + 1];
  if (!previous)
    throw new Error(
      `no kept release is older than the live one (${live ?? 'none'}); the pointer was not moved. Fix: pick one from --list.`,
    );
  return previous.id;
}

export async function rollback(
  argv: string[],
  clients: RollbackClients,
  print: (line: string) => void = console.log,
  printError: (line: string) => void = console.error,
  who: string = actor(),
): Promise<void> {
  const { values } = parseArgs({ args: argv, options: SPEC.options, strict: true });
  const envName = environmentFlag(values.env);
  if (!values.list && !values.release)
    throw new UsageError('say which release. Fix: add --release <id>, or --list to see the kept releases.');
  const reason = values.reason?.trim() ?? '';
  if (values.release && !reason)
    throw new UsageError(
      'say why: every rollback goes into the audit trail with its reason. Fix: add --reason "<why>".',
    );
  const outputs = await siteOutputs(clients.cloudFormation, envName);
  const { kvsArn, bucket } = outputs;
  const live = await readLiveRelease(clients.kvs, kvsArn);

  if (values.list) {
    const releases = await listReleases(clients.s3, bucket);
    print(`${envName}: ${releases.length} kept release(s), newest first`);
    for (const r of releases)
      print(
        `${r.id === live ? '*' : ' '} ${r.id}  uploaded ${r.uploadedAt.toISOString()}${r.id === live ? '  (live)' : ''}`,
      );
    return;
  }

  const target = values.release === 'previous' ? await previousRelease(clients.s3, bucket, live) : values.release!;
  if (!RELEASE_ID_PATTERN.test(target)) throw new Error(`"${target}" is not a release id. Fix: pick one from --list.`);
  if (target !== live && !(await releaseExists(clients.s3, bucket, target))) {
    throw new Error(
      `release ${target} is not kept in ${bucket} (pruned or never deployed); the pointer was not moved. Fix: pick one from --list, or deploy it again.`,
    );
  }
  const { before, change, recorded } = await changeReleaseState(
    clients,
    outputs,
    {
      env: envName,
      action: 'rollback',
      who,
      why: reason,
      decide: (state) => {
        const serving = state.canary && state.canary.weight > 0 ? state.canary : undefined;
        if (state.live === target && !serving) return undefined;
        return {
          ...(state.live !== target && { live: target }),
          ...(serving && { canary: { ...serving, weight: 0, abortedBecause: `rollback: ${reason}` } }),
        };
      },
    },
    printError,
  );
  if (!change) {
    print(`${envName}: ${target} is already live and no canary is serving; nothing changed.`);
    return;
  }
  if (change.canary)
    print(`${envName}: canary ${before.canary!.release} aborted (weight ${before.canary!.weight} % -> 0).`);
  const now = await readLiveRelease(clients.kvs, kvsArn);
  if (now !== target)
    throw new Error(
      `the pointer reads ${now ?? 'nothing'} after writing ${target}; check the KeyValueStore ${kvsArn}.`,
    );
  if (change.live)
    print(
      `${envName}: live release ${before.live ?? 'none'} -> ${target}. Edges serve it within seconds; open tabs switch on their next page load.`,
    );
  if (!recorded) throw new Error('the rollback is done, but it is NOT in the audit trail (see above).');
}

/** The command: usage errors exit 2; anything that stops the rollback exits 1, explained for the account. */
export function main(argv: string[], io: RollbackIo = processIo): Promise<number> {
  return runCommand(SPEC, argv, io, async () => {
    try {
      await rollback(argv, io.clients ?? clientsFrom(process.env), io.out, io.err, io.who ?? actor());
      return 0;
    } catch (raw) {
      if (raw instanceof UsageError) throw raw;
      const error = explainAwsErrorForArgv('npm run rollback', argv, raw);
      io.err(`rollback failed: ${error instanceof Error ? error.message : String(error)}`);
      return 1;
    }
  });
}

runIfMain(module, main);
