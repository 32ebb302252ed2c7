/**
 * Losing the platform key makes every backup and secret unreadable: scheduling its deletion, disabling it or
 * replacing its policy pages critical, in both environments, through the critical topic, which EventBridge can
 * publish to (its KMS leg is proven in docs/permissions.md: key-tamper-rule-pages).
 */
import { template } from '../support/assembly';
import { loadCatalogue } from '../../scripts/permissions/catalogue';
import { permissionMatrix } from '../../scripts/permissions/matrix';
import { permissionModel } from '../../scripts/permissions/model';
import { assemblyDir } from '../support/assembly';

describe.each(['Staging', 'Production'] as const)('%s: the platform key tamper alert', (stage) => {
  const rules = () =>
    Object.entries<any>(template(stage, 'Monitoring').findResources('AWS::Events::Rule')).filter(
      ([, rule]) => rule.Properties.EventPattern?.source?.[0] === 'aws.kms',
    );

  it('matches ScheduleKeyDeletion, DisableKey and PutKeyPolicy on the platform key, as CloudTrail records them', () => {
    const [[, rule], ...more] = rules();
    expect(more).toEqual([]);
    expect(rule.Properties.EventPattern).toMatchObject({
      source: ['aws.kms'],
      'detail-type': ['AWS API Call via CloudTrail'],
      detail: {
        eventSource: ['kms.amazonaws.com'],
        eventName: ['ScheduleKeyDeletion', 'DisableKey', 'PutKeyPolicy'],
      },
    });
    // The platform key's ARN, from the Data stack: another key's events do not page.
    expect(JSON.stringify(rule.Properties.EventPattern.detail.resources)).toContain('PlatformKey');
  });

  it('pages critical with a message that names what was done, by whom', () => {
    const [[, rule]] = rules();
    const [target] = rule.Properties.Targets;
    expect(target.Arn).toEqual({ Ref: expect.stringMatching(/^TopicsCritical/) });
    const message = JSON.stringify(target.InputTransformer.InputTemplate);
    expect(message).toMatch(
      /\[critical\] MiKO \w+: <detail-eventName> on the platform key .* by <detail-userIdentity-arn>/,
    );
    expect(target.InputTransformer.InputPathsMap).toMatchObject({
      'detail-eventName': '$.detail.eventName',
      'detail-userIdentity-arn': '$.detail.userIdentity.arn',
    });
  });

  it('can publish to the encrypted critical topic (the rule, and EventBridge through the key)', async () => {
    const model = permissionModel(assemblyDir(), stage === 'Staging' ? 'staging' : 'production');
    const matrix = await permissionMatrix(model, loadCatalogue(), { only: (id) => id === 'key-tamper-rule-pages' });
    expect(matrix.failures).toEqual([]);
    expect(matrix.rows.map((r) => `${r.action} ${r.decision}`)).toEqual([
      'sns:Publish Allowed',
      'kms:GenerateDataKey Allowed',
      'kms:Decrypt Allowed',
    ]);
  });
});
