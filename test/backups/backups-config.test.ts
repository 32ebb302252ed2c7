/** The `backups` config: each mistake is reported with its field, the reason and the fix. */
import { problemsAfter } from '../support/config-problems';

const messageFor = (problems: ReadonlyArray<{ path: string; message: string }>, path: string) =>
  problems.find((p) => p.path === path)?.message;

test.each([
  [
    'storage.buckets',
    (b: any) => {
      b.storage.buckets = [];
    },
    /is empty, so no photo would leave Supabase .* Fix: list every bucket/,
  ],
  [
    'storage.region',
    (b: any) => {
      b.storage.region = 'virginia';
    },
    /not the Supabase project's region. Fix: /,
  ],
  [
    'database.host',
    (b: any) => {
      b.database.host = 'db.productionprojectref.supabase.com';
    },
    /neither Supabase's session pooler host nor the direct .* Fix: copy it from the dashboard/,
  ],
  [
    'database.port',
    (b: any) => {
      b.database.port = 6543;
    },
    /must be 5432 \(the session pooler or the direct connection\): .*snapshot would not hold/,
  ],
  [
    'objectLockMode',
    (b: any) => {
      b.objectLockMode = 'GOVERNANCE';
    },
    /anyone with s3:BypassGovernanceRetention could delete .* Fix: set "COMPLIANCE"/,
  ],
  [
    'coldStorageAfterDays',
    (b: any) => {
      b.coldStorageAfterDays = 90;
    },
    /not below retentionDays \(90\).*Fix/,
  ],
  [
    'database.user',
    (b: any) => {
      b.database.user = 'miko_backup.otherproject';
    },
    /routes? the backup to another project. Fix: set "miko_backup.productionprojectref"/,
  ],
  [
    'backupSchedule',
    (b: any) => {
      b.backupSchedule = '15 3 * * *';
    },
    /not a schedule .*Fix: write an EventBridge cron/,
  ],
  [
    'schemas',
    (b: any) => {
      b.schemas = [];
    },
    /is empty.*Fix: list at least "public"/,
  ],
])('production.backups.%s', (field, edit, message) => {
  const problems = problemsAfter((config) => edit(config.production.backups));
  expect(messageFor(problems, `production.backups.${field}`)).toMatch(message);
});

describe('production.backups.databaseCidrs', () => {
  const direct = (b: any, cidrs?: string[]) => {
    b.database.host = 'db.productionprojectref.supabase.co';
    b.database.user = 'miko_backup';
    if (cidrs) b.databaseCidrs = cidrs;
  };
  const problemsWith = (edit: (b: any) => void) =>
    problemsAfter((config) => edit(config.production.backups)).map((p) => `${p.path}: ${p.message}`);

  it('accepts the direct host with the IPv4 add-on address (and an IPv6 block beside it)', () => {
    expect(problemsWith((b) => direct(b, ['203.0.113.7/32', '2001:db8::/64']))).toEqual([]);
  });

  it.each([
    ['203.0.113.7', /\.databaseCidrs\.1: "203\.0\.113\.7" has no prefix length. Fix: .*"203\.0\.113\.7\/32"/],
    ['203.0.113.7/24', /\.databaseCidrs\.1: .*host bits set.*Fix: write "203\.0\.113\.0\/24", or \/32/],
    ['300.0.113.7/32', /\.databaseCidrs\.1: .*not an IPv4 or IPv6 address. Fix: /],
    ['203.0.113.7/33', /\.databaseCidrs\.1: .*prefix longer than 32 bits. Fix: use \/1 to \/32/],
    ['0.0.0.0/0', /\.databaseCidrs\.1: .*is every address.*Fix: list the database's own addresses/],
    ['2001:db8::1/64', /host bits set.*Fix: write "2001:db8:0:0:0:0:0:0\/64"/],
    ['2001:db8:::/64', /not an IPv4 or IPv6 address/],
  ])('refuses %s, naming the field and the fix', (cidr, message) => {
    expect(problemsWith((b) => direct(b, ['198.51.100.0/24', cidr])).join('\n')).toMatch(message);
  });

  it('refuses a list without IPv4: the backup network has no IPv6 route', () => {
    expect(problemsWith((b) => direct(b, ['2001:db8::/64']))).toEqual([
      expect.stringMatching(/databaseCidrs: lists no IPv4 block.*no IPv6 route.*Fix: add the IPv4 add-on's address/),
    ]);
  });

  it('refuses it beside the shared pooler, whose addresses are neither published nor fixed', () => {
    expect(problemsWith((b) => (b.databaseCidrs = ['203.0.113.7/32']))).toEqual([
      expect.stringMatching(
        /databaseCidrs: is set while database.host is the shared pooler.*Fix: enable the IPv4 add-on/,
      ),
    ]);
  });

  it('requires it with the direct host, which the IPv4-only tasks reach only at the add-on address', () => {
    expect(problemsWith((b) => direct(b))).toEqual([
      expect.stringMatching(
        /databaseCidrs: is missing while database.host is the direct host .*Fix: set \["<that address>\/32"\]/,
      ),
    ]);
  });

  it("the direct host must be this project's, with the bare role as user", () => {
    expect(
      problemsWith((b) => {
        direct(b, ['203.0.113.7/32']);
        b.database.host = 'db.otherproject.supabase.co';
      }),
    ).toEqual([
      expect.stringMatching(
        /database.host: names project "otherproject".*Fix: set "db\.productionprojectref\.supabase\.co"/,
      ),
    ]);
    expect(
      problemsWith((b) => {
        direct(b, ['203.0.113.7/32']);
        b.database.user = 'miko_backup.productionprojectref';
      }),
    ).toEqual([expect.stringMatching(/database.user: .*a pooler user.*Fix: set "miko_backup"/)]);
  });
});

test('staging may use GOVERNANCE (test backups can be cleared by a person allowed to bypass it)', () => {
  expect(problemsAfter(() => undefined)).toEqual([]);
});
