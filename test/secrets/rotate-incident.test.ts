/**
 * `npm run rotate -- --incident` against the connected stand-ins (tools/stand-ins/world.ts): the real rotation
 * engine and rotators behind Secrets Manager, Supabase and Google minting and revoking keys, and the real health
 * handler behind the preview checking the probe token. The leaked values are the ones live before the command.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { CloudAssembly } from 'aws-cdk-lib/cx-api';
import { SECRET_CREDENTIALS } from '../../lib/secrets/inventory';
import { MANUAL_SECRET_IDS } from '../../lib/secrets/manual-rotation';
import { main } from '../../scripts/rotate';
import { INCIDENT_ORDER } from '../../scripts/rotate/incident';
import { startWorld, World } from '../../tools/stand-ins/world';
import { assemblyDir } from '../support/assembly';
import { runMain } from '../support/run-script';

const SCALE = 100;
let world: World;
/** The health handler's log lines, as its Lambda would send them to CloudWatch Logs. */
const healthLog: string[] = [];
const rotate = (args: string[]) =>
  runMain(main, ['--env', 'production', ...args, '--poll-seconds', '0.05'], world.operatorEnv);

beforeAll(async () => {
  world = await startWorld({
    env: 'production',
    assembly: new CloudAssembly(assemblyDir()),
    scale: SCALE,
    monitor: false,
    lambdaLog: (line) => healthLog.push(line),
  });
});
afterAll(() => world?.stop());

describe('npm run rotate -- --incident', () => {
  it('rotates twice, proves every leaked value refused and the new ones accepted, and lists the manual secrets', async () => {
    const leakedSupabase = await world.currentValue('supabase-secret-key');
    const leakedGoogle = await world.currentValue('google-api-key');
    const leakedToken = await world.currentValue('prober-health-token');
    const { code, stdout, stderr } = await rotate(['--incident', '--proof-timeout-seconds', '20']);
    expect(stderr).toBe('');
    expect(code).toBe(0);
    expect(stdout).toMatch(/miko\/production\/supabase-secret-key\s+rotated twice\s+accepted\s+refused/);
    expect(stdout).toMatch(/miko\/production\/google-api-key\s+rotated twice\s+accepted\s+refused/);
    expect(stdout).toMatch(/miko\/production\/prober-health-token\s+rotated twice\s+accepted\s+refused/);
    expect(stdout).toMatch(/n8n-webhook-secret\s+rotated twice\s+not checked\s+not checked: n8n's webhook/);
    expect(stdout).toMatch(/leaked values refused \(3 proven, 1 not checkable here/);
    // What the providers say, asked directly: the leaked values are dead, the new ones live.
    expect(world.supabase.accepts(leakedSupabase)).toBe(false);
    expect(world.supabase.accepts(await world.currentValue('supabase-secret-key'))).toBe(true);
    expect(world.google.accepts(leakedGoogle, 'https://app.miko.example.com/')).toBe(false);
    const probe = await fetch(`${world.siteUrl}/health/db`, { headers: { 'x-miko-probe-token': leakedToken } });
    expect(probe.status).toBe(404);
    // Every manual secret of the inventory, in incident order, with its steps; no value printed.
    for (const id of MANUAL_SECRET_IDS) expect(stdout).toContain(`  miko/production/${id}\n    1. `);
    expect(stdout).not.toContain(leakedSupabase);
    expect(stdout).not.toContain(await world.currentValue('supabase-secret-key'));
    // The proof's admitted probe reached the handler, whose log line went to the world's sink, not the console.
    expect(healthLog.some((line) => JSON.parse(line).path === '/health/db')).toBe(true);
    for (const line of healthLog) expect(line).not.toContain(leakedToken);
  });

  it('fails, naming the secret, when the second rotation cannot revoke the leaked key', async () => {
    const leaked = await world.currentValue('supabase-secret-key');
    world.supabase.failNext('prove', 'reject'); // the first rotation's test step: the new key is refused
    const { code, stdout, stderr } = await rotate([
      '--incident',
      '--secret',
      'supabase-secret-key',
      '--timeout-seconds',
      '1',
    ]);
    expect(code).toBe(1);
    expect(stdout).toMatch(/supabase-secret-key\s+first rotation: still AWSPENDING.*STILL VALID/);
    expect(stderr).toMatch(/run the same command again with --restart-stuck/);
    expect(world.supabase.accepts(leaked)).toBe(true);

    const retried = await rotate(['--incident', '--secret', 'supabase-secret-key', '--restart-stuck']);
    expect(retried.code).toBe(0);
    expect(world.supabase.accepts(leaked)).toBe(false);
  });

  it('without --incident one rotation leaves the leaked key valid (why the runbook needs it)', async () => {
    const leaked = await world.currentValue('supabase-secret-key');
    expect((await rotate(['--secret', 'supabase-secret-key'])).code).toBe(0);
    expect(world.supabase.accepts(leaked)).toBe(true);
  });

  it('orders the incident as the runbook says, and the runbook lists exactly the inventory manual secrets', () => {
    expect(INCIDENT_ORDER.slice(0, 5)).toEqual([
      'supabase-secret-key',
      'n8n-webhook-secret',
      'google-api-key',
      'prober-health-token',
      'supabase-backup-db-password',
    ]);
    expect([...INCIDENT_ORDER].sort()).toEqual(SECRET_CREDENTIALS.map((c) => c.id).sort());
    const runbook = readFileSync(join(__dirname, '../../docs/runbooks/credential-exposure.md'), 'utf8');
    const listed = runbook.match(/<!-- manual-secrets -->([\s\S]*?)<!-- \/manual-secrets -->/)?.[1] ?? '';
    expect([...listed.matchAll(/`([a-z0-9-]+)`/g)].map((m) => m[1]).sort()).toEqual([...MANUAL_SECRET_IDS].sort());
  });

  it('prints its usage with --help and refuses a bad flag with exit 2', async () => {
    const help = await runMain(main, ['--help']);
    expect(help.code).toBe(0);
    expect(help.stdout).toMatch(/--incident/);
    const bad = await runMain(main, ['--env', 'production', '--incident', '--all']);
    expect(bad.code).toBe(2);
    expect(bad.stderr).toMatch(/--incident already covers every secret/);
    expect((await runMain(main, ['--env', 'production', '--bogus'])).code).toBe(2);
  });
});
