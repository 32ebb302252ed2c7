/**
 * Each game day with its runbook's key command removed or wrong fails (one process, see rehearse.ts): the text
 * an on-call engineer reads is what is tested, so a runbook that stops working fails the build.
 */
import { rehearse, Rehearsed } from './rehearse';

let run: Rehearsed;
beforeAll(async () => {
  run = await rehearse({
    'bad-release': (md) =>
      md.replace('npm run rollback -- --env $ENV --release previous --reason "paged: bad release"\n', ''),
    'site-down': (md) =>
      md.replace(
        '--release previous --reason "paged: bad release"\n',
        '--release 20200101T000000Z-0000000 --reason "paged: bad release"\n',
      ),
    'deleted-release': (md) => md.replace('npm run restore-release -- --env $ENV --release live\n', ''),
    // The wrong move for a provider's outage: nothing of ours is broken, and there is nothing to roll back to.
    'dependency-down': (md) =>
      md.replace(
        'npm run health -- --env $ENV --wait 900\n',
        'npm run rollback -- --env $ENV --release previous --reason "paged: bad release"\n',
      ),
    // One rotation, as the runbook used to say: the leaked values stay valid as AWSPREVIOUS.
    'leaked-credential': (md) =>
      md.replace('npm run rotate -- --env $ENV --incident\n', 'npm run rotate -- --env $ENV --all\n'),
    'lost-database': (md) =>
      md.replaceAll(
        'npm run restore -- --env $ENV --to',
        'npm run restore -- --env $ENV --backup backups/$ENV/none/manifest.json --to',
      ),
  });
}, 240_000);

describe('game days, each runbook broken', () => {
  it('no scenario recovers, and the command exits 1', () => {
    expect(Object.keys(run.output)).toHaveLength(6);
    for (const [name, output] of Object.entries(run.output))
      expect([name, output]).toEqual([name, expect.stringMatching(/NOT RECOVERED/)]);
    expect(run.code).toBe(1);
  });

  it('says why each failed', () => {
    expect(run.output['bad-release']).toMatch(
      /FAIL  cache hashed asset: GET \/assets\/index-never-uploaded\.js answered 404/,
    );
    expect(run.output['site-down']).toMatch(/is not kept in miko-production-site-/);
    expect(run.output['deleted-release']).toMatch(/the runbook's command failed|NOT RECOVERED: verify does not pass/);
    expect(run.output['dependency-down']).toMatch(/no kept release is older than the live one/);
    expect(run.output['leaked-credential']).toMatch(
      /NOT RECOVERED: leaked value still valid: Supabase secret key, Google API key, probe token/,
    );
    expect(run.output['lost-database']).toMatch(/restore FAILED \(restore\): The specified key does not exist/);
  });
});
