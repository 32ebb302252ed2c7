/**
 * The lost-database game day: a real PostgreSQL server as the project, the real backup job's backup in the vault
 * stand-in, the project stopped, and `npm run restore` as it is, into an empty new server (see rehearse.ts).
 */
import { rehearse } from './rehearse';

describe('game day: the database', () => {
  it('lost-database: npm run restore brings every row back into the new project', async () => {
    const { code, stdout } = await rehearse('lost-database');
    expect(code).toBe(0);
    expect(stdout).toMatch(/export TARGET_DATABASE_URL=postgresql:\/\/postgres@127\.0\.0\.1:\d+\/postgres/);
    expect(stdout).toMatch(/every row count and checksum matches/);
    expect(stdout).toMatch(
      /RECOVERED: row counts match the backup: \{"public\.bookings":300,"public\.booking_notes":600\}/,
    );
  });

  it('lost-database restoring a backup that is not in the vault fails', async () => {
    const { code, stdout } = await rehearse('lost-database', (md) =>
      md.replaceAll(
        'npm run restore -- --env $ENV --to',
        'npm run restore -- --env $ENV --backup backups/$ENV/none/manifest.json --to',
      ),
    );
    expect(code).toBe(1);
    expect(stdout).toMatch(/the runbook's command failed/);
  });
});
