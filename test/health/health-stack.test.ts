import { Match } from 'aws-cdk-lib/assertions';
import { healthTemplate } from '../support/one-stack';

describe('HealthStack', () => {
  const health = healthTemplate('production');

  function settings(): {
    deadlineMs: number;
    checks: Array<{ name: string; url: string; auth?: { secretName: string } }>;
    probeToken?: { secretName: string };
  } {
    const fn = Object.values<any>(health.findResources('AWS::Lambda::Function')).find(
      (f) => f.Properties.Environment?.Variables?.MIKO_HEALTH_SETTINGS,
    );
    return JSON.parse(fn.Properties.Environment.Variables.MIKO_HEALTH_SETTINGS);
  }

  it('passes the checks with secret names (never values) to the Lambda', () => {
    const { deadlineMs, checks } = settings();
    expect(deadlineMs).toBeLessThan(10_000);
    expect(checks.map((c) => c.name)).toEqual(expect.arrayContaining(['supabase-rest', 'n8n']));
    // Least privilege: a publishable key of its own, never the secret (service-role) key, which bypasses RLS.
    expect(checks.find((c) => c.name === 'supabase-rest')?.auth?.secretName).toBe(
      'miko/production/supabase-health-key',
    );
    expect(checks.find((c) => c.name === 'supabase-rest')?.url).toMatch(/\/rest\/v1\/rpc\/health_check$/);
    expect(JSON.stringify(checks)).not.toContain('supabase-secret-key');
    expect(settings().probeToken).toEqual({ secretName: 'miko/production/prober-health-token' });
  });

  it('may read exactly the secrets its checks use, and decrypt only through Secrets Manager', () => {
    const statements = Object.values<any>(health.findResources('AWS::IAM::Policy')).flatMap(
      (p) => p.Properties.PolicyDocument.Statement,
    );
    const secretReads = statements.filter((s) =>
      ([] as string[]).concat(s.Action).includes('secretsmanager:GetSecretValue'),
    );
    const resources = JSON.stringify(secretReads.map((s) => s.Resource));
    expect(resources).toContain('miko/production/supabase-health-key');
    expect(resources).toContain('miko/production/prober-health-token');
    expect(resources).not.toContain('supabase-secret-key');
    expect(resources).not.toContain('pager-integration-key');
    health.hasResourceProperties('AWS::IAM::Policy', {
      PolicyDocument: {
        Statement: Match.arrayWith([
          Match.objectLike({
            Action: 'kms:Decrypt',
            Condition: { StringEquals: { 'kms:ViaService': 'secretsmanager.us-east-1.amazonaws.com' } },
          }),
        ]),
      },
    });
  });
});
