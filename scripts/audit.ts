/**
 * The audit trail as a timeline: every deploy, canary step, abort, rollback and flag flip, with who, before → after,
 * when and why, checked link by link (lambda/shared/audit-log.ts). Exit 1 lists the altered, removed or inserted
 * records.
 */
import { AuditRecord, readAuditTrail } from '../lambda/shared/audit-log';
import { EnvironmentName } from '../lib/config';
import { environmentFlag, Io, processIo, runCommand, runIfMain, UsageError } from './lib/command';
import { clientsFrom, ReleaseClients, siteOutputs } from './lib/release-aws';

export const EXIT = { intact: 0, broken: 1, usage: 2, failed: 3 } as const;

const USAGE = `usage: npm run audit -- --env <staging|production> [--since <N>d|<N>h]
Exit codes: 0 intact; 1 the trail is broken (records listed); 2 usage; 3 could not read`;

/** Tests pass stand-in clients and a fixed clock. */
export interface AuditIo extends Io {
  readonly clients?: ReleaseClients;
  readonly now?: () => Date;
}

function sinceOf(text: string | undefined, now: Date): Date | undefined {
  if (text === undefined) return undefined;
  const match = /^(\d+)(d|h)$/.exec(text);
  if (!match) throw new UsageError(`--since must be a number of days or hours like 7d or 12h, got "${text}".`);
  return new Date(now.getTime() - Number(match[1]) * (match[2] === 'd' ? 86_400_000 : 3_600_000));
}

const compact = (value: unknown) => JSON.stringify(value ?? null);

export function formatRecord(record: AuditRecord): string {
  return `${record.at}  ${record.action.padEnd(14)} ${record.who}\n    ${compact(record.before)} -> ${compact(record.after)}\n    why: ${record.why}`;
}

const SPEC = {
  name: 'audit',
  usage: USAGE,
  options: { env: { type: 'string' as const }, since: { type: 'string' as const } },
};

export function main(argv: string[], io: AuditIo = processIo): Promise<number> {
  return runCommand(SPEC, argv, io, async (values) => {
    const env = environmentFlag(values.env);
    const since = sinceOf(values.since as string | undefined, (io.now ?? (() => new Date()))());
    return readTrail(env, since, io);
  });
}

async function readTrail(env: EnvironmentName, since: Date | undefined, io: AuditIo): Promise<number> {
  try {
    const clients = io.clients ?? clientsFrom(process.env);
    const { auditBucket } = await siteOutputs(clients.cloudFormation, env);
    if (!auditBucket)
      throw new Error(
        `the Site stack names no audit bucket (AuditBucketName). Fix: deploy the Data and Site stacks of ${env}.`,
      );
    const trail = await readAuditTrail(clients.s3, auditBucket, env, since);
    io.out(`${env}: ${trail.records.length} change(s)${since ? ` since ${since.toISOString()}` : ''}, oldest first`);
    for (const record of trail.records) io.out(formatRecord(record));
    if (trail.breaks.length === 0) {
      io.out('the trail is intact: every record matches its hash and follows the one before it');
      return EXIT.intact;
    }
    io.err(`audit: THE TRAIL IS BROKEN (${trail.breaks.length}):`);
    for (const line of trail.breaks) io.err(`  ${line}`);
    return EXIT.broken;
  } catch (error) {
    io.err(`audit: could not read the trail: ${(error as Error).message}`);
    return EXIT.failed;
  }
}

runIfMain(module, main);
