import { SECRET_CREDENTIALS } from '../../lib/secrets/inventory';
import { dataTemplate } from '../support/one-stack';

const asArray = <T>(value: T | T[]): T[] => (Array.isArray(value) ? value : [value]);
const rotated = SECRET_CREDENTIALS.filter((c) => c.rotation !== 'manual');

describe('secrets in the Data stack', () => {
  const data = dataTemplate('production');

  it('keeps one secret per credential, named per environment, encrypted with the platform key, with no value in the template', () => {
    const secrets = data.findResources('AWS::SecretsManager::Secret');
    const names = Object.values(secrets)
      .map((s: any) => s.Properties.Name)
      .sort();
    expect(names).toEqual(SECRET_CREDENTIALS.map((c) => `miko/production/${c.id}`).sort());
    const [keyId] = Object.keys(data.findResources('AWS::KMS::Key'));
    for (const secret of Object.values<any>(secrets)) {
      expect(secret.Properties.KmsKeyId).toEqual({ 'Fn::GetAtt': [keyId, 'Arn'] });
      expect(secret.Properties.SecretString).toBeUndefined();
      expect(secret.DeletionPolicy).toBe('Retain');
    }
  });

  it('gives the account key administration but no direct use of the key', () => {
    const [key] = Object.values<any>(data.findResources('AWS::KMS::Key'));
    const statements: any[] = key.Properties.KeyPolicy.Statement;
    const actions = (s: any) => asArray<string>(s.Action);
    expect(statements.flatMap(actions)).not.toContain('kms:*');
    const unconditionedRoot = statements.filter((s) => JSON.stringify(s.Principal).includes(':root') && !s.Condition);
    expect(unconditionedRoot).toHaveLength(1);
    for (const useAction of [
      'kms:Decrypt',
      'kms:Encrypt',
      'kms:GenerateDataKey*',
      'kms:ReEncrypt*',
      'kms:CreateGrant',
    ]) {
      expect(actions(unconditionedRoot[0])).not.toContain(useAction);
    }
    const viaService = statements.find((s) => s.Condition?.StringEquals?.['kms:ViaService']);
    expect(viaService.Condition.StringEquals['kms:ViaService']).toContain('secretsmanager.us-east-1.amazonaws.com');
    expect(viaService.Condition.StringEquals['kms:CallerAccount']).toBe('222222222222');
  });

  it('lets CloudWatch alarms and EventBridge publish to topics encrypted with the key', () => {
    const [key] = Object.values<any>(data.findResources('AWS::KMS::Key'));
    for (const service of ['cloudwatch.amazonaws.com', 'events.amazonaws.com']) {
      const publish = key.Properties.KeyPolicy.Statement.find((s: any) => s.Principal?.Service === service);
      expect(asArray(publish.Action).sort()).toEqual(['kms:Decrypt', 'kms:GenerateDataKey*']);
      // Only this account's alarms and rules (test/monitoring/hardening.test.ts checks the ARNs).
      expect(Object.keys(publish.Condition).sort()).toEqual(['ArnLike', 'StringEquals']);
    }
  });

  it.each([
    ['production', 30],
    ['staging', 7],
  ] as const)('%s rotates every rotated secret every %i days, never on deploy', (env, days) => {
    const schedules = Object.values<any>(dataTemplate(env).findResources('AWS::SecretsManager::RotationSchedule'));
    expect(schedules).toHaveLength(rotated.length);
    for (const schedule of schedules) {
      expect(schedule.Properties.RotationRules).toEqual({ ScheduleExpression: `rate(${days} days)` });
      expect(schedule.Properties.RotateImmediatelyOnUpdate).toBe(false);
    }
  });

  it('scopes each rotation function to the one secret it rotates', () => {
    const functions = data.findResources('AWS::Lambda::Function');
    const roles = data.findResources('AWS::IAM::Role');
    const policies = data.findResources('AWS::IAM::ManagedPolicy');
    const schedules = Object.values<any>(data.findResources('AWS::SecretsManager::RotationSchedule'));
    const rotatedSecrets = new Set<string>();
    for (const schedule of schedules) {
      const secretRef = schedule.Properties.SecretId.Ref as string;
      rotatedSecrets.add(secretRef);
      const fn = functions[schedule.Properties.RotationLambdaARN['Fn::GetAtt'][0]];
      expect(fn.Properties).toMatchObject({ Runtime: 'nodejs24.x', Architectures: ['arm64'] });
      const role = roles[fn.Properties.Role['Fn::GetAtt'][0]];
      expect(role.Properties.Policies).toBeUndefined();
      const statements = role.Properties.ManagedPolicyArns.flatMap(
        (arn: any) => policies[arn.Ref].Properties.PolicyDocument.Statement,
      );
      const secretStatements = statements.filter((s: any) =>
        asArray<string>(s.Action).some(
          (a) => a.startsWith('secretsmanager:') && a !== 'secretsmanager:GetRandomPassword',
        ),
      );
      const writes = secretStatements.filter((s: any) =>
        asArray<string>(s.Action).includes('secretsmanager:PutSecretValue'),
      );
      expect(writes).toHaveLength(1);
      expect(writes[0].Resource).toEqual({ Ref: secretRef });
      // Anything else it may touch is read-only: the credential that authorizes the rotation.
      for (const other of secretStatements.filter((s: any) => s !== writes[0])) {
        expect(asArray(other.Action)).toEqual(['secretsmanager:GetSecretValue']);
        expect(other.Resource.Ref).not.toBe(secretRef);
      }
    }
    expect(rotatedSecrets.size).toBe(rotated.length);
    expect(data.findResources('AWS::IAM::Policy')).toEqual({});
  });

  it('lets only Secrets Manager from this account invoke a rotation function', () => {
    const permissions = Object.values<any>(data.findResources('AWS::Lambda::Permission'));
    expect(permissions).toHaveLength(rotated.length);
    for (const permission of permissions) {
      expect(permission.Properties).toMatchObject({
        Action: 'lambda:InvokeFunction',
        Principal: 'secretsmanager.amazonaws.com',
        SourceAccount: '222222222222',
      });
    }
  });

  it('encrypts rotation logs with the platform key and keeps them a year', () => {
    // Every rotation function's own log group (allResourcesProperties alone would pass with no log group at all).
    const [keyId] = Object.keys(data.findResources('AWS::KMS::Key'));
    const logGroups = data.findResources('AWS::Logs::LogGroup');
    const functions = Object.values<any>(data.findResources('AWS::Lambda::Function'));
    expect(functions).toHaveLength(rotated.length);
    for (const fn of functions) {
      const logGroup = logGroups[fn.Properties.LoggingConfig.LogGroup.Ref];
      expect(logGroup.Properties).toMatchObject({ KmsKeyId: { 'Fn::GetAtt': [keyId, 'Arn'] }, RetentionInDays: 365 });
    }
  });
});
